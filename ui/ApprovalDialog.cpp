#include "ui/ApprovalDialog.h"

#include <QFont>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace handoff::ui {

namespace {

QLabel* plainLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(parent);
    // Everything here comes from a remote client: never let it be read as rich text.
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setText(text);
    return label;
}

QString formatRemaining(qint64 seconds)
{
    if (seconds >= 3600) {
        return QStringLiteral("%1:%2:%3")
            .arg(seconds / 3600)
            .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

QStringList ApprovalDialog::describeScope(const QString& scope)
{
    QStringList words;
    const QStringList values = scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& value : values) {
        if (value == QLatin1String("openid")) {
            words.append(tr("Confirm that it is you"));
        } else if (value == QLatin1String("profile")) {
            words.append(tr("See your name and profile"));
        } else if (value == QLatin1String("email")) {
            words.append(tr("See your email address"));
        } else if (value == QLatin1String("offline_access")) {
            words.append(tr("Keep access while you are away"));
        } else {
            words.append(tr("Permission \u201c%1\u201d").arg(value));
        }
    }
    return words;
}

ApprovalDialog::ApprovalDialog(const device::ApprovalRequest& request, QWidget* parent)
    : QDialog(parent)
    , m_request(request)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    setWindowTitle(tr("Approval requested by %1").arg(request.clientName));
    setAttribute(Qt::WA_DeleteOnClose, false);
    setMinimumWidth(440); // room for the binding message in large type without a word per line

    auto* layout = new QVBoxLayout(this);
    auto* heading = plainLabel(tr("%1 asks you to approve:").arg(request.clientName), this);
    layout->addWidget(heading);

    m_bindingMessage = plainLabel(request.bindingMessage.isEmpty() ? tr("(no message was given)") : request.bindingMessage,
                                  this);
    m_bindingMessage->setObjectName(QStringLiteral("bindingMessage"));
    QFont big = m_bindingMessage->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_bindingMessage->setFont(big);
    m_bindingMessage->setFrameShape(QFrame::StyledPanel);
    m_bindingMessage->setMargin(12);
    layout->addWidget(m_bindingMessage);

    const QStringList scopeWords = describeScope(request.scope);
    auto* scopeLabel = plainLabel(tr("It will be allowed to: %1").arg(scopeWords.join(QStringLiteral("; "))), this);
    scopeLabel->setObjectName(QStringLiteral("scope"));
    layout->addWidget(scopeLabel);
    layout->addWidget(plainLabel(tr("Account: %1").arg(request.user), this));
    const QDateTime asked = request.requestedAtTime().toLocalTime();
    layout->addWidget(plainLabel(tr("Asked at %1").arg(asked.toString(QStringLiteral("HH:mm:ss"))), this));

    m_countdown = plainLabel(QString(), this);
    m_countdown->setObjectName(QStringLiteral("countdown"));
    layout->addWidget(m_countdown);
    m_status = plainLabel(QString(), this);
    m_status->setObjectName(QStringLiteral("status"));
    layout->addWidget(m_status);

    auto* buttons = new QHBoxLayout;
    m_deny = new QPushButton(tr("Deny"), this);
    m_approve = new QPushButton(tr("Approve"), this);
    m_deny->setObjectName(QStringLiteral("deny"));
    m_approve->setObjectName(QStringLiteral("approve"));
    for (QPushButton* button : {m_deny, m_approve}) {
        button->setAutoDefault(false);
        button->setDefault(false);
    }
    m_approve->setEnabled(false); // armed after the delay, see showEvent()
    buttons->addStretch();
    buttons->addWidget(m_deny);
    buttons->addWidget(m_approve);
    layout->addLayout(buttons);
    m_deny->setFocus();

    connect(m_deny, &QPushButton::clicked, this, [this] {
        m_settled = true;
        m_approve->setEnabled(false);
        m_deny->setEnabled(false);
        Q_EMIT denyClicked(m_request.authReqId);
    });
    connect(m_approve, &QPushButton::clicked, this, [this] {
        if (!canApprove()) {
            tick();
            return;
        }
        m_settled = true;
        m_approve->setEnabled(false);
        m_deny->setEnabled(false);
        Q_EMIT approveClicked(m_request.authReqId);
    });

    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &ApprovalDialog::tick);
    m_ticker.start();
    m_armTimer.setSingleShot(true);
    connect(&m_armTimer, &QTimer::timeout, this, [this] {
        m_armed = true;
        tick();
    });
    tick();
}

ApprovalDialog::~ApprovalDialog() = default;

void ApprovalDialog::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    tick();
}

bool ApprovalDialog::isExpired() const
{
    return m_request.isExpired(m_clock());
}

bool ApprovalDialog::canApprove() const
{
    return m_armed && !m_settled && !isExpired();
}

QString ApprovalDialog::bindingMessageText() const
{
    return m_bindingMessage->text();
}

QString ApprovalDialog::statusText() const
{
    return m_status->text();
}

void ApprovalDialog::showEvent(QShowEvent* event)
{
    QDialog::showEvent(event);
    // Each time it appears, also when shown again after being closed undecided.
    m_armed = false;
    m_approve->setEnabled(false);
    m_armTimer.start(m_approveDelayMs);
}

void ApprovalDialog::keyPressEvent(QKeyEvent* event)
{
    // Enter never approves (nor denies): only a click on a button decides.
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        event->accept();
        return;
    }
    QDialog::keyPressEvent(event);
}

void ApprovalDialog::tick()
{
    const QDateTime now = m_clock();
    const qint64 remaining = now.secsTo(m_request.expiresAtTime());
    if (isExpired()) {
        m_countdown->setText(tr("This request has expired."));
        if (!m_settled) {
            m_settled = true;
            m_status->setText(tr("It can no longer be approved."));
        }
        m_approve->setEnabled(false);
        m_deny->setEnabled(false);
        m_ticker.stop();
        return;
    }
    m_countdown->setText(tr("Expires in %1").arg(formatRemaining(qMax<qint64>(0, remaining))));
    m_approve->setEnabled(canApprove());
}

void ApprovalDialog::closeWithMessage(const QString& message, int closeAfterMs)
{
    m_settled = true;
    m_ticker.stop();
    m_approve->setEnabled(false);
    m_deny->setEnabled(false);
    m_status->setText(message);
    QTimer::singleShot(closeAfterMs, this, &QDialog::accept);
}

void ApprovalDialog::showSending()
{
    m_status->setText(tr("Sending your decision\u2026"));
}

void ApprovalDialog::showRefused(const QString& message)
{
    m_status->setText(tr("The server did not accept the decision: %1").arg(message));
}

void ApprovalDialog::allowRetry(const QString& message)
{
    m_status->setText(message);
    if (isExpired()) {
        tick();
        return;
    }
    m_settled = false;
    m_deny->setEnabled(true);
    m_approve->setEnabled(canApprove());
    if (!m_ticker.isActive()) {
        m_ticker.start();
    }
}

} // namespace handoff::ui
