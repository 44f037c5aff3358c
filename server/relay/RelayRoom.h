#pragma once

// Where one session's agent and viewer meet (PROTOCOL section 2). Forwards every
// message between them in order and with its kind, originates the control
// messages (session_info, *_connected, *_disconnected, session_* endings), keeps
// the version-1 caches for late viewers (the agent's latest pubkey, the latest
// frame meta + JPEG pair) and enforces the one-viewer rule: once a viewer has sent
// a version-2 pubkey, only a connection presenting the same key may take its place.
//
// When the session ends, every socket hears how and is closed with 4410, except
// the agent's after a resolve: an AuthLoop agent records "resolved" only once its
// own POST /resolve has answered and calls a socket closed before that a failure,
// so that socket stays open (and forwards nothing) until the agent closes it or
// the grace period is over.

#include "server/ops/Metrics.h"
#include "server/relay/RelayLimits.h"
#include "server/relay/RelayPeer.h"
#include "server/store/SessionRecord.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace handoff::server {

class SessionService;

class RelayRoom final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayRoom)

public:
    RelayRoom(const SessionRecord& record, SessionService& sessions, const RelayLimits& limits, Metrics& metrics,
              QObject* parent = nullptr);
    ~RelayRoom() override;

    const QString& sessionId() const { return m_record.id; }
    bool hasAgent() const { return !m_agent.isNull(); }
    bool isEmpty() const
    {
        return m_agent.isNull() && m_viewer.isNull() && m_waitingViewers.isEmpty() && m_resolvedAgent.isNull();
    }
    int waitingViewers() const { return int(m_waitingViewers.size()); }

    void addAgent(RelayPeer* agent);
    void addViewer(RelayPeer* viewer);
    // The session ended: tell everyone and close their sockets with 4410 (the
    // agent's after a resolve only once the grace period is over).
    void end(SessionStatus status);

Q_SIGNALS:
    void emptied(const QString& sessionId);

private:
    void onAgentText(RelayPeer* peer, const QString& text);
    void onAgentBinary(RelayPeer* peer, const QByteArray& data);
    void onViewerText(RelayPeer* peer, const QString& text);
    void onViewerBinary(RelayPeer* peer, const QByteArray& data);
    void onPeerClosed(RelayPeer* peer);
    void promote(RelayPeer* viewer);
    void releaseHeldMeta();
    void toViewer(const QString& text);
    void toAgent(const QString& text);
    void pinViewerKey(const QByteArray& key);
    void detach(RelayPeer* peer);
    void checkEmpty();

    SessionRecord m_record;
    SessionService& m_sessions;
    const RelayLimits& m_limits;
    Metrics& m_metrics;
    QPointer<RelayPeer> m_agent;
    QPointer<RelayPeer> m_viewer;
    QPointer<RelayPeer> m_resolvedAgent; // told session_resolved, left for the agent to close
    QList<QPointer<RelayPeer>> m_waitingViewers; // connected, not yet proven to hold the pinned key
    QByteArray m_pinnedKeyHash;
    QString m_cachedPubkey;                    // the agent's latest pubkey message
    std::optional<RelayPeer::Frame> m_cachedFrame; // the latest version-1 frame pair
    QString m_heldMeta;                        // a version-1 frame meta waiting for its JPEG
};

} // namespace handoff::server
