#pragma once

// The desktop app's device channel (PROTOCOL 4), GUI-free.
//
// Pairing: from a pairing link, makes a P-256 signing key, stores it in the OS
// keychain (nowhere else) and registers its public key with POST /device/pair.
// Running: reads the key from the keychain, keeps a WebSocket to /device,
// answers the server's challenge by signing it, reconnects with backoff, and
// turns the server's messages into signals. Decisions go out signed over the
// request's exact fields (DeviceStatements::approvalDecision).
//
// A keychain failure or a server that no longer knows the device is reported
// through failed() for the person to see; the client then stops instead of
// retrying forever.

#include "core/common/Result.h"
#include "core/device/ApprovalHistoryEntry.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceAccount.h"
#include "core/device/PairingLink.h"
#include "core/device/SessionRequestNotice.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QWebSocket;

namespace handoff::crypto {
class SigningKey;
}
namespace handoff::keystore {
class Keystore;
}
namespace handoff::session {
class ReconnectBackoff;
}

namespace handoff::device {

class DeviceClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceClient)

public:
    enum class State {
        Idle,               // not started
        LoadingKey,         // reading the key from the keychain
        Connecting,         // opening the WebSocket
        Authenticating,     // answering the challenge
        Online,             // authenticated; requests arrive
        WaitingToReconnect, // lost the connection; the next attempt is scheduled
        Failed,             // keychain or server refused us for good; see failed()
    };
    Q_ENUM(State)

    explicit DeviceClient(keystore::Keystore& keystore, QObject* parent = nullptr);
    ~DeviceClient() override;

    // Emits paired() or pairingFailed(). `deviceName` is shown to the user's other
    // devices and in the audit log (1-100 characters).
    void pair(const PairingLink& link, const QString& deviceName);

    void start(const DeviceAccount& account);
    void stop();

    // Signs and sends a decision on a request this client holds. Fails at once for
    // an unknown request, an approval after expiry, or when offline; the server's
    // verdict comes later as decisionResult().
    Result<void> decide(const QString& authReqId, bool approve);
    void requestHistory();

    State state() const { return m_state; }
    DeviceAccount account() const { return m_account; }
    QList<ApprovalRequest> pendingRequests() const { return m_pending.values(); }
    std::optional<ApprovalRequest> pendingRequest(const QString& authReqId) const;

    void setReconnectDelays(std::chrono::milliseconds initial, std::chrono::milliseconds maximum);

    static QString keychainService() { return QStringLiteral("Handoff"); }

Q_SIGNALS:
    void stateChanged(handoff::device::DeviceClient::State state);
    void paired(const handoff::device::DeviceAccount& account);
    void pairingFailed(const handoff::Error& error);
    void failed(const handoff::Error& error);
    void approvalRequested(const handoff::device::ApprovalRequest& request);
    // outcome: "approved", "denied", "expired" or "closed"; byDevice names the device that decided.
    void approvalClosed(const QString& authReqId, const QString& outcome, const QString& byDevice,
                        const QString& message);
    // A refusal carries the server's code (bad_signature, unknown_request, already_decided,
    // expired, clock_skew, invalid_message) and its message.
    void decisionResult(const QString& authReqId, bool accepted, const QString& message, const QString& code);
    void sessionRequested(const handoff::device::SessionRequestNotice& notice);
    void noticeReceived(const QString& code, const QString& message);
    void historyReceived(const QList<handoff::device::ApprovalHistoryEntry>& entries);

private:
    void setState(State state);
    void fail(const Error& error);
    void openSocket();
    void scheduleReconnect();
    void onConnected();
    void onDisconnected();
    void onTextMessage(const QString& text);
    void handleChallenge(const QJsonObject& message);
    void handleWelcome(const QJsonObject& message);
    void handleApprovalRequest(const QJsonObject& message);
    void handleApprovalClosed(const QJsonObject& message);
    void send(const QJsonObject& message);
    void finishPairing(const PairingLink& link, const QString& deviceName, const QString& keyName,
                       const QByteArray& publicKey, const QByteArray& signature);

    keystore::Keystore& m_keystore;
    QNetworkAccessManager* m_network = nullptr;
    QPointer<QWebSocket> m_socket;
    std::unique_ptr<crypto::SigningKey> m_key;
    std::unique_ptr<session::ReconnectBackoff> m_backoff;
    DeviceAccount m_account;
    QString m_serverIdentity;
    State m_state = State::Idle;
    QHash<QString, ApprovalRequest> m_pending;
    QTimer m_reconnectTimer;
    QTimer m_keepAliveTimer;
    qint64 m_lastHeardMs = 0;
    quint64 m_generation = 0; // bumps on stop() so late keychain answers are ignored
};

} // namespace handoff::device
