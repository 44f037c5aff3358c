#include "ui/HistoryWindow.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace handoff::ui {

namespace {

QTableWidgetItem* item(const QString& text)
{
    // QTableWidgetItem shows plain text: a binding message cannot inject markup.
    auto* cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    cell->setToolTip(text);
    return cell;
}

QString localTime(const QString& rfc3339)
{
    const QDateTime time = QDateTime::fromString(rfc3339, Qt::ISODate);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : rfc3339;
}

} // namespace

QString HistoryWindow::outcomeText(const QString& outcome)
{
    if (outcome == QLatin1String("approved")) {
        return tr("Approved");
    }
    if (outcome == QLatin1String("denied")) {
        return tr("Denied");
    }
    if (outcome == QLatin1String("expired")) {
        return tr("Expired unanswered");
    }
    if (outcome == QLatin1String("pending")) {
        return tr("Waiting");
    }
    return outcome;
}

HistoryWindow::HistoryWindow(QWidget* parent)
    : QWidget(parent, Qt::Window)
{
    setWindowTitle(tr("Handoff approvals history"));
    auto* layout = new QVBoxLayout(this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setVisible(false);
    layout->addWidget(m_status);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setHorizontalHeaderLabels({tr("Asked"), tr("Client"), tr("Message"), tr("Scope"), tr("Outcome"), tr("Device")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(MessageColumn, QHeaderView::Stretch);
    m_table->setWordWrap(true);
    layout->addWidget(m_table);
    m_empty = new QLabel(tr("No approval requests yet."), this);
    m_empty->setObjectName(QStringLiteral("historyEmpty"));
    m_empty->setTextFormat(Qt::PlainText);
    layout->addWidget(m_empty);
    auto* buttons = new QHBoxLayout;
    auto* refresh = new QPushButton(tr("Refresh"), this);
    refresh->setAutoDefault(false);
    buttons->addStretch();
    buttons->addWidget(refresh);
    layout->addLayout(buttons);
    connect(refresh, &QPushButton::clicked, this, &HistoryWindow::refreshRequested);
    resize(900, 400);
}

HistoryWindow::~HistoryWindow() = default;

void HistoryWindow::setEntries(const QList<device::ApprovalHistoryEntry>& entries)
{
    QList<device::ApprovalHistoryEntry> sorted = entries;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return QDateTime::fromString(a.requestedAt, Qt::ISODate) > QDateTime::fromString(b.requestedAt, Qt::ISODate);
    });
    m_table->setRowCount(int(sorted.size()));
    for (int row = 0; row < int(sorted.size()); ++row) {
        const device::ApprovalHistoryEntry& entry = sorted.at(row);
        m_table->setItem(row, AskedColumn, item(localTime(entry.requestedAt)));
        m_table->setItem(row, ClientColumn, item(entry.clientName));
        m_table->setItem(row, MessageColumn, item(entry.bindingMessage));
        m_table->setItem(row, ScopeColumn, item(entry.scope));
        m_table->setItem(row, OutcomeColumn, item(outcomeText(entry.outcome)));
        m_table->setItem(row, DeviceColumn, item(entry.deviceName));
    }
    m_empty->setVisible(sorted.isEmpty() && m_status->text().isEmpty());
}

void HistoryWindow::setStatus(const QString& text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_empty->setVisible(m_table->rowCount() == 0 && text.isEmpty());
}

QString HistoryWindow::statusText() const
{
    return m_status->text();
}

bool HistoryWindow::isShowingEmpty() const
{
    return !m_empty->isHidden();
}

} // namespace handoff::ui
