#include "app/PairedAccountsPanel.h"

#include "app/DeviceAccounts.h"
#include "app/DeviceChannels.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace handoff::app {

namespace {

constexpr int KeyNameRole = Qt::UserRole + 1;

} // namespace

PairedAccountsPanel::PairedAccountsPanel(DeviceChannels* channels, QWidget* parent)
    : QGroupBox(tr("Paired accounts"), parent), m_channels(channels)
{
    setObjectName(QStringLiteral("pairedAccounts"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Approval and sign-in requests for these accounts appear on this computer."), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("accountList"));
    m_list->setAccessibleName(tr("Paired accounts"));
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Account"), tr("Server"), tr("This computer"), tr("State")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setStretchLastSection(true);
    m_list->setMinimumHeight(110);
    layout->addWidget(m_list);

    m_empty = new QLabel(tr("This computer is not paired with a server. To pair it, open the pairing link the "
                            "server's operator gives you (Open link…)."),
                         this);
    m_empty->setObjectName(QStringLiteral("noAccounts"));
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("accountMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setVisible(false);
    layout->addWidget(m_message);

    auto* buttons = new QHBoxLayout;
    m_reconnect = new QPushButton(tr("Reconnect"), this);
    m_reconnect->setObjectName(QStringLiteral("reconnectAccount"));
    m_reconnect->setAccessibleName(tr("Reconnect the selected account"));
    m_unpair = new QPushButton(tr("Unpair…"), this);
    m_unpair->setObjectName(QStringLiteral("unpairAccount"));
    m_unpair->setAccessibleName(tr("Unpair the selected account"));
    for (QPushButton* button : {m_reconnect, m_unpair}) {
        button->setAutoDefault(false);
    }
    buttons->addStretch();
    buttons->addWidget(m_reconnect);
    buttons->addWidget(m_unpair);
    layout->addLayout(buttons);

    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &PairedAccountsPanel::updateButtons);
    connect(m_reconnect, &QPushButton::clicked, this, [this] {
        if (const QString keyName = selectedKeyName(); !keyName.isEmpty()) {
            m_channels->restart(keyName);
        }
    });
    connect(m_unpair, &QPushButton::clicked, this, &PairedAccountsPanel::askToUnpair);
    connect(m_channels, &DeviceChannels::statusChanged, this, &PairedAccountsPanel::reload);
    connect(m_channels->accounts(), &DeviceAccounts::changed, this, &PairedAccountsPanel::reload);
    reload();
}

QMessageBox* PairedAccountsPanel::unpairQuestion() const
{
    return m_question;
}

QString PairedAccountsPanel::messageText() const
{
    return m_message->text();
}

void PairedAccountsPanel::reload()
{
    const QString selected = selectedKeyName();
    m_list->clear();
    const QList<device::DeviceAccount> accounts = m_channels->accounts()->accounts();
    for (const device::DeviceAccount& account : accounts) {
        const QString state = m_channels->statusText(account.keyName);
        auto* item = new QTreeWidgetItem(m_list, QStringList{account.user, DeviceAccounts::hostOf(account.server),
                                                             account.deviceName, state});
        item->setData(AccountColumn, KeyNameRole, account.keyName);
        item->setToolTip(ServerColumn, account.server.toString());
        item->setToolTip(DeviceColumn, tr("Device %1").arg(account.deviceId));
        item->setToolTip(StateColumn, state);
        if (account.keyName == selected) {
            item->setSelected(true);
            m_list->setCurrentItem(item);
        }
    }
    for (int column = 0; column < StateColumn; ++column) {
        m_list->resizeColumnToContents(column);
        m_list->setColumnWidth(column, m_list->columnWidth(column) + 16); // air between the columns
    }
    m_list->setVisible(!accounts.isEmpty());
    m_empty->setVisible(accounts.isEmpty());
    updateButtons();
}

QString PairedAccountsPanel::selectedKeyName() const
{
    const QList<QTreeWidgetItem*> items = m_list->selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(AccountColumn, KeyNameRole).toString();
}

void PairedAccountsPanel::updateButtons()
{
    const QString keyName = selectedKeyName();
    const device::DeviceClient* client = keyName.isEmpty() ? nullptr : m_channels->client(keyName);
    const bool stopped = client
                         && (client->state() == device::DeviceClient::State::Failed
                             || client->state() == device::DeviceClient::State::Idle);
    m_reconnect->setEnabled(stopped);
    m_unpair->setEnabled(!keyName.isEmpty() && !m_question);
}

void PairedAccountsPanel::showMessage(const QString& text, bool problem)
{
    m_message->setStyleSheet(problem ? QStringLiteral("color: #b00020;") : QString());
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void PairedAccountsPanel::askToUnpair()
{
    const QString keyName = selectedKeyName();
    const std::optional<device::DeviceAccount> account = m_channels->accounts()->find(keyName);
    if (!account || m_question) {
        return;
    }
    const QString label = DeviceAccounts::label(*account);
    m_question = new QMessageBox(QMessageBox::Question, tr("Unpair this account?"), tr("Unpair %1?").arg(label),
                                 QMessageBox::NoButton, this);
    m_question->setObjectName(QStringLiteral("unpairQuestion"));
    m_question->setAttribute(Qt::WA_DeleteOnClose);
    m_question->setTextFormat(Qt::PlainText);
    m_question->setInformativeText(
        tr("This computer stops receiving approval and sign-in requests for this account, and its device key is "
           "deleted from the keychain.\n\nThe server keeps listing this computer (device %1) until its operator "
           "revokes it with \u201chandoff-server devices revoke %1\u201d.")
            .arg(account->deviceId));
    QPushButton* unpair = m_question->addButton(tr("Unpair"), QMessageBox::DestructiveRole);
    unpair->setObjectName(QStringLiteral("confirmUnpair"));
    QPushButton* keep = m_question->addButton(QMessageBox::Cancel);
    m_question->setDefaultButton(keep);
    connect(unpair, &QPushButton::clicked, this, [this, keyName, who = account->user, label] {
        showMessage(tr("Unpairing %1…").arg(who), false);
        m_channels->unpair(keyName, this, [this, label](const Result<void>& done) {
            if (done) {
                showMessage(tr("%1 is no longer paired with this computer.").arg(label), false);
            } else {
                showMessage(done.error().message, true);
            }
        });
    });
    // destroyed() comes while the box is half gone: forget it before looking at anything.
    connect(m_question, &QObject::destroyed, this, [this] {
        m_question = nullptr;
        updateButtons();
    });
    updateButtons();
    m_question->open();
}

} // namespace handoff::app
