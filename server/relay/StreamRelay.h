#pragma once

// Accepts the relay's WebSockets (GET /stream/{session_id}?role=...&token=...),
// checks session, role and token, and seats each socket in its session's room.
// Pings every socket on an interval and drops those silent for too long; ends the
// rooms of sessions that end.

#include "server/ops/Metrics.h"
#include "server/relay/RelayLimits.h"
#include "server/session/SessionStatus.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QWebSocket;

namespace handoff::server {

class RelayPeer;
class RelayRoom;
class SessionService;

class StreamRelay final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamRelay)

public:
    StreamRelay(SessionService& sessions, RelayLimits limits, Metrics& metrics, QObject* parent = nullptr);
    ~StreamRelay() override;

    static bool isStreamPath(const QByteArray& path);

    // Takes ownership of a socket fresh from the WebSocket handshake.
    void accept(QWebSocket* socket);
    void onSessionEnded(const QString& sessionId, SessionStatus status);
    // Closes every socket with 1001 (server shutting down).
    void shutdown();

    int roomCount() const { return int(m_rooms.size()); }

private:
    void pingAll();
    void refuse(QWebSocket* socket, int code, const QString& reason);
    RelayRoom* roomFor(const class SessionRecord& record);

    SessionService& m_sessions;
    RelayLimits m_limits;
    Metrics& m_metrics;
    QHash<QString, RelayRoom*> m_rooms;
    QList<QPointer<RelayPeer>> m_peers;
    QTimer m_pingTimer;
};

} // namespace handoff::server
