#include "core/session/ViewerSession.h"

#include "core/crypto/SecureMemory.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/SecureChannel.h"
#include "core/protocol/SessionLink.h"
#include "core/protocol/V1Envelope.h"
#include "core/protocol/V1InputJson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcSession, "handoff.session", QtInfoMsg)

namespace handoff::session {

namespace {

using protocol::WireMessage;

// Close codes of the stream WebSocket (PROTOCOL 2).
constexpr quint16 CloseBadToken = 4401;
constexpr quint16 CloseNotFound = 4404;
constexpr quint16 CloseAnotherViewer = 4409;
constexpr quint16 CloseTerminal = 4410;
constexpr quint16 CloseRateLimited = 4429;

// Security failures of the key exchange: each one means that someone between the
// two ends may be trying to read or steer the session.
bool isKeySubstitution(const QString& code)
{
    return code == QLatin1String("key_mismatch") || code == QLatin1String("downgrade")
        || code == QLatin1String("peer_key_changed") || code == QLatin1String("commitment_mismatch")
        || code == QLatin1String("commitment_changed");
}

// Plaintext messages the relay itself originates; everything else comes from the agent.
bool isServerMessage(const QString& type)
{
    static const QStringList types = {
        QStringLiteral("session_info"),      QStringLiteral("agent_connected"),   QStringLiteral("agent_disconnected"),
        QStringLiteral("session_expired"),   QStringLiteral("session_cancelled"), QStringLiteral("session_resolved"),
        QStringLiteral("error"),
    };
    return types.contains(type);
}

} // namespace

ViewerSession::ViewerSession(const protocol::SessionLink& link, QObject* parent)
    : ViewerSession(targetFrom(link), Options{}, parent)
{
}

ViewerSession::ViewerSession(const protocol::SessionLink& link, const Options& options, QObject* parent)
    : ViewerSession(targetFrom(link), options, parent)
{
}

ViewerSession::ViewerSession(Target target, const Options& options, QObject* parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_options(options)
    , m_backoff(options.reconnectInitialDelay, options.reconnectMaximumDelay)
{
    m_info.sessionId = m_target.sessionId;
    m_clock.start();
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ViewerSession::openSocket);
    m_agentGoneTimer.setSingleShot(true);
    m_agentGoneTimer.setInterval(options.agentGoneTimeout);
    connect(&m_agentGoneTimer, &QTimer::timeout, this, [this] {
        end(EndReason::AgentGone, QStringLiteral("The agent left the session and did not come back."));
    });
}

ViewerSession::~ViewerSession()
{
    if (m_channel)
        m_channel->close();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

ViewerSession::Target ViewerSession::targetFrom(const protocol::SessionLink& link)
{
    return Target{link.streamUrl(), link.sessionId(), link.keyFingerprint().value_or(QByteArray()),
                  link.viewerSecret().value_or(QByteArray())};
}

void ViewerSession::start()
{
    if (m_state != State::Idle)
        return;
    qCDebug(lcSession) << "Opening session" << m_target.sessionId << (keyPinned() ? "(key pinned)" : "(no key in link)");
    setState(State::Connecting);
    openSocket();
}

void ViewerSession::close()
{
    end(EndReason::Closed, QStringLiteral("You left the session."));
}

void ViewerSession::openSocket()
{
    if (m_state == State::Ended)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_peerKeyOnThisSocket = false;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(MaxIncomingMessageSize);
    connect(m_socket, &QWebSocket::connected, this, &ViewerSession::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &ViewerSession::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ViewerSession::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ViewerSession::onBinaryMessage);
    m_socket->open(m_target.streamUrl);
}

void ViewerSession::onConnected()
{
    qCDebug(lcSession) << "Connected to the relay";
    m_giveUp = QDeadlineTimer(QDeadlineTimer::Forever);
    setState(State::Handshaking);
    // After a reconnect, our key tells the agent it is the same viewer; the relay
    // also sends the agent's key again, which completes the resume.
    if (m_channel)
        send(WireMessage::text(m_channel->pubkeyMessage()));
}

void ViewerSession::onDisconnected()
{
    if (m_state == State::Ended)
        return;
    const quint16 code = m_socket ? quint16(m_socket->closeCode()) : 0;
    qCDebug(lcSession) << "The relay connection closed, code" << code;
    if (m_agentConnected) {
        // Unknown until the relay tells us again after the reconnect.
        m_agentConnected = false;
        Q_EMIT agentPresenceChanged(false);
    }
    switch (code) {
    case CloseBadToken:
        end(EndReason::Rejected, QStringLiteral("The relay did not accept this link. It may be mistyped or "
                                                "meant for someone else."));
        return;
    case CloseNotFound:
        end(EndReason::Rejected, QStringLiteral("The relay does not know this session."));
        return;
    case CloseAnotherViewer:
        end(EndReason::Rejected, QStringLiteral("Another viewer has already joined this session."));
        return;
    case CloseTerminal:
        end(EndReason::Rejected, QStringLiteral("This session has already ended."));
        return;
    case CloseRateLimited:
        Q_EMIT warning(QStringLiteral("rate_limited"),
                       QStringLiteral("Too much input in too little time; reconnecting."));
        break;
    default:
        break;
    }
    scheduleReconnect();
}

void ViewerSession::scheduleReconnect()
{
    if (m_giveUp.isForever())
        m_giveUp = QDeadlineTimer(m_options.reconnectGiveUpAfter);
    const bool pastExpiry = m_info.expiresAt.isValid() && m_info.expiresAt <= QDateTime::currentDateTimeUtc();
    if (m_giveUp.hasExpired() || pastExpiry) {
        end(pastExpiry ? EndReason::Expired : EndReason::ConnectionLost,
            pastExpiry ? QStringLiteral("The session's time ran out while the relay was unreachable.")
                       : QStringLiteral("The relay could not be reached again."));
        return;
    }
    const auto delay = m_backoff.next();
    qCDebug(lcSession) << "Reconnecting in" << delay.count() << "ms, attempt" << m_backoff.attempts();
    setState(State::Reconnecting);
    m_reconnectTimer.start(delay);
}

void ViewerSession::onTextMessage(const QString& text)
{
    if (m_state == State::Ended)
        return;
    const QByteArray json = text.toUtf8();
    auto type = protocol::V1Envelope::messageType(json);
    if (!type) {
        qCWarning(lcSession) << "Dropped a text message that is not JSON";
        return;
    }
    if (isServerMessage(*type))
        handleServerMessage(*type, json);
    else if (*type == QLatin1String("pubkey"))
        handlePubkey(json);
    else
        handleChannelMessage(WireMessage::text(json));
}

void ViewerSession::onBinaryMessage(const QByteArray& data)
{
    if (m_state == State::Ended)
        return;
    handleChannelMessage(WireMessage::binary(data));
}

void ViewerSession::handleServerMessage(const QString& type, const QByteArray& json)
{
    if (type == QLatin1String("session_info")) {
        auto info = SessionInfo::parse(json);
        if (!info) {
            qCWarning(lcSession) << "Ignored a session_info message:" << info.error().message;
            return;
        }
        if (!info->sessionId.isEmpty() && info->sessionId != m_target.sessionId) {
            end(EndReason::ProtocolError, QStringLiteral("The relay described a different session."));
            return;
        }
        // The expiry is the server's to tell. What the session is about is the
        // agent's: in version 2 it comes end-to-end encrypted once the handshake is
        // done, and the relay's copy, which a hostile relay could rewrite, is only
        // used in version 1, which has nothing better.
        m_info.expiresAt = info->expiresAt;
        m_relayDescription = std::move(*info);
        m_relayDescription.source = SessionInfo::Source::Relay;
        if (m_version == 1)
            adoptDescription(m_relayDescription, SessionInfo::Source::Relay);
        Q_EMIT sessionInfoReceived(m_info);
    } else if (type == QLatin1String("agent_connected")) {
        setAgentConnected(true);
    } else if (type == QLatin1String("agent_disconnected")) {
        setAgentConnected(false);
    } else if (type == QLatin1String("session_resolved")) {
        end(EndReason::Resolved, QStringLiteral("The session was completed."));
    } else if (type == QLatin1String("session_cancelled")) {
        end(EndReason::Cancelled, QStringLiteral("The session was cancelled."));
    } else if (type == QLatin1String("session_expired")) {
        end(EndReason::Expired, QStringLiteral("The session's time ran out."));
    } else if (type == QLatin1String("error")) {
        const QJsonObject object = QJsonDocument::fromJson(json).object();
        const QString code = object.value(QLatin1String("code")).toString().left(64);
        const QString message = object.value(QLatin1String("message")).toString().left(500);
        qCWarning(lcSession) << "The relay reported an error:" << code;
        Q_EMIT warning(code, message.isEmpty() ? QStringLiteral("The relay reported an error.") : message);
    }
}

void ViewerSession::handlePubkey(const QByteArray& json)
{
    if (!m_channel) {
        auto created = protocol::SecureChannel::createViewerFor(json, m_target.sessionId, m_target.agentKeyFingerprint,
                                                                m_target.viewerSecret);
        if (!created) {
            const Error& error = created.error();
            qCWarning(lcSession) << "The agent's key was refused:" << error.code;
            end(isKeySubstitution(error.code) ? EndReason::KeyMismatch : EndReason::ProtocolError, error.message);
            return;
        }
        m_channel = std::move(*created);
        m_version = m_channel->version();
        qCDebug(lcSession) << "Protocol version" << m_version;
        Q_EMIT protocolVersionKnown(m_version);
        if (m_version == 1 && m_relayDescription.source == SessionInfo::Source::Relay) {
            adoptDescription(m_relayDescription, SessionInfo::Source::Relay);
            Q_EMIT sessionInfoReceived(m_info);
        }
    }

    auto accepted = m_channel->acceptPeerKey(json);
    if (!accepted) {
        const Error& error = accepted.error();
        qCWarning(lcSession) << "The agent's key was refused:" << error.code;
        end(isKeySubstitution(error.code) ? EndReason::KeyMismatch : EndReason::ProtocolError, error.message);
        return;
    }
    qCDebug(lcSession) << (accepted->resumed ? "Resumed with the same keys" : "Keys derived");
    for (const WireMessage& reply : accepted->replies)
        send(reply);
    m_peerKeyOnThisSocket = true;
    // The relay also sends a cached key when the agent is away: presence comes
    // from agent_connected, frames and "ready", not from the key.
    refreshState();
}

void ViewerSession::handleChannelMessage(const WireMessage& message)
{
    if (!m_channel) {
        // A cached version-1 frame can arrive before the key; it will come again.
        ++m_droppedBeforeChannel;
        return;
    }
    auto incoming = m_channel->receive(message);
    if (!incoming) {
        const Error& error = incoming.error();
        if (m_channel->isClosed()) {
            // The channel caught the other end breaking the handshake's promises.
            qCWarning(lcSession) << "The handshake failed:" << error.code;
            end(isKeySubstitution(error.code) ? EndReason::KeyMismatch : EndReason::ProtocolError, error.message);
            return;
        }
        qCDebug(lcSession) << "Dropped a message:" << error.code;
        return;
    }
    for (const WireMessage& reply : std::as_const(incoming->replies))
        send(reply);
    switch (incoming->kind) {
    case protocol::Incoming::Kind::Frame:
        ++m_framesReceived;
        setAgentConnected(true);
        Q_EMIT frameReceived(incoming->plaintext, incoming->frame);
        break;
    case protocol::Incoming::Kind::Control:
        handleControl(incoming->plaintext);
        break;
    case protocol::Incoming::Kind::Handshake:
        // A valid record from the agent: it holds the keys, so it is there.
        setAgentConnected(true);
        refreshState();
        break;
    case protocol::Incoming::Kind::Input: // never travels to a viewer; the channel refuses it
    case protocol::Incoming::Kind::Nothing:
        break;
    }
}

void ViewerSession::handleControl(const QByteArray& json)
{
    const QString type = QJsonDocument::fromJson(json).object().value(QLatin1String("type")).toString();
    if (type == QLatin1String("session_info")) {
        auto description = SessionInfo::parse(json);
        if (!description) {
            qCWarning(lcSession) << "Ignored the agent's session description:" << description.error().code;
            return;
        }
        adoptDescription(*description, SessionInfo::Source::Agent);
        Q_EMIT sessionInfoReceived(m_info);
    } else if (type == QLatin1String("viewport_error")) {
        Q_EMIT warning(QStringLiteral("viewport_error"), QStringLiteral("The agent could not resize its page."));
    }
    // Other control messages are for newer viewers; ignoring them is safe.
}

Result<void> ViewerSession::sendInput(const protocol::InputEvent& event)
{
    if (!canSendInput()) {
        return Result<void>::failure(QStringLiteral("not_ready"),
                                     QStringLiteral("The encrypted channel is not ready; nothing was sent."));
    }
    if (auto valid = protocol::InputEventCodec::validate(event); !valid)
        return valid;
    if (m_rateLimiter.check(event, m_clock.elapsed()) != protocol::InputRateLimiter::Verdict::Allowed) {
        return Result<void>::failure(QStringLiteral("rate_limited"),
                                     QStringLiteral("Input is arriving faster than the agent accepts; "
                                                    "an event was not sent."));
    }
    // Version 1 writes what AuthLoop's viewer writes (see V1InputJson).
    QByteArray json
        = m_version == 1 ? protocol::V1InputJson::serialize(event) : protocol::InputEventCodec::serialize(event);
    auto sealed = m_channel->encryptInput(json);
    crypto::wipe(json);
    if (!sealed)
        return sealed.error();
    send(*sealed);
    return {};
}

bool ViewerSession::canSendInput() const
{
    return m_state == State::Ready && m_agentConnected && m_socket
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

Result<void> ViewerSession::requestViewport(QSize cssSize)
{
    if (cssSize.width() < 1 || cssSize.height() < 1 || cssSize.width() > 10'000 || cssSize.height() > 10'000)
        return Result<void>::failure(QStringLiteral("bad_viewport"),
                                     QStringLiteral("A viewport is 1 to 10,000 CSS pixels on each side."));
    if (m_version == 1)
        return Result<void>::failure(QStringLiteral("unsupported"),
                                     QStringLiteral("Protocol version 1 cannot resize the agent's page."));
    m_viewport = cssSize;
    sendPendingViewport();
    return {};
}

void ViewerSession::sendPendingViewport()
{
    if (!m_viewport || m_viewport == m_viewportSent || m_version != 2 || !canSendInput())
        return;
    const QJsonObject control{
        {QStringLiteral("type"), QStringLiteral("viewport")},
        {QStringLiteral("width"), m_viewport->width()},
        {QStringLiteral("height"), m_viewport->height()},
    };
    auto sealed = m_channel->encryptControl(QJsonDocument(control).toJson(QJsonDocument::Compact));
    if (!sealed) {
        qCWarning(lcSession) << "The viewport request could not be sealed:" << sealed.error().code;
        return;
    }
    send(*sealed);
    m_viewportSent = m_viewport;
}

void ViewerSession::adoptDescription(const SessionInfo& description, SessionInfo::Source source)
{
    m_info.service = description.service;
    m_info.pageUrl = description.pageUrl;
    m_info.blockerType = description.blockerType;
    m_info.hint = description.hint;
    m_info.source = source;
}

void ViewerSession::confirmSas()
{
    if (!m_channel || m_state == State::Ended || m_channel->sas().isEmpty())
        return;
    qCDebug(lcSession) << "The person confirmed the SAS";
    m_channel->confirmSas();
    m_sasConfirmed = true;
    refreshState();
}

QString ViewerSession::sas() const
{
    return m_channel ? m_channel->sas() : QString();
}

quint64 ViewerSession::droppedMessages() const
{
    const quint64 channelDrops = m_channel ? m_channel->droppedReplay() + m_channel->droppedUndecryptable() : 0;
    return channelDrops + m_droppedBeforeChannel;
}

void ViewerSession::send(const WireMessage& message)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (message.type == WireMessage::Type::Text)
        m_socket->sendTextMessage(QString::fromUtf8(message.data));
    else
        m_socket->sendBinaryMessage(message.data);
}

void ViewerSession::setAgentConnected(bool connected)
{
    if (connected) {
        m_agentGoneTimer.stop();
    } else if (m_agentConnected || !m_agentGoneTimer.isActive()) {
        m_agentGoneTimer.start();
    }
    if (m_agentConnected == connected)
        return;
    m_agentConnected = connected;
    qCDebug(lcSession) << (connected ? "The agent is connected" : "The agent disconnected");
    Q_EMIT agentPresenceChanged(connected);
    refreshState();
}

void ViewerSession::refreshState()
{
    if (m_state == State::Ended || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    State next = State::Handshaking;
    if (m_channel && m_channel->isReady() && m_peerKeyOnThisSocket)
        next = m_channel->needsSasConfirmation() ? State::ConfirmSas : State::Ready;
    setState(next);
    if (next == State::ConfirmSas && !m_sasAnnounced) {
        m_sasAnnounced = true;
        Q_EMIT sasConfirmationRequired(m_channel->sas());
    }
    if (next == State::Ready) {
        m_backoff.reset();
        sendPendingViewport();
    }
}

void ViewerSession::setState(State state)
{
    if (m_state == state)
        return;
    if (state == State::Reconnecting)
        m_viewportSent.reset(); // the agent may have restarted its screencast; say it again
    qCDebug(lcSession) << "State" << describe(m_state) << "->" << describe(state);
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ViewerSession::end(EndReason reason, const QString& message)
{
    if (m_state == State::Ended)
        return;
    qCDebug(lcSession) << "Session ended:" << describe(reason);
    m_endReason = reason;
    m_reconnectTimer.stop();
    m_agentGoneTimer.stop();
    if (m_channel)
        m_channel->close(); // wipes the keys
    setState(State::Ended);
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
    }
    Q_EMIT ended(reason, message);
}

QString ViewerSession::describe(EndReason reason)
{
    switch (reason) {
    case EndReason::Resolved:
        return QStringLiteral("resolved");
    case EndReason::Cancelled:
        return QStringLiteral("cancelled");
    case EndReason::Expired:
        return QStringLiteral("expired");
    case EndReason::AgentGone:
        return QStringLiteral("agent gone");
    case EndReason::KeyMismatch:
        return QStringLiteral("key mismatch");
    case EndReason::Rejected:
        return QStringLiteral("rejected");
    case EndReason::ConnectionLost:
        return QStringLiteral("connection lost");
    case EndReason::ProtocolError:
        return QStringLiteral("protocol error");
    case EndReason::Closed:
        return QStringLiteral("closed");
    }
    return {};
}

QString ViewerSession::describe(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Handshaking:
        return QStringLiteral("handshaking");
    case State::ConfirmSas:
        return QStringLiteral("confirm SAS");
    case State::Ready:
        return QStringLiteral("ready");
    case State::Reconnecting:
        return QStringLiteral("reconnecting");
    case State::Ended:
        return QStringLiteral("ended");
    }
    return {};
}

} // namespace handoff::session
