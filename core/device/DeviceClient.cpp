#include "core/device/DeviceClient.h"

#include "core/crypto/Random.h"
#include "core/crypto/SigningKey.h"
#include "core/device/DeviceStatements.h"
#include "core/keystore/Keystore.h"
#include "core/session/ReconnectBackoff.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QWebSocket>

namespace handoff::device {

namespace {

Q_LOGGING_CATEGORY(lcDevice, "handoff.device", QtInfoMsg)

constexpr int keepAliveIntervalMs = 20'000;
constexpr int silenceLimitMs = 60'000;
constexpr qint64 maxIncomingMessageBytes = 256 * 1024;
constexpr int pairingTimeoutMs = 20'000;
// Close codes with which the server says "this device is not (or no longer) welcome".
constexpr int closeUnauthorized = 4401;
constexpr int closeRevoked = 4403;

QByteArray base64Url(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString outcomeWord(bool approve)
{
    return approve ? DeviceStatements::approveWord() : DeviceStatements::denyWord();
}

} // namespace

DeviceClient::DeviceClient(keystore::Keystore& keystore, QObject* parent)
    : QObject(parent)
    , m_keystore(keystore)
    , m_network(new QNetworkAccessManager(this))
    , m_backoff(std::make_unique<session::ReconnectBackoff>(std::chrono::milliseconds(1000),
                                                            std::chrono::milliseconds(60'000)))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &DeviceClient::openSocket);
    m_keepAliveTimer.setInterval(keepAliveIntervalMs);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, [this] {
        if (!m_socket) {
            return;
        }
        if (QDateTime::currentMSecsSinceEpoch() - m_lastHeardMs > silenceLimitMs) {
            qCInfo(lcDevice) << "the server went silent; reconnecting";
            m_socket->abort();
            return;
        }
        m_socket->ping();
    });
}

DeviceClient::~DeviceClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

void DeviceClient::setReconnectDelays(std::chrono::milliseconds initial, std::chrono::milliseconds maximum)
{
    m_backoff = std::make_unique<session::ReconnectBackoff>(initial, maximum);
}

void DeviceClient::setState(State state)
{
    if (m_state != state) {
        m_state = state;
        Q_EMIT stateChanged(state);
    }
}

void DeviceClient::fail(const Error& error)
{
    qCWarning(lcDevice).noquote() << "device channel stopped:" << error.code;
    m_reconnectTimer.stop();
    m_keepAliveTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_key.reset();
    setState(State::Failed);
    Q_EMIT failed(error);
}

std::optional<ApprovalRequest> DeviceClient::pendingRequest(const QString& authReqId) const
{
    const auto it = m_pending.constFind(authReqId);
    if (it == m_pending.constEnd()) {
        return std::nullopt;
    }
    return *it;
}

// ---- pairing ----------------------------------------------------------------

void DeviceClient::pair(const PairingLink& link, const QString& deviceName)
{
    const QString name = deviceName.trimmed();
    if (name.isEmpty() || name.size() > 100) {
        Q_EMIT pairingFailed(Error{QStringLiteral("invalid_name"), QStringLiteral("A device name needs 1 to 100 characters.")});
        return;
    }
    Result<crypto::SigningKey> key = crypto::SigningKey::generate();
    Result<QByteArray> localId = crypto::Random::base62(16);
    if (!key || !localId) {
        Q_EMIT pairingFailed(Error{QStringLiteral("crypto"), QStringLiteral("Could not make a device key.")});
        return;
    }
    Result<crypto::SecretBytes> pkcs8 = key->exportPkcs8();
    if (!pkcs8) {
        Q_EMIT pairingFailed(pkcs8.error());
        return;
    }
    const QString identity = DeviceStatements::serverIdentity(link.server);
    const QByteArray publicKey = key->publicPoint().toBase64();
    Result<QByteArray> signature = key->sign(DeviceStatements::pairing(identity, link.token, publicKey, name));
    if (!signature) {
        Q_EMIT pairingFailed(signature.error());
        return;
    }
    const QString keyName = QStringLiteral("device/%1/%2").arg(identity, QString::fromLatin1(*localId));
    const QByteArray signatureText = base64Url(*signature);
    // The key goes into the keychain first: if that fails nothing is registered.
    m_keystore.write(keyName, pkcs8->bytes(),
                     [this, guard = QPointer<DeviceClient>(this), link, name, keyName, publicKey,
                      signatureText](Result<void> written) {
                         if (!guard) {
                             return;
                         }
                         if (!written) {
                             Q_EMIT pairingFailed(written.error());
                             return;
                         }
                         finishPairing(link, name, keyName, publicKey, signatureText);
                     });
}

void DeviceClient::finishPairing(const PairingLink& link, const QString& deviceName, const QString& keyName,
                                 const QByteArray& publicKey, const QByteArray& signature)
{
    QUrl url = link.server;
    url.setPath(link.server.path() + QStringLiteral("/device/pair"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(pairingTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    const QJsonObject body{
        {QStringLiteral("pairing_token"), link.token},
        {QStringLiteral("public_key"), QString::fromLatin1(publicKey)},
        {QStringLiteral("name"), deviceName},
        {QStringLiteral("signature"), QString::fromLatin1(signature)},
    };
    QNetworkReply* reply = m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply, link, deviceName, keyName] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(reply->read(64 * 1024)).object();
        if (status == 201) {
            DeviceAccount account;
            account.server = link.server;
            account.deviceId = answer.value(QStringLiteral("device_id")).toString();
            account.user = answer.value(QStringLiteral("user")).toString();
            account.deviceName = deviceName;
            account.keyName = keyName;
            if (account.isValid()) {
                qCInfo(lcDevice).noquote() << "paired as device" << account.deviceId;
                Q_EMIT paired(account);
                return;
            }
        }
        Error error{QStringLiteral("pairing_failed"), QStringLiteral("The server did not accept the pairing.")};
        if (status == 0) {
            error.message = QStringLiteral("Could not reach the server: %1").arg(reply->errorString());
        } else if (answer.contains(QStringLiteral("message"))) {
            error.code = answer.value(QStringLiteral("error")).toString(error.code);
            error.message = answer.value(QStringLiteral("message")).toString().left(300);
        }
        // Nothing was registered: the key has no use and leaves the keychain.
        m_keystore.remove(keyName, [](Result<void>) {});
        Q_EMIT pairingFailed(error);
    });
}

// ---- the channel --------------------------------------------------------------

void DeviceClient::start(const DeviceAccount& account)
{
    stop();
    m_account = account;
    m_serverIdentity = DeviceStatements::serverIdentity(account.server);
    setState(State::LoadingKey);
    const quint64 generation = m_generation;
    m_keystore.read(account.keyName, [this, guard = QPointer<DeviceClient>(this), generation](
                                         Result<crypto::SecretBytes> secret) {
        if (!guard || generation != m_generation) {
            return;
        }
        if (!secret) {
            if (secret.error().code == QLatin1String("not_found")) {
                fail(Error{QStringLiteral("key_missing"),
                           QStringLiteral("The keychain no longer holds this device's key. Pair the device again.")});
            } else {
                fail(secret.error());
            }
            return;
        }
        Result<crypto::SigningKey> key = crypto::SigningKey::importPkcs8(secret->bytes());
        if (!key) {
            fail(Error{QStringLiteral("key_invalid"),
                       QStringLiteral("The device key in the keychain is damaged. Pair the device again.")});
            return;
        }
        m_key = std::make_unique<crypto::SigningKey>(std::move(*key));
        m_backoff->reset();
        openSocket();
    });
}

void DeviceClient::stop()
{
    ++m_generation;
    m_reconnectTimer.stop();
    m_keepAliveTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_key.reset();
    m_pending.clear();
    setState(State::Idle);
}

void DeviceClient::openSocket()
{
    if (!m_key) {
        return;
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    auto* socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    socket->setMaxAllowedIncomingMessageSize(maxIncomingMessageBytes);
    socket->setMaxAllowedIncomingFrameSize(maxIncomingMessageBytes);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, &DeviceClient::onConnected);
    connect(socket, &QWebSocket::disconnected, this, &DeviceClient::onDisconnected);
    connect(socket, &QWebSocket::textMessageReceived, this, &DeviceClient::onTextMessage);
    connect(socket, &QWebSocket::pong, this, [this] { m_lastHeardMs = QDateTime::currentMSecsSinceEpoch(); });
    setState(State::Connecting);
    socket->open(m_account.channelUrl());
}

void DeviceClient::onConnected()
{
    m_lastHeardMs = QDateTime::currentMSecsSinceEpoch();
    m_keepAliveTimer.start();
    setState(State::Authenticating);
}

void DeviceClient::onDisconnected()
{
    auto* socket = qobject_cast<QWebSocket*>(sender());
    if (!socket || socket != m_socket) {
        return;
    }
    const int code = socket->closeCode();
    const QString reason = socket->closeReason();
    socket->deleteLater();
    m_socket = nullptr;
    m_keepAliveTimer.stop();
    if (code == closeUnauthorized || code == closeRevoked) {
        fail(Error{code == closeRevoked ? QStringLiteral("device_revoked") : QStringLiteral("device_rejected"),
                   code == closeRevoked
                       ? QStringLiteral("This device was removed from your account on the server. Pair it again to "
                                        "receive approval requests.")
                       : QStringLiteral("The server did not recognise this device (%1). Pair it again.").arg(reason)});
        return;
    }
    scheduleReconnect();
}

void DeviceClient::scheduleReconnect()
{
    if (m_state == State::Failed || m_state == State::Idle) {
        return;
    }
    const std::chrono::milliseconds delay = m_backoff->next();
    qCInfo(lcDevice) << "device channel lost; reconnecting in" << delay.count() << "ms";
    setState(State::WaitingToReconnect);
    m_reconnectTimer.start(int(delay.count()));
}

void DeviceClient::send(const QJsonObject& message)
{
    if (m_socket) {
        m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }
}

void DeviceClient::onTextMessage(const QString& text)
{
    m_lastHeardMs = QDateTime::currentMSecsSinceEpoch();
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        qCWarning(lcDevice) << "ignored a malformed message from the server";
        return;
    }
    const QJsonObject message = document.object();
    const QString type = message.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("challenge")) {
        handleChallenge(message);
    } else if (type == QLatin1String("welcome")) {
        handleWelcome(message);
    } else if (m_state != State::Online) {
        qCWarning(lcDevice).noquote() << "ignored" << type.left(40) << "before authentication";
    } else if (type == QLatin1String("approval_request")) {
        handleApprovalRequest(message);
    } else if (type == QLatin1String("approval_closed")) {
        handleApprovalClosed(message);
    } else if (type == QLatin1String("decision_result")) {
        const QString id = message.value(QStringLiteral("auth_req_id")).toString();
        const bool accepted = message.value(QStringLiteral("accepted")).toBool();
        if (accepted) {
            m_pending.remove(id);
        }
        Q_EMIT decisionResult(id, accepted, message.value(QStringLiteral("message")).toString().left(300),
                              message.value(QStringLiteral("error")).toString().left(64));
    } else if (type == QLatin1String("session_request")) {
        Result<SessionRequestNotice> notice = SessionRequestNotice::fromJson(message);
        if (notice) {
            Q_EMIT sessionRequested(*notice);
        }
    } else if (type == QLatin1String("notice")) {
        Q_EMIT noticeReceived(message.value(QStringLiteral("code")).toString().left(64),
                              message.value(QStringLiteral("message")).toString().left(500));
    } else if (type == QLatin1String("history")) {
        QList<ApprovalHistoryEntry> entries;
        const QJsonArray array = message.value(QStringLiteral("entries")).toArray();
        for (const QJsonValue& value : array) {
            Result<ApprovalHistoryEntry> entry = ApprovalHistoryEntry::fromJson(value.toObject());
            if (entry) {
                entries.append(*entry);
            }
        }
        Q_EMIT historyReceived(entries);
    }
}

void DeviceClient::handleChallenge(const QJsonObject& message)
{
    const QString nonce = message.value(QStringLiteral("nonce")).toString();
    if (m_state != State::Authenticating || nonce.size() < 32 || nonce.size() > 128 || !m_key) {
        return;
    }
    Result<QByteArray> signature =
        m_key->sign(DeviceStatements::deviceAuthentication(m_serverIdentity, m_account.deviceId, nonce));
    if (!signature) {
        fail(signature.error());
        return;
    }
    send(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("authenticate")},
        {QStringLiteral("device_id"), m_account.deviceId},
        {QStringLiteral("signature"), QString::fromLatin1(base64Url(*signature))},
    });
}

void DeviceClient::handleWelcome(const QJsonObject& message)
{
    if (m_state != State::Authenticating) {
        return;
    }
    m_backoff->reset();
    setState(State::Online);
    qCInfo(lcDevice).noquote() << "device channel online as" << m_account.deviceId;
    // The server lists every request still waiting; anything we held that is not
    // in the list ended while we were away.
    QHash<QString, ApprovalRequest> fresh;
    const QJsonArray pending = message.value(QStringLiteral("pending")).toArray();
    for (const QJsonValue& value : pending) {
        Result<ApprovalRequest> request = ApprovalRequest::fromJson(value.toObject());
        if (request) {
            fresh.insert(request->authReqId, *request);
        }
    }
    const QList<QString> held = m_pending.keys();
    for (const QString& id : held) {
        if (!fresh.contains(id)) {
            m_pending.remove(id);
            Q_EMIT approvalClosed(id, QStringLiteral("closed"), QString(),
                                  QStringLiteral("This request ended while the device was offline."));
        }
    }
    for (auto it = fresh.cbegin(); it != fresh.cend(); ++it) {
        if (!m_pending.contains(it.key())) {
            m_pending.insert(it.key(), it.value());
            Q_EMIT approvalRequested(it.value());
        }
    }
}

void DeviceClient::handleApprovalRequest(const QJsonObject& message)
{
    Result<ApprovalRequest> request = ApprovalRequest::fromJson(message);
    if (!request) {
        qCWarning(lcDevice) << "ignored a malformed approval request";
        return;
    }
    if (m_pending.contains(request->authReqId)) {
        return;
    }
    m_pending.insert(request->authReqId, *request);
    Q_EMIT approvalRequested(*request);
}

void DeviceClient::handleApprovalClosed(const QJsonObject& message)
{
    const QString id = message.value(QStringLiteral("auth_req_id")).toString();
    if (m_pending.remove(id) == 0) {
        return;
    }
    Q_EMIT approvalClosed(id, message.value(QStringLiteral("outcome")).toString().left(20),
                          message.value(QStringLiteral("by_device")).toString().left(100),
                          message.value(QStringLiteral("message")).toString().left(300));
}

Result<void> DeviceClient::decide(const QString& authReqId, bool approve)
{
    const auto it = m_pending.constFind(authReqId);
    if (it == m_pending.constEnd()) {
        return Error{QStringLiteral("unknown_request"), QStringLiteral("This request is no longer waiting.")};
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (approve && it->isExpired(now)) {
        return Error{QStringLiteral("expired"), QStringLiteral("This request has expired and can no longer be approved.")};
    }
    if (m_state != State::Online || !m_key) {
        return Error{QStringLiteral("offline"), QStringLiteral("Not connected to the server; try again in a moment.")};
    }
    const QString decidedAt = DeviceStatements::timestamp(now.toMSecsSinceEpoch());
    const QString word = outcomeWord(approve);
    Result<QByteArray> signature =
        m_key->sign(DeviceStatements::approvalDecision(m_serverIdentity, *it, m_account.deviceId, word, decidedAt));
    if (!signature) {
        return signature.error();
    }
    send(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("approval_decision")},
        {QStringLiteral("auth_req_id"), authReqId},
        {QStringLiteral("decision"), word},
        {QStringLiteral("decided_at"), decidedAt},
        {QStringLiteral("signature"), QString::fromLatin1(base64Url(*signature))},
    });
    return Result<void>::success();
}

void DeviceClient::requestHistory()
{
    if (m_state == State::Online) {
        send(QJsonObject{{QStringLiteral("type"), QStringLiteral("history_request")}});
    }
}

} // namespace handoff::device
