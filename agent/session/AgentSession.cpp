#include "agent/session/AgentSession.h"

#include "agent/AgentLogging.h"
#include "agent/approval/ServerText.h"
#include "agent/cdp/CdpClient.h"
#include "agent/input/InputDispatcher.h"
#include "agent/screencast/FramePump.h"
#include "agent/screencast/Screencast.h"
#include "core/crypto/SecureMemory.h"
#include "core/protocol/SecureChannelV1.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/SessionLinkParser.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QUrlQuery>
#include <QWebSocket>

#include <chrono>

namespace handoff::agent {

using namespace std::chrono_literals;
using protocol::Incoming;
using protocol::WireMessage;

namespace {
constexpr int ExpiryGraceMs = 3000; // let the server's session_expired arrive first
constexpr qint64 MaxRelayMessageBytes = 4 * 1024 * 1024 + 4096;
} // namespace

AgentSession::AgentSession(AgentSessionConfig config, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_cdp(new CdpClient(this))
    , m_api(new ServerApi(m_config.server, m_config.apiKey, this))
    , m_screencast(new Screencast(m_cdp, this))
    , m_input(new InputDispatcher(m_cdp, this))
    , m_backoff(500ms, 15s)
{
    m_screencast->setQuality(m_config.quality);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &AgentSession::connectRelay);
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this,
            [this] { finish(Outcome::Timeout, QStringLiteral("the session expired before the person finished")); });
    connect(m_screencast, &Screencast::frameReceived, this, &AgentSession::onFrame);
    connect(m_input, &InputDispatcher::outcomeRequested, this, &AgentSession::onViewerOutcome);
    connect(m_cdp, &CdpClient::disconnected, this, [this](const QString&) {
        if (!m_finished) {
            finish(Outcome::Error, QStringLiteral("the browser's DevTools connection closed"));
        }
    });
}

AgentSession::~AgentSession()
{
    if (m_relay) {
        m_relay->disconnect(this);
        m_relay->abort();
    }
    if (m_channel) {
        m_channel->close();
    }
    crypto::wipe(m_viewerSecret);
}

QString AgentSession::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Resolved:
        return QStringLiteral("resolved");
    case Outcome::Cancelled:
        return QStringLiteral("cancelled");
    case Outcome::Timeout:
        return QStringLiteral("timeout");
    case Outcome::Error:
        break;
    }
    return QStringLiteral("error");
}

QString AgentSession::sas() const
{
    return m_channel ? m_channel->sas() : QString();
}

void AgentSession::start()
{
    if (m_config.protocolVersion == 2) {
        // Before the session exists: the fingerprint and the secret go into the link.
        Result<crypto::EcdhKeyPair> key = crypto::EcdhKeyPair::generate();
        if (!key) {
            finish(Outcome::Error, key.error().message);
            return;
        }
        Result<QByteArray> secret = protocol::SecureChannelV2::makeViewerSecret();
        if (!secret) {
            finish(Outcome::Error, secret.error().message);
            return;
        }
        m_pendingKey = std::move(key).value();
        m_viewerSecret = std::move(secret).value();
    }
    connect(m_cdp, &CdpClient::connectFailed, this, [this](const Error& error) {
        finish(Outcome::Error, QStringLiteral("could not connect to the browser: %1").arg(error.message));
    });
    connect(m_cdp, &CdpClient::connected, this, &AgentSession::createSession, Qt::SingleShotConnection);
    m_cdp->connectTo(m_config.cdpUrl, m_config.target);
}

void AgentSession::createSession()
{
    if (m_finished) {
        return;
    }
    if (m_config.request.contextUrl.isEmpty()) {
        m_config.request.contextUrl = m_cdp->target().url;
    }
    CreateSessionRequest request = m_config.request;
    if (m_config.protocolVersion == 2 && !request.loginHint.isEmpty()) {
        // The server delivers the link to the person's paired devices: with the
        // agent's own k and s in it, the app checks our key and proves itself to us
        // just as with the link we print.
        request.linkKeyFingerprint = protocol::SecureChannelV2::keyFingerprintB64Url(m_pendingKey->publicPoint());
        request.linkViewerSecret = protocol::SecureChannelV2::linkValue(m_viewerSecret);
    }
    QPointer<AgentSession> self(this);
    m_api->createSession(request, [self](const Result<CreatedSession>& created) {
        if (!self || self->m_finished) {
            return;
        }
        if (!created) {
            self->finish(Outcome::Error,
                         QStringLiteral("the server refused the session: %1 (%2)")
                             .arg(created.error().message, created.error().code));
            return;
        }
        self->m_created = *created;
        QUrl webLink = created->sessionUrl;
        if (self->m_config.protocolVersion == 2) {
            const QByteArray k = protocol::SecureChannelV2::keyFingerprintB64Url(self->m_pendingKey->publicPoint());
            QByteArray s = protocol::SecureChannelV2::linkValue(self->m_viewerSecret);
            auto channel = protocol::SecureChannelV2::createAgent(created->sessionId, std::move(*self->m_pendingKey),
                                                                  self->m_viewerSecret);
            self->m_pendingKey.reset();
            crypto::wipe(self->m_viewerSecret); // the channel holds its own copy
            if (!channel) {
                self->finish(Outcome::Error, channel.error().message);
                return;
            }
            self->m_channel = std::move(channel).value();
            webLink.setFragment(webLink.fragment(QUrl::FullyEncoded) + QStringLiteral("&k=") + QString::fromLatin1(k)
                                    + QStringLiteral("&s=") + QString::fromLatin1(s),
                                QUrl::TolerantMode);
            crypto::wipe(s);
        } else {
            auto channel = protocol::SecureChannelV1::create(protocol::ChannelRole::Agent);
            if (!channel) {
                self->finish(Outcome::Error, channel.error().message);
                return;
            }
            self->m_channel = std::move(channel).value();
        }
        // The app's own form, built by the app's own parser: a link the app would
        // refuse is caught here, before anyone is asked to open it.
        Result<protocol::SessionLink> parsed = protocol::SessionLinkParser::parse(webLink);
        if (!parsed) {
            self->finish(Outcome::Error, QStringLiteral("the server answered with an unusable session link: %1")
                                             .arg(parsed.error().message));
            return;
        }
        self->m_link = parsed->toHandoffUrl();
        const QDateTime expires = QDateTime::fromString(created->expiresAt, Qt::ISODateWithMs);
        if (expires.isValid()) {
            const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(expires) + ExpiryGraceMs;
            self->m_expiryTimer.start(static_cast<int>(std::clamp<qint64>(ms, 0, 24 * 3600 * 1000)));
        }
        qCInfo(lcAgent).noquote() << "session" << created->sessionId << "created, protocol version"
                                  << self->m_config.protocolVersion;
        Q_EMIT self->linkReady(self->m_link, webLink, created->sessionId);
        self->connectRelay();
    });
}

void AgentSession::connectRelay()
{
    if (m_finished || !m_created) {
        return;
    }
    if (m_relay) {
        m_relay->disconnect(this);
        m_relay->abort();
        m_relay->deleteLater();
    }
    m_relay = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_relay->setMaxAllowedIncomingMessageSize(MaxRelayMessageBytes);
    m_pump = m_pump ? m_pump : new FramePump([this] { return m_relay ? m_relay->bytesToWrite() : 0; },
                                             [this](const ScreencastFrame& f) { sendFrame(f); }, this);
    m_pump->clear();
    connect(m_relay, &QWebSocket::bytesWritten, m_pump, &FramePump::drained);
    connect(m_relay, &QWebSocket::connected, this, [this] {
        ++m_relayConnections;
        m_backoff.reset();
        qCInfo(lcAgent) << "connected to the relay";
        sendWire(WireMessage::text(m_channel->pubkeyMessage()));
    });
    connect(m_relay, &QWebSocket::textMessageReceived, this, &AgentSession::onRelayText);
    connect(m_relay, &QWebSocket::binaryMessageReceived, this, &AgentSession::onRelayBinary);
    connect(m_relay, &QWebSocket::disconnected, this, &AgentSession::onRelayClosed);
    QUrl url = m_created->streamUrl;
    QUrlQuery query(url);
    query.removeAllQueryItems(QStringLiteral("role"));
    query.removeAllQueryItems(QStringLiteral("token"));
    query.addQueryItem(QStringLiteral("role"), QStringLiteral("agent"));
    query.addQueryItem(QStringLiteral("token"), QString::fromUtf8(QUrl::toPercentEncoding(m_created->streamToken)));
    url.setQuery(query);
    m_relay->open(url);
}

void AgentSession::abortRelayForTest()
{
    if (m_relay) {
        m_relay->abort();
    }
}

void AgentSession::scheduleReconnect()
{
    const auto delay = m_backoff.next();
    qCInfo(lcAgent) << "relay connection lost; reconnecting in" << delay.count() << "ms";
    m_reconnectTimer.start(static_cast<int>(delay.count()));
}

void AgentSession::onRelayClosed()
{
    m_viewerReady = false;
    if (m_finished || m_ending) {
        return;
    }
    const auto code = static_cast<int>(m_relay->closeCode());
    if (code == 4401 || code == 4404) {
        finish(Outcome::Error, QStringLiteral("the relay refused the agent (%1)").arg(code));
        return;
    }
    if (code == 4410) {
        // The session turned terminal: ask the server which way.
        QPointer<AgentSession> self(this);
        m_api->getSession(m_created->sessionId, [self](const Result<QJsonObject>& r) {
            if (!self || self->m_finished) {
                return;
            }
            const QString status = r ? r->value(QLatin1String("status")).toString() : QString();
            if (status == QLatin1String("RESOLVED")) {
                self->finish(Outcome::Resolved, QStringLiteral("resolved"));
            } else if (status == QLatin1String("CANCELLED")) {
                self->finish(Outcome::Cancelled, QStringLiteral("the session was cancelled"));
            } else if (status == QLatin1String("TIMEOUT") || (!r && r.error().code == QLatin1String("expired"))) {
                self->finish(Outcome::Timeout, QStringLiteral("the session expired"));
            } else {
                self->finish(Outcome::Error, QStringLiteral("the session ended on the server"));
            }
        });
        return;
    }
    scheduleReconnect();
}

void AgentSession::sendWire(const WireMessage& message)
{
    if (!m_relay || m_relay->state() != QAbstractSocket::ConnectedState) {
        return;
    }
    if (message.type == WireMessage::Type::Text) {
        m_relay->sendTextMessage(QString::fromUtf8(message.data));
    } else {
        m_relay->sendBinaryMessage(message.data);
    }
}

void AgentSession::onRelayText(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    const QJsonObject object = QJsonDocument::fromJson(utf8).object();
    const QString type = object.value(QLatin1String("type")).toString();
    if (type == QLatin1String("viewer_connected")) {
        qCInfo(lcAgent) << "viewer connected";
        // The relay's word, not proof: in version 2 frames keep going to the viewer
        // that confirmed the keys (only it can read them) until it confirms again.
        if (m_channel && m_channel->version() == 1) {
            m_viewerReady = false;
        }
        Q_EMIT viewerConnected();
        if (!m_screencast->isRunning()) {
            m_screencast->start();
        }
        return;
    }
    if (type == QLatin1String("viewer_disconnected")) {
        qCInfo(lcAgent) << "viewer disconnected";
        m_viewerReady = false;
        m_pump->clear();
        m_screencast->stop();
        Q_EMIT viewerDisconnected();
        return;
    }
    if (type == QLatin1String("session_resolved")) {
        finish(Outcome::Resolved, QStringLiteral("resolved"));
        return;
    }
    if (type == QLatin1String("session_cancelled")) {
        finish(Outcome::Cancelled, QStringLiteral("the session was cancelled"));
        return;
    }
    if (type == QLatin1String("session_expired")) {
        finish(Outcome::Timeout, QStringLiteral("the session expired before the person finished"));
        return;
    }
    if (type == QLatin1String("error")) {
        qCWarning(lcAgent).noquote() << "relay error:" << ServerText::code(object.value(QLatin1String("code")).toString());
        return;
    }
    if (type == QLatin1String("pubkey")) {
        Result<protocol::PeerKeyAccepted> accepted = m_channel->acceptPeerKey(utf8);
        if (!accepted) {
            qCWarning(lcAgent).noquote() << "refused the viewer's key:" << accepted.error().code;
            return;
        }
        for (const WireMessage& reply : std::as_const(accepted->replies)) {
            sendWire(reply);
        }
        if (m_channel->version() == 1) {
            onViewerConfirmed(); // version 1 has no key confirmation
        } else {
            qCInfo(lcAgent) << "viewer key received" << (accepted->resumed ? "(resumed)" : "")
                            << "; waiting for its key confirmation";
        }
        return;
    }
    onIncoming(WireMessage::text(utf8));
}

void AgentSession::onViewerConfirmed()
{
    m_viewerReady = true;
    qCInfo(lcAgent) << "end-to-end keys confirmed by the viewer";
    if (!m_channel->sas().isEmpty()) {
        Q_EMIT sasReady(m_channel->sas());
    }
    if (m_channel->version() == 2) {
        sendDescription();
    }
    if (!m_screencast->isRunning()) {
        m_screencast->start();
    }
    if (m_screencast->lastFrame()) {
        m_pump->push(*m_screencast->lastFrame());
    }
}

void AgentSession::sendDescription()
{
    // The agent's own words for what the person is asked to do, end-to-end
    // encrypted: the app shows these rather than the relay's session_info.
    const QJsonObject description{
        {QStringLiteral("type"), QStringLiteral("session_info")},
        {QStringLiteral("service"), m_config.request.service},
        {QStringLiteral("context"), m_config.request.contextJson()},
    };
    Result<WireMessage> sealed = m_channel->encryptControl(QJsonDocument(description).toJson(QJsonDocument::Compact));
    if (!sealed) {
        qCWarning(lcAgent).noquote() << "could not seal the session description:" << sealed.error().code;
        return;
    }
    sendWire(*sealed);
}

void AgentSession::onRelayBinary(const QByteArray& data)
{
    onIncoming(WireMessage::binary(data));
}

void AgentSession::onIncoming(const WireMessage& message)
{
    if (!m_channel) {
        return;
    }
    Result<Incoming> incoming = m_channel->receive(message);
    if (!incoming) {
        qCWarning(lcAgent).noquote() << "dropped a relay message:" << incoming.error().code;
        return;
    }
    for (const WireMessage& reply : std::as_const(incoming->replies)) {
        sendWire(reply);
    }
    QByteArray plaintext = std::move(incoming->plaintext);
    switch (incoming->kind) {
    case Incoming::Kind::Handshake:
        if (!m_viewerReady && m_channel->isReady()) {
            onViewerConfirmed();
        }
        break;
    case Incoming::Kind::Input:
        m_input->handleJson(plaintext);
        break;
    case Incoming::Kind::Control:
        onControl(plaintext);
        break;
    case Incoming::Kind::Frame:
    case Incoming::Kind::Nothing:
        break;
    }
    crypto::wipe(plaintext);
}

void AgentSession::onControl(const QByteArray& json)
{
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    if (object.value(QLatin1String("type")).toString() == QLatin1String("viewport")) {
        const QJsonValue w = object.value(QLatin1String("width"));
        const QJsonValue h = object.value(QLatin1String("height"));
        if (!w.isDouble() || !h.isDouble()) {
            qCWarning(lcAgent) << "ignored a viewport request without numbers";
            return;
        }
        const QSize applied = m_screencast->setViewport(static_cast<int>(std::clamp(w.toDouble(), 0.0, 100000.0)),
                                                        static_cast<int>(std::clamp(h.toDouble(), 0.0, 100000.0)));
        qCInfo(lcAgent) << "viewport set to" << applied;
    }
}

void AgentSession::onFrame(const ScreencastFrame& frame)
{
    if (m_viewerReady && m_pump) {
        m_pump->push(frame);
    }
}

void AgentSession::sendFrame(const ScreencastFrame& frame)
{
    Result<QList<WireMessage>> wire = m_channel->encryptFrame(frame.meta, frame.image);
    if (!wire) {
        qCWarning(lcAgent).noquote() << "could not seal a frame:" << wire.error().code;
        return;
    }
    for (const WireMessage& message : std::as_const(*wire)) {
        sendWire(message);
    }
}

void AgentSession::onViewerOutcome(bool resolved)
{
    if (m_finished || m_ending || !m_created) {
        return;
    }
    m_ending = true;
    QPointer<AgentSession> self(this);
    const auto done = [self, resolved](const Result<QJsonObject>& r) {
        if (!self) {
            return;
        }
        if (!r) {
            qCWarning(lcAgent).noquote() << "the server did not record the outcome:" << r.error().code;
        }
        self->finish(resolved ? Outcome::Resolved : Outcome::Cancelled,
                     resolved ? QStringLiteral("resolved") : QStringLiteral("the person cancelled"));
    };
    if (resolved) {
        m_api->resolveSession(m_created->sessionId, done);
    } else {
        m_api->cancelSession(m_created->sessionId, done);
    }
}

void AgentSession::cancel()
{
    if (m_finished || m_ending) {
        return;
    }
    if (!m_created) {
        finish(Outcome::Cancelled, QStringLiteral("cancelled before the session was created"));
        return;
    }
    m_ending = true;
    QPointer<AgentSession> self(this);
    m_api->cancelSession(m_created->sessionId, [self](const Result<QJsonObject>& r) {
        if (!self) {
            return;
        }
        if (!r) {
            qCWarning(lcAgent).noquote() << "the server did not record the cancel:" << r.error().code;
        }
        self->finish(Outcome::Cancelled, QStringLiteral("cancelled"));
    });
}

void AgentSession::finish(Outcome outcome, const QString& message)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_outcome = outcome;
    m_reconnectTimer.stop();
    m_expiryTimer.stop();
    if (m_screencast->isRunning()) {
        m_screencast->stop();
    }
    if (m_relay) {
        m_relay->close();
    }
    if (m_channel) {
        m_channel->close();
    }
    qCInfo(lcAgent).noquote() << "session ended:" << outcomeName(outcome);
    Q_EMIT finished(outcome, message);
}

} // namespace handoff::agent
