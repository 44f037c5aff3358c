#include "app/PairDeviceDialog.h"

#include "app/DeviceAccounts.h"
#include "app/DeviceChannels.h"
#include "core/common/EndpointPolicy.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSysInfo>
#include <QVBoxLayout>

namespace handoff::app {

namespace {

const QString errorStyle = QStringLiteral("color: #b00020;");

QLabel* textLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText); // host names and server messages come from outside
    label->setWordWrap(true);
    label->setText(text);
    return label;
}

QString defaultDeviceName()
{
    const QString host = QSysInfo::machineHostName().trimmed();
    return PairDeviceDialog::isValidDeviceName(host) ? host : PairDeviceDialog::tr("This computer");
}

} // namespace

bool PairDeviceDialog::isValidDeviceName(const QString& name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 100) {
        return false;
    }
    return std::none_of(trimmed.cbegin(), trimmed.cend(), [](QChar c) {
        return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
    });
}

PairDeviceDialog::PairDeviceDialog(const device::PairingLink& link, DeviceChannels* channels, QWidget* parent)
    : QDialog(parent), m_link(link), m_channels(channels)
{
    setWindowTitle(tr("Pair with a Handoff server"));
    setObjectName(QStringLiteral("pairDeviceDialog"));
    auto* layout = new QVBoxLayout(this);

    m_heading = textLabel(tr("Pair this computer with this server?"), this);
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    layout->addWidget(m_heading);

    auto* host = textLabel(DeviceAccounts::hostOf(m_link.server), this);
    host->setObjectName(QStringLiteral("serverHost"));
    QFont hostFont = host->font();
    hostFont.setPointSizeF(hostFont.pointSizeF() * 1.5);
    hostFont.setBold(true);
    host->setFont(hostFont);
    host->setTextInteractionFlags(Qt::TextSelectableByMouse);
    host->setFrameShape(QFrame::StyledPanel);
    host->setMargin(10);
    layout->addWidget(host);
    auto* address = textLabel(tr("Address: %1").arg(m_link.server.toString()), this);
    address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(address);
    // Plain http that the endpoint rule refuses: to another machine.
    if (m_link.server.scheme() == QLatin1String("http") && !EndpointPolicy::isAcceptable(m_link.server)) {
        auto* plain = textLabel(tr("This server is reached without encryption (http): others on the network can "
                                   "watch the connection. Pair only on a network you trust."),
                                this);
        plain->setStyleSheet(errorStyle);
        layout->addWidget(plain);
    }

    layout->addWidget(textLabel(tr("Once paired, approval requests and sign-in requests for your account on this "
                                   "server appear on this computer. Pair only if you asked for this link, for "
                                   "example from the server's operator."),
                                this));

    const QList<device::DeviceAccount> existing = channels->accounts()->onServer(m_link.server);
    if (!existing.isEmpty()) {
        QStringList users;
        for (const device::DeviceAccount& account : existing) {
            users.append(account.user);
        }
        auto* replaces = textLabel(tr("This computer is already paired with this server as %1. If this link is for "
                                      "the same account, the new pairing replaces the old one.")
                                       .arg(users.join(QStringLiteral(", "))),
                                   this);
        replaces->setObjectName(QStringLiteral("replacesNote"));
        layout->addWidget(replaces);
    }

    auto* form = new QFormLayout;
    m_name = new QLineEdit(defaultDeviceName(), this);
    m_name->setObjectName(QStringLiteral("deviceName"));
    m_name->setMaxLength(100);
    m_name->setAccessibleName(tr("Name of this computer"));
    form->addRow(tr("Name of this computer:"), m_name);
    m_nameHint = textLabel(tr("Shown on your other devices and in the server's record of approvals."), this);
    QFont small = m_nameHint->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_nameHint->setFont(small);
    form->addRow(QString(), m_nameHint);
    m_nameProblem = textLabel(tr("The name needs 1 to 100 characters, without control characters."), this);
    m_nameProblem->setStyleSheet(errorStyle);
    m_nameProblem->setVisible(false);
    form->addRow(QString(), m_nameProblem);
    layout->addLayout(form);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0); // busy: the steps have no measurable length
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    layout->addWidget(m_progress);
    m_result = textLabel(QString(), this);
    m_result->setObjectName(QStringLiteral("pairingResult"));
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setVisible(false);
    layout->addWidget(m_result);

    auto* buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_pair = buttons->addButton(tr("Pair"), QDialogButtonBox::ActionRole);
    m_pair->setObjectName(QStringLiteral("pair"));
    m_cancel->setObjectName(QStringLiteral("cancel"));
    m_pair->setAutoDefault(false);
    m_cancel->setDefault(true); // Enter must not pair this computer by accident
    layout->addWidget(buttons);
    connect(m_cancel, &QPushButton::clicked, this, &PairDeviceDialog::reject);
    connect(m_pair, &QPushButton::clicked, this, &PairDeviceDialog::startPairing);
    connect(m_name, &QLineEdit::textChanged, this, &PairDeviceDialog::validateName);
    validateName();
    setMinimumWidth(520);
    // Word-wrapped labels change height as the dialog moves between its steps.
    layout->setSizeConstraint(QLayout::SetMinimumSize);
}

PairDeviceDialog::~PairDeviceDialog() = default;

QString PairDeviceDialog::resultText() const
{
    return m_result->text();
}

void PairDeviceDialog::reject()
{
    if (m_busy) {
        return; // the pairing is under way and will be remembered: wait for its outcome
    }
    QDialog::reject();
}

void PairDeviceDialog::validateName()
{
    const bool valid = isValidDeviceName(m_name->text());
    m_nameProblem->setVisible(!valid);
    m_pair->setEnabled(valid && !m_busy && !m_done && !m_link.token.isEmpty());
}

void PairDeviceDialog::startPairing()
{
    if (m_busy || m_done || !isValidDeviceName(m_name->text())) {
        return;
    }
    m_busy = true;
    m_name->setEnabled(false);
    m_pair->setEnabled(false);
    m_cancel->setEnabled(false);
    m_progress->setVisible(true);
    m_result->setStyleSheet(QString());
    m_result->setText(tr("Pairing… making the device key, keeping it in the keychain and registering it with "
                         "the server."));
    m_result->setVisible(true);
    adjustSize();
    m_channels->pair(m_link, m_name->text().trimmed(), this,
                     [this](const Result<DeviceChannels::PairingOutcome>& outcome) {
                         m_busy = false;
                         m_progress->setVisible(false);
                         m_cancel->setEnabled(true);
                         if (!outcome) {
                             const bool spent = outcome.error().code == QLatin1String("invalid_pairing_token");
                             QString text = tr("Pairing failed: %1").arg(outcome.error().message);
                             if (spent) {
                                 text += QLatin1Char('\n')
                                         + tr("A pairing link works once and for 10 minutes: ask the server's "
                                              "operator for a new one.");
                                 m_link.token.clear();
                             }
                             m_result->setStyleSheet(errorStyle);
                             m_result->setText(text);
                             m_name->setEnabled(!spent);
                             m_pair->setText(tr("Try again"));
                             m_pair->setVisible(!spent);
                             validateName();
                             adjustSize();
                             return;
                         }
                         m_done = true;
                         m_link.token.clear(); // used up: no reason to keep the secret around
                         const device::DeviceAccount& account = outcome->account;
                         QString text = tr("Paired. This computer now receives approval requests for %1.")
                                            .arg(DeviceAccounts::label(account));
                         for (const device::DeviceAccount& old : outcome->replaced) {
                             text += QLatin1Char('\n')
                                     + tr("It replaces this computer's earlier pairing with that account. The server "
                                          "lists the earlier device (%1) until its operator revokes it.")
                                           .arg(old.deviceId);
                         }
                         if (!outcome->warning.isEmpty()) {
                             text += QLatin1Char('\n') + outcome->warning;
                         }
                         m_result->setStyleSheet(outcome->warning.isEmpty() ? QString() : errorStyle);
                         m_result->setText(text);
                         m_heading->setText(tr("This computer is paired with this server."));
                         m_pair->setVisible(false);
                         m_nameHint->setVisible(false);
                         m_cancel->setText(tr("Close"));
                         m_cancel->setFocus();
                         adjustSize();
                     });
}

} // namespace handoff::app
