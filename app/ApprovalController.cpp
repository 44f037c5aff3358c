#include "app/ApprovalController.h"

#include "app/DeviceAccounts.h"
#include "app/DeviceChannels.h"
#include "app/SessionManager.h"
#include "app/TrayController.h"
#include "core/device/DeviceClient.h"
#include "ui/ApprovalDialog.h"
#include "ui/Resources.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QTimer>

#include <algorithm>

namespace handoff::app {

namespace {

Q_LOGGING_CATEGORY(lcApprovals, "handoff.approvals", QtInfoMsg)

// How long a settled dialog stays to be read: longer when someone else decided.
constexpr int ownDecisionCloseMs = 3000;
constexpr int elsewhereCloseMs = 6000;

QString keyNameOf(const device::DeviceClient* client)
{
    return client->account().keyName;
}

} // namespace

ApprovalController::ApprovalController(DeviceChannels* channels, TrayController* tray, QObject* parent)
    : QObject(parent), m_channels(channels), m_tray(tray)
{
    const QList<device::DeviceClient*> existing = channels->clients();
    for (device::DeviceClient* client : existing) {
        attach(client);
    }
    connect(channels, &DeviceChannels::clientAdded, this, &ApprovalController::attach);
    connect(channels, &DeviceChannels::clientRemoved, this, &ApprovalController::onAccountRemoved);
}

ApprovalController::~ApprovalController()
{
    for (const Entry& entry : std::as_const(m_entries)) {
        delete entry.dialog.data();
    }
}

QString ApprovalController::entryKey(const QString& keyName, const QString& authReqId)
{
    return keyName + QLatin1Char('\n') + authReqId;
}

QString ApprovalController::refusalText(const QString& code, const QString& serverMessage)
{
    if (code == QLatin1String("already_decided")) {
        return tr("Someone already answered this request on another device.");
    }
    if (code == QLatin1String("expired")) {
        return tr("The request expired before your answer reached the server.");
    }
    if (code == QLatin1String("unknown_request")) {
        return tr("The server no longer knows this request.");
    }
    if (code == QLatin1String("clock_skew")) {
        return tr("This computer's clock is more than five minutes off. Correct the time and decide again.");
    }
    if (code == QLatin1String("bad_signature")) {
        return tr("The server could not verify this computer's signature. Pair this computer again.");
    }
    if (code == QLatin1String("invalid_message")) {
        return tr("The server could not read the answer this computer sent.");
    }
    return serverMessage.isEmpty() ? tr("The server gave no reason.") : serverMessage;
}

QString ApprovalController::closedText(const QString& outcome, const QString& byDevice, const QString& serverMessage)
{
    const bool named = !byDevice.isEmpty();
    if (outcome == QLatin1String("approved")) {
        return named ? tr("Approved on %1.").arg(byDevice) : tr("Approved on another device.");
    }
    if (outcome == QLatin1String("denied")) {
        return named ? tr("Denied on %1.").arg(byDevice) : tr("Denied on another device.");
    }
    if (outcome == QLatin1String("expired")) {
        return tr("This request expired.");
    }
    return serverMessage.isEmpty() ? tr("This request is no longer waiting.") : serverMessage;
}

void ApprovalController::attach(device::DeviceClient* client)
{
    // The client is the sender of each: Qt disconnects them when it goes, so it is
    // alive whenever one runs.
    connect(client, &device::DeviceClient::approvalRequested, this,
            [this, client](const device::ApprovalRequest& request) { onRequested(client, request); });
    connect(client, &device::DeviceClient::approvalClosed, this,
            [this, client](const QString& id, const QString& outcome, const QString& byDevice, const QString& message) {
                onClosed(client, id, outcome, byDevice, message);
            });
    connect(client, &device::DeviceClient::decisionResult, this,
            [this, client](const QString& id, bool accepted, const QString& message, const QString& code) {
                onDecisionResult(client, id, accepted, message, code);
            });
    connect(client, &device::DeviceClient::stateChanged, this, [this, client](device::DeviceClient::State state) {
        if (state == device::DeviceClient::State::Online) {
            onOnline(client);
        }
    });
    connect(client, &device::DeviceClient::noticeReceived, this,
            [this, client](const QString& code, const QString& message) { onNotice(client, code, message); });
}

QList<ApprovalController::Waiting> ApprovalController::waiting() const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<Waiting> list;
    for (const QString& key : m_order) {
        const Entry& entry = m_entries[key];
        if (entry.phase != Phase::Settled && !entry.request.isExpired(now)) {
            list.append(Waiting{entry.keyName, entry.request});
        }
    }
    return list;
}

ui::ApprovalDialog* ApprovalController::dialog(const QString& keyName, const QString& authReqId) const
{
    const auto it = m_entries.constFind(entryKey(keyName, authReqId));
    return it == m_entries.constEnd() ? nullptr : it->dialog.data();
}

QList<ui::ApprovalDialog*> ApprovalController::dialogs() const
{
    QList<ui::ApprovalDialog*> list;
    for (const QString& key : m_order) {
        if (ui::ApprovalDialog* found = m_entries[key].dialog) {
            list.append(found);
        }
    }
    return list;
}

void ApprovalController::show(const QString& keyName, const QString& authReqId)
{
    if (ui::ApprovalDialog* found = dialog(keyName, authReqId)) {
        SessionManager::raise(found);
    }
}

void ApprovalController::onRequested(device::DeviceClient* client, const device::ApprovalRequest& request)
{
    const QString keyName = keyNameOf(client);
    const QString key = entryKey(keyName, request.authReqId);
    if (m_entries.contains(key)) {
        return; // seen before (a reconnect lists what is still pending): one dialog per request
    }
    qCInfo(lcApprovals).noquote() << "approval requested by client" << request.clientId;
    auto* dialog = new ui::ApprovalDialog(request);
    dialog->setObjectName(QStringLiteral("approvalDialog"));
    dialog->setWindowIcon(ui::Resources::appIcon());
    Entry entry;
    entry.keyName = keyName;
    entry.request = request;
    entry.dialog = dialog;
    m_entries.insert(key, entry);
    m_order.append(key);

    connect(dialog, &ui::ApprovalDialog::approveClicked, this, [this, key] { decide(key, true); });
    connect(dialog, &ui::ApprovalDialog::denyClicked, this, [this, key] { decide(key, false); });
    connect(dialog, &QDialog::finished, this, [this, key] {
        // Closed by the person while still waiting: the request stays in the tray menu.
        const auto it = m_entries.find(key);
        if (it == m_entries.end()
            || (it->phase != Phase::Settled && !it->request.isExpired(QDateTime::currentDateTimeUtc()))) {
            return;
        }
        if (it->dialog) {
            it->dialog->deleteLater();
        }
        m_entries.erase(it);
        m_order.removeAll(key);
        Q_EMIT waitingChanged();
    });

    dialog->setAttribute(Qt::WA_ShowWithoutActivating, true);
    dialog->show();
    dialog->raise();
    dialog->setAttribute(Qt::WA_ShowWithoutActivating, false);

    if (m_tray) {
        const QString text = request.bindingMessage.isEmpty()
            ? tr("%1 asks for your approval.").arg(request.clientName)
            : tr("%1 asks you to approve: %2").arg(request.clientName, request.bindingMessage);
        const QString id = request.authReqId;
        m_tray->notify(tr("Approval requested"), text, [this, keyName, id] { show(keyName, id); });
    }
    const qint64 untilExpiry = QDateTime::currentDateTimeUtc().msecsTo(request.expiresAtTime());
    QTimer::singleShot(int(std::clamp<qint64>(untilExpiry + 500, 0, 24 * 3600 * 1000)), this,
                       &ApprovalController::pruneExpired);
    Q_EMIT waitingChanged();
}

void ApprovalController::decide(const QString& key, bool approve)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end() || !it->dialog) {
        return;
    }
    device::DeviceClient* client = m_channels->client(it->keyName);
    const Result<void> sent = client ? client->decide(it->request.authReqId, approve)
                                     : Result<void>(Error{QStringLiteral("offline"), tr("This account is not connected.")});
    if (!sent) {
        const QString code = sent.error().code;
        if (code == QLatin1String("offline")) {
            it->dialog->allowRetry(sent.error().message);
        } else {
            settle(key, sent.error().message, elsewhereCloseMs);
        }
        return;
    }
    it->phase = Phase::Sending;
    it->approving = approve;
    it->dialog->showSending();
    qCInfo(lcApprovals) << "sent a decision:" << (approve ? "approve" : "deny");
}

void ApprovalController::onClosed(device::DeviceClient* client, const QString& authReqId, const QString& outcome,
                                  const QString& byDevice, const QString& message)
{
    const QString key = entryKey(keyNameOf(client), authReqId);
    const auto it = m_entries.find(key);
    if (it == m_entries.end() || it->phase == Phase::Settled) {
        return;
    }
    const bool ours = it->phase == Phase::Sending && byDevice == client->account().deviceName
                      && outcome == (it->approving ? QLatin1String("approved") : QLatin1String("denied"));
    if (ours) {
        settle(key, it->approving ? tr("You approved this request.") : tr("You denied this request."),
               ownDecisionCloseMs);
    } else {
        settle(key, closedText(outcome, byDevice, message), elsewhereCloseMs);
    }
}

void ApprovalController::onDecisionResult(device::DeviceClient* client, const QString& authReqId, bool accepted,
                                          const QString& message, const QString& code)
{
    const QString key = entryKey(keyNameOf(client), authReqId);
    const auto it = m_entries.find(key);
    if (it == m_entries.end() || it->phase == Phase::Settled || !it->dialog) {
        return; // approval_closed came first and said it all
    }
    if (accepted) {
        settle(key, it->approving ? tr("You approved this request.") : tr("You denied this request."),
               ownDecisionCloseMs);
        return;
    }
    qCWarning(lcApprovals).noquote() << "the server refused a decision:" << code;
    if (code == QLatin1String("clock_skew")) {
        it->phase = Phase::Waiting;
        it->dialog->allowRetry(refusalText(code, message));
        return;
    }
    it->phase = Phase::Settled;
    it->dialog->showRefused(refusalText(code, message));
    Q_EMIT waitingChanged();
}

void ApprovalController::onOnline(device::DeviceClient* client)
{
    // A decision sent just before the connection dropped may never have arrived.
    const QString keyName = keyNameOf(client);
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->keyName == keyName && it->phase == Phase::Sending && it->dialog
            && client->pendingRequest(it->request.authReqId)) {
            it->phase = Phase::Waiting;
            it->dialog->allowRetry(tr("The connection dropped before the server answered. Please decide again."));
        }
    }
}

void ApprovalController::onNotice(device::DeviceClient* client, const QString& code, const QString& message)
{
    if (message.isEmpty()) {
        return;
    }
    const QString title = code == QLatin1String("client_blocked")
        ? tr("A client is blocked for now")
        : tr("Message from %1").arg(DeviceAccounts::hostOf(client->account().server));
    if (m_tray) {
        m_tray->notify(title, message);
    }
    if (!m_tray || !m_tray->isAvailable()) {
        // Nowhere to notify: a small window, so that the notice is not lost.
        auto* box = new QMessageBox(QMessageBox::Information, title, message, QMessageBox::Ok);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setTextFormat(Qt::PlainText);
        box->setWindowIcon(ui::Resources::appIcon());
        box->setAttribute(Qt::WA_ShowWithoutActivating);
        box->setModal(false); // blocks nothing: a prompt may need an answer meanwhile
        box->show();
    }
}

void ApprovalController::onAccountRemoved(const QString& keyName)
{
    const QList<QString> keys = m_order;
    for (const QString& key : keys) {
        if (m_entries.value(key).keyName == keyName) {
            settle(key, tr("This computer is no longer paired with the account this request was for."),
                   elsewhereCloseMs);
        }
    }
}

void ApprovalController::settle(const QString& key, const QString& message, int closeAfterMs)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end()) {
        return;
    }
    it->phase = Phase::Settled;
    if (it->dialog && it->dialog->isVisible()) {
        it->dialog->closeWithMessage(message, closeAfterMs); // finished() then removes the entry
    } else {
        if (it->dialog) {
            it->dialog->deleteLater();
        }
        m_entries.erase(it);
        m_order.removeAll(key);
    }
    Q_EMIT waitingChanged();
}

void ApprovalController::pruneExpired()
{
    // Expired prompts that are on screen say so themselves; hidden ones just go.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<QString> keys = m_order;
    for (const QString& key : keys) {
        const Entry entry = m_entries.value(key);
        if (entry.request.isExpired(now) && !(entry.dialog && entry.dialog->isVisible())) {
            settle(key, tr("This request expired."), 0);
        }
    }
    Q_EMIT waitingChanged();
}

} // namespace handoff::app
