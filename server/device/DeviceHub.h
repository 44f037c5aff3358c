#pragma once

// The device channel, WebSocket /device (PROTOCOL 4). On connect the server sends
// {"type":"challenge","nonce"} (32 fresh random bytes, base64url); the device
// answers {"type":"authenticate","device_id","signature"} with an ES256 signature
// over DeviceStatements::deviceAuthentication(server, device_id, nonce), made
// with the key registered at pairing. The server checks it against the stored
// public key and answers {"type":"welcome", device_id, user, device_name,
// pending: [...]}; an unknown device or bad signature is closed with 4401, a
// revoked device with 4403, a device silent for too long is dropped. A device may
// reconnect at any time with a fresh challenge. Once authenticated, a device sends
// approval_decision and history_request; both are answered by the handlers set here.

#include "server/device/DeviceStore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QWebSocket;

namespace handoff::server {

class UserStore;

class DeviceHub final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceHub)

public:
    DeviceHub(DeviceStore& devices, UserStore& users, QString serverIdentity, QObject* parent = nullptr);
    ~DeviceHub() override;

    // Requests waiting for a user, listed in each welcome ({"pending": [...]}).
    void setPendingProvider(std::function<QJsonArray(const QString& userId)> provider)
    {
        m_pendingProvider = std::move(provider);
    }
    // Checks an approval_decision of an authenticated device and returns the
    // decision_result to send back.
    void setDecisionHandler(std::function<QJsonObject(const DeviceRecord&, const QJsonObject&)> handler)
    {
        m_decisionHandler = std::move(handler);
    }
    // The answer to an authenticated device's history_request ({"type":"history"}).
    void setHistoryProvider(std::function<QJsonObject(const QString& userId)> provider)
    {
        m_historyProvider = std::move(provider);
    }

    static bool isDevicePath(const QByteArray& path);
    // Takes ownership of a socket fresh from the WebSocket handshake.
    void accept(QWebSocket* socket);
    // Sends `message` to every authenticated connection of the user's devices.
    int sendToUser(const QString& userId, const QJsonObject& message);
    void shutdown();
    int onlineCount() const;

    static constexpr int CloseUnauthorized = 4401;
    static constexpr int CloseRevoked = 4403;

private:
    struct Peer final {
        QPointer<QWebSocket> socket;
        QString nonce;
        QString deviceId; // empty until authenticated
        QString userId;
        qint64 lastHeardMs = 0;
        int messagesThisSecond = 0;
        qint64 secondStartMs = 0;
    };

    void onText(QWebSocket* socket, const QString& text);
    void authenticate(Peer& peer, const QJsonObject& message);
    // The peer's device as stored now, or nothing after closing a revoked one.
    std::optional<DeviceRecord> currentDevice(const Peer& peer);
    void close(QWebSocket* socket, int code, const QString& reason);
    void pingAll();
    static void send(QWebSocket* socket, const QJsonObject& message);

    DeviceStore& m_devices;
    UserStore& m_users;
    QString m_serverIdentity;
    QHash<QWebSocket*, Peer> m_peers;
    QTimer m_pingTimer;
    std::function<QJsonArray(const QString&)> m_pendingProvider;
    std::function<QJsonObject(const DeviceRecord&, const QJsonObject&)> m_decisionHandler;
    std::function<QJsonObject(const QString&)> m_historyProvider;
};

} // namespace handoff::server
