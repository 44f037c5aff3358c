#include "server/relay/RelayRoom.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"
#include "server/app/Logging.h"
#include "server/relay/RelayMessage.h"
#include "server/session/SessionJson.h"
#include "server/session/SessionService.h"

#include <QJsonDocument>
#include <QTimer>

namespace handoff::server {

RelayRoom::RelayRoom(const SessionRecord& record, SessionService& sessions, const RelayLimits& limits, Metrics& metrics,
                     QObject* parent)
    : QObject(parent)
    , m_record(record)
    , m_sessions(sessions)
    , m_limits(limits)
    , m_metrics(metrics)
    , m_pinnedKeyHash(record.viewerKeyHash)
{
}

RelayRoom::~RelayRoom() = default;

void RelayRoom::addAgent(RelayPeer* agent)
{
    m_agent = agent;
    connect(agent, &RelayPeer::textReceived, this, &RelayRoom::onAgentText);
    connect(agent, &RelayPeer::binaryReceived, this, &RelayRoom::onAgentBinary);
    connect(agent, &RelayPeer::closed, this, &RelayRoom::onPeerClosed);
    qCInfo(lcRelay).noquote() << m_record.id << "agent connected";
    if (m_viewer) {
        m_viewer->sendText(RelayMessage::control("agent_connected"));
        agent->sendText(RelayMessage::control("viewer_connected"));
    }
}

void RelayRoom::addViewer(RelayPeer* viewer)
{
    connect(viewer, &RelayPeer::textReceived, this, &RelayRoom::onViewerText);
    connect(viewer, &RelayPeer::binaryReceived, this, &RelayRoom::onViewerBinary);
    connect(viewer, &RelayPeer::closed, this, &RelayRoom::onPeerClosed);
    viewer->sendText(QString::fromUtf8(QJsonDocument(SessionJson::info(m_record)).toJson(QJsonDocument::Compact)));
    if (m_pinnedKeyHash.isEmpty()) {
        promote(viewer);
        return;
    }
    // A viewer already completed a version-2 handshake: this one waits until it
    // proves it holds the same key.
    qCInfo(lcRelay).noquote() << m_record.id << "viewer connected; waiting for its key";
    m_waitingViewers.append(viewer);
    QPointer<RelayPeer> guard(viewer);
    QTimer::singleShot(m_limits.viewerKeyTimeoutMs, this, [this, guard] {
        if (guard && m_waitingViewers.contains(guard)) {
            m_waitingViewers.removeAll(guard);
            detach(guard);
            guard->closeWith(CloseCode::Conflict, QStringLiteral("another viewer holds this session"));
            checkEmpty();
        }
    });
}

void RelayRoom::promote(RelayPeer* viewer)
{
    if (m_viewer && m_viewer != viewer) {
        // One viewer at a time: the newer connection of the same viewer wins.
        RelayPeer* old = m_viewer;
        detach(old);
        m_viewer = nullptr;
        old->closeWith(CloseCode::Conflict, QStringLiteral("replaced by a newer viewer connection"));
        toAgent(RelayMessage::control("viewer_disconnected"));
    }
    m_viewer = viewer;
    qCInfo(lcRelay).noquote() << m_record.id << "viewer connected";
    if (m_record.status == SessionStatus::Pending) {
        Result<void> marked = m_sessions.markActive(m_record.id);
        if (!marked) {
            qCWarning(lcRelay).noquote() << marked.error().message;
        }
        m_record.status = SessionStatus::Active;
    }
    if (m_agent) {
        viewer->sendText(RelayMessage::control("agent_connected"));
        m_agent->sendText(RelayMessage::control("viewer_connected"));
    }
    if (!m_cachedPubkey.isEmpty()) {
        viewer->sendText(m_cachedPubkey);
    }
    if (m_cachedFrame) {
        viewer->sendFrame(*m_cachedFrame);
    }
}

void RelayRoom::onAgentText(RelayPeer* peer, const QString& text)
{
    if (peer != m_agent) {
        return;
    }
    const RelayMessage::Text info = RelayMessage::inspect(text);
    if (info.type == QLatin1String("frame")) {
        releaseHeldMeta(); // a meta without its JPEG goes on alone
        m_heldMeta = text;
        return;
    }
    releaseHeldMeta();
    if (info.type == QLatin1String("pubkey")) {
        m_cachedPubkey = text;
    }
    toViewer(text);
}

void RelayRoom::onAgentBinary(RelayPeer* peer, const QByteArray& data)
{
    if (peer != m_agent) {
        return;
    }
    if (!m_heldMeta.isEmpty()) {
        RelayPeer::Frame frame{std::exchange(m_heldMeta, QString()), data};
        m_cachedFrame = frame;
        if (m_viewer) {
            m_metrics.relayed(Metrics::Direction::AgentToViewer, frame.meta.size());
            m_metrics.relayed(Metrics::Direction::AgentToViewer, data.size());
            m_viewer->sendFrame(std::move(frame));
        } else {
            m_metrics.dropped(QStringLiteral("no_peer"));
        }
        return;
    }
    if (!m_viewer) {
        m_metrics.dropped(QStringLiteral("no_peer"));
        return;
    }
    m_metrics.relayed(Metrics::Direction::AgentToViewer, data.size());
    if (RelayMessage::isV2FrameRecord(data)) {
        m_viewer->sendFrame(RelayPeer::Frame{QString(), data});
    } else {
        m_viewer->sendBinary(data);
    }
}

void RelayRoom::releaseHeldMeta()
{
    if (!m_heldMeta.isEmpty()) {
        toViewer(std::exchange(m_heldMeta, QString()));
    }
}

void RelayRoom::onViewerText(RelayPeer* peer, const QString& text)
{
    if (m_waitingViewers.contains(peer)) {
        const RelayMessage::Text info = RelayMessage::inspect(text);
        if (info.type != QLatin1String("pubkey") || info.version != 2 || info.key.isEmpty()) {
            m_metrics.dropped(QStringLiteral("viewer_key_required"));
            peer->sendError(QStringLiteral("viewer_key_required"),
                            QStringLiteral("this session is bound to a viewer key: send your version-2 pubkey first"));
            return;
        }
        m_waitingViewers.removeAll(peer);
        if (!crypto::ConstantTime::equal(crypto::Digest::sha256(info.key), m_pinnedKeyHash)) {
            qCInfo(lcRelay).noquote() << m_record.id << "viewer presented another key: refused";
            detach(peer);
            peer->closeWith(CloseCode::Conflict, QStringLiteral("another viewer holds this session"));
            checkEmpty();
            return;
        }
        promote(peer);
        toAgent(text);
        return;
    }
    if (peer != m_viewer) {
        return;
    }
    if (text.contains(QLatin1String("pubkey"))) {
        const RelayMessage::Text info = RelayMessage::inspect(text);
        if (info.type == QLatin1String("pubkey") && info.version == 2 && !info.key.isEmpty()) {
            pinViewerKey(info.key);
        }
    }
    toAgent(text);
}

void RelayRoom::onViewerBinary(RelayPeer* peer, const QByteArray& data)
{
    if (m_waitingViewers.contains(peer)) {
        m_metrics.dropped(QStringLiteral("viewer_key_required"));
        peer->sendError(QStringLiteral("viewer_key_required"),
                        QStringLiteral("this session is bound to a viewer key: send your version-2 pubkey first"));
        return;
    }
    if (peer != m_viewer) {
        return;
    }
    if (!m_agent) {
        m_metrics.dropped(QStringLiteral("no_peer"));
        return;
    }
    m_metrics.relayed(Metrics::Direction::ViewerToAgent, data.size());
    m_agent->sendBinary(data);
}

void RelayRoom::pinViewerKey(const QByteArray& key)
{
    const QByteArray hash = crypto::Digest::sha256(key);
    if (hash == m_pinnedKeyHash) {
        return;
    }
    m_pinnedKeyHash = hash;
    Result<void> pinned = m_sessions.pinViewerKey(m_record.id, hash);
    if (!pinned) {
        qCWarning(lcRelay).noquote() << pinned.error().message;
    }
    qCInfo(lcRelay).noquote() << m_record.id << "viewer key pinned";
}

void RelayRoom::toViewer(const QString& text)
{
    if (!m_viewer) {
        m_metrics.dropped(QStringLiteral("no_peer"));
        return;
    }
    m_metrics.relayed(Metrics::Direction::AgentToViewer, text.size());
    m_viewer->sendText(text);
}

void RelayRoom::toAgent(const QString& text)
{
    if (!m_agent) {
        m_metrics.dropped(QStringLiteral("no_peer"));
        return;
    }
    m_metrics.relayed(Metrics::Direction::ViewerToAgent, text.size());
    m_agent->sendText(text);
}

void RelayRoom::onPeerClosed(RelayPeer* peer)
{
    if (peer == m_agent) {
        releaseHeldMeta();
        m_agent = nullptr;
        // The next agent connection brings its own key and frames.
        m_cachedPubkey.clear();
        m_cachedFrame.reset();
        qCInfo(lcRelay).noquote() << m_record.id << "agent disconnected";
        if (m_viewer) {
            m_viewer->sendText(RelayMessage::control("agent_disconnected"));
        }
    } else if (peer == m_viewer) {
        m_viewer = nullptr;
        qCInfo(lcRelay).noquote() << m_record.id << "viewer disconnected";
        if (m_agent) {
            m_agent->sendText(RelayMessage::control("viewer_disconnected"));
        }
    } else if (peer == m_resolvedAgent) {
        m_resolvedAgent = nullptr;
        qCInfo(lcRelay).noquote() << m_record.id << "agent closed after the resolve";
    } else {
        m_waitingViewers.removeAll(peer);
    }
    detach(peer);
    checkEmpty();
}

void RelayRoom::end(SessionStatus status)
{
    const char* type = "session_error";
    switch (status) {
    case SessionStatus::Timeout: type = "session_expired"; break;
    case SessionStatus::Cancelled: type = "session_cancelled"; break;
    case SessionStatus::Resolved: type = "session_resolved"; break;
    default: break;
    }
    m_record.status = status;
    const QString message = RelayMessage::control(type);
    const QString reason = QStringLiteral("session %1").arg(toString(status).toLower());
    QList<QPointer<RelayPeer>> everyone = m_waitingViewers;
    everyone.append(m_viewer);
    const QPointer<RelayPeer> agent = std::exchange(m_agent, nullptr);
    if (status == SessionStatus::Resolved && agent) {
        // The agent resolved the session itself (POST /resolve, still being
        // answered): it closes this socket once it has its answer.
        detach(agent);
        connect(agent, &RelayPeer::closed, this, &RelayRoom::onPeerClosed);
        m_resolvedAgent = agent;
        agent->sendText(message);
        QTimer::singleShot(m_limits.resolvedAgentGraceMs, this, [this, agent, reason] {
            if (agent && agent == m_resolvedAgent) {
                qCInfo(lcRelay).noquote() << m_record.id << "the agent did not close after the resolve: closing";
                agent->closeWith(CloseCode::Gone, reason);
            }
        });
    } else {
        everyone.append(agent);
    }
    m_waitingViewers.clear();
    m_viewer = nullptr;
    for (const QPointer<RelayPeer>& peer : std::as_const(everyone)) {
        if (peer) {
            detach(peer);
            peer->sendText(message);
            peer->closeWith(CloseCode::Gone, reason);
        }
    }
    checkEmpty();
}

void RelayRoom::detach(RelayPeer* peer)
{
    if (peer) {
        disconnect(peer, nullptr, this, nullptr);
    }
}

void RelayRoom::checkEmpty()
{
    if (isEmpty()) {
        Q_EMIT emptied(m_record.id);
    }
}

} // namespace handoff::server
