#include "server/device/DeviceHub.h"

#include "core/crypto/Random.h"
#include "core/crypto/SigningKey.h"
#include "core/device/DeviceStatements.h"
#include "server/device/DeviceMessage.h"
#include "server/device/UserStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QWebSocket>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcDeviceHub, "handoff.device", QtInfoMsg)

constexpr qint64 maxMessageBytes = 16 * 1024;
constexpr int authTimeoutMs = 10'000;
constexpr int pingIntervalMs = 15'000;
constexpr qint64 silenceLimitMs = 45'000;
constexpr int maxMessagesPerSecond = 20;

} // namespace

DeviceHub::DeviceHub(DeviceStore& devices, UserStore& users, QString serverIdentity, QObject* parent)
    : QObject(parent)
    , m_devices(devices)
    , m_users(users)
    , m_serverIdentity(std::move(serverIdentity))
{
    m_pingTimer.setInterval(pingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &DeviceHub::pingAll);
    m_pingTimer.start();
}

DeviceHub::~DeviceHub()
{
    for (auto it = m_peers.begin(); it != m_peers.end(); ++it) {
        if (it->socket) {
            it->socket->disconnect(this);
            it->socket->abort();
            delete it->socket.data();
        }
    }
}

bool DeviceHub::isDevicePath(const QByteArray& path)
{
    return path == "/device";
}

int DeviceHub::onlineCount() const
{
    return int(std::count_if(m_peers.cbegin(), m_peers.cend(), [](const Peer& peer) { return !peer.deviceId.isEmpty(); }));
}

void DeviceHub::send(QWebSocket* socket, const QJsonObject& message)
{
    socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void DeviceHub::close(QWebSocket* socket, int code, const QString& reason)
{
    qCInfo(lcDeviceHub).noquote() << "closing a device connection:" << code << reason;
    socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    QPointer<QWebSocket> guard(socket);
    QTimer::singleShot(3000, this, [guard] {
        if (guard) {
            guard->abort();
        }
    });
}

void DeviceHub::accept(QWebSocket* socket)
{
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(maxMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(maxMessageBytes));
    Result<QByteArray> nonce = crypto::Random::token(32);
    if (!nonce) {
        socket->close(QWebSocketProtocol::CloseCodeAbnormalDisconnection, QStringLiteral("server error"));
        socket->deleteLater();
        return;
    }
    Peer peer;
    peer.socket = socket;
    peer.nonce = QString::fromLatin1(*nonce);
    peer.lastHeardMs = QDateTime::currentMSecsSinceEpoch();
    m_peers.insert(socket, peer);

    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, socket](const QString& text) { onText(socket, text); });
    connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this, socket](const QByteArray&) { close(socket, 1003, QStringLiteral("text messages only")); });
    connect(socket, &QWebSocket::pong, this, [this, socket] {
        auto it = m_peers.find(socket);
        if (it != m_peers.end()) {
            it->lastHeardMs = QDateTime::currentMSecsSinceEpoch();
        }
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        const Peer gone = m_peers.take(socket);
        if (!gone.deviceId.isEmpty()) {
            qCInfo(lcDeviceHub).noquote() << "device" << gone.deviceId << "went offline";
        }
        socket->deleteLater();
    });
    QPointer<QWebSocket> guard(socket);
    QTimer::singleShot(authTimeoutMs, this, [this, guard] {
        if (guard && m_peers.contains(guard.data()) && m_peers.value(guard.data()).deviceId.isEmpty()) {
            close(guard.data(), CloseUnauthorized, QStringLiteral("authentication timed out"));
        }
    });
    send(socket, QJsonObject{
                     {QStringLiteral("type"), QStringLiteral("challenge")},
                     {QStringLiteral("nonce"), peer.nonce},
                     {QStringLiteral("server"), m_serverIdentity},
                 });
}

void DeviceHub::onText(QWebSocket* socket, const QString& text)
{
    auto it = m_peers.find(socket);
    if (it == m_peers.end()) {
        return;
    }
    Peer& peer = *it;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    peer.lastHeardMs = now;
    if (now - peer.secondStartMs >= 1000) {
        peer.secondStartMs = now;
        peer.messagesThisSecond = 0;
    }
    if (++peer.messagesThisSecond > maxMessagesPerSecond) {
        close(socket, 4429, QStringLiteral("too many messages"));
        return;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        send(socket, QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                 {QStringLiteral("code"), QStringLiteral("invalid_message")},
                                 {QStringLiteral("message"), QStringLiteral("messages are JSON objects")}});
        return;
    }
    const QJsonObject message = document.object();
    const QString type = message.value(QStringLiteral("type")).toString();
    if (peer.deviceId.isEmpty()) {
        if (type != QLatin1String("authenticate")) {
            close(socket, CloseUnauthorized, QStringLiteral("authenticate first"));
            return;
        }
        authenticate(peer, message);
        return;
    }
    if (type == QLatin1String("approval_decision") && m_decisionHandler) {
        if (const std::optional<DeviceRecord> device = currentDevice(peer)) {
            send(socket, m_decisionHandler(*device, message));
        }
        return;
    }
    if (type == QLatin1String("history_request") && m_historyProvider) {
        if (const std::optional<DeviceRecord> device = currentDevice(peer)) {
            send(socket, m_historyProvider(device->userId));
        }
        return;
    }
    send(socket, QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                             {QStringLiteral("code"), QStringLiteral("unsupported")},
                             {QStringLiteral("message"), QStringLiteral("unknown message type")}});
}

std::optional<DeviceRecord> DeviceHub::currentDevice(const Peer& peer)
{
    // Looked up again: a revocation since the device connected counts.
    Result<std::optional<DeviceRecord>> device = m_devices.find(peer.deviceId);
    if (!device) {
        // A storage problem is not a revocation: the device must not give up for good.
        qCWarning(lcDeviceHub).noquote() << device.error().message;
        send(peer.socket, QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                      {QStringLiteral("code"), QStringLiteral("server_error")},
                                      {QStringLiteral("message"), QStringLiteral("the server could not check this device")}});
        return std::nullopt;
    }
    if (!device->has_value() || (*device)->revokedAtMs) {
        close(peer.socket, CloseRevoked, QStringLiteral("device revoked"));
        return std::nullopt;
    }
    return **device;
}

void DeviceHub::authenticate(Peer& peer, const QJsonObject& message)
{
    QWebSocket* socket = peer.socket;
    const Result<DeviceMessage::Authenticate> request = DeviceMessage::authenticate(message);
    if (!request) {
        close(socket, CloseUnauthorized, QStringLiteral("authentication failed"));
        return;
    }
    const QString& deviceId = request->deviceId;
    Result<std::optional<DeviceRecord>> device = m_devices.find(deviceId);
    if (!device) {
        qCWarning(lcDeviceHub).noquote() << device.error().message;
        close(socket, QWebSocketProtocol::CloseCodeAbnormalDisconnection, QStringLiteral("server error"));
        return;
    }
    const QByteArray statement = device::DeviceStatements::deviceAuthentication(m_serverIdentity, deviceId, peer.nonce);
    if (!device->has_value() || !crypto::SigningKey::verify((*device)->publicKey, statement, request->signature)) {
        close(socket, CloseUnauthorized, QStringLiteral("authentication failed"));
        return;
    }
    if ((*device)->revokedAtMs) {
        close(socket, CloseRevoked, QStringLiteral("device revoked"));
        return;
    }
    peer.deviceId = deviceId;
    peer.userId = (*device)->userId;
    peer.nonce.clear(); // a challenge is answered once
    Result<std::optional<UserRecord>> user = m_users.findById(peer.userId);
    qCInfo(lcDeviceHub).noquote() << "device" << deviceId << "online";
    send(socket, QJsonObject{
                     {QStringLiteral("type"), QStringLiteral("welcome")},
                     {QStringLiteral("device_id"), deviceId},
                     {QStringLiteral("device_name"), (*device)->name},
                     {QStringLiteral("user"), user && user->has_value() ? (*user)->email : QString()},
                     {QStringLiteral("pending"), m_pendingProvider ? m_pendingProvider(peer.userId) : QJsonArray()},
                 });
}

int DeviceHub::sendToUser(const QString& userId, const QJsonObject& message)
{
    int sent = 0;
    for (auto it = m_peers.cbegin(); it != m_peers.cend(); ++it) {
        if (it->socket && !it->deviceId.isEmpty() && it->userId == userId) {
            send(it->socket, message);
            ++sent;
        }
    }
    return sent;
}

void DeviceHub::pingAll()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<QWebSocket*> sockets = m_peers.keys();
    for (QWebSocket* socket : sockets) {
        const auto it = m_peers.constFind(socket);
        if (it == m_peers.cend() || !it->socket) {
            continue;
        }
        if (now - it->lastHeardMs > silenceLimitMs) {
            socket->abort();
        } else {
            socket->ping();
        }
    }
}

void DeviceHub::shutdown()
{
    m_pingTimer.stop();
    const QList<QWebSocket*> sockets = m_peers.keys();
    for (QWebSocket* socket : sockets) {
        socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server shutting down"));
    }
}

} // namespace handoff::server
