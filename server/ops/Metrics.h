#pragma once

// Counters and gauges of the running server, rendered in the Prometheus text
// format at /metrics. Session counts by status come from the store at render time.

#include "server/session/SessionStatus.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <array>

namespace handoff::server {

enum class PeerRole { Agent, Viewer };

class Metrics final {
public:
    enum class Direction { AgentToViewer, ViewerToAgent };

    void relayed(Direction direction, qint64 bytes);
    void dropped(const QString& reason);
    void socketOpened(PeerRole role);
    void socketClosed(PeerRole role);
    void httpResponse(int status);

    qint64 openSockets(PeerRole role) const { return m_openSockets[index(role)]; }
    qint64 droppedCount(const QString& reason) const { return m_dropped.value(reason); }

    QByteArray render(const QMap<SessionStatus, qint64>& sessionsByStatus, qint64 httpConnections) const;

private:
    static int index(PeerRole role) { return role == PeerRole::Agent ? 0 : 1; }
    static int index(Direction direction) { return direction == Direction::AgentToViewer ? 0 : 1; }

    std::array<qint64, 2> m_openSockets{};
    std::array<qint64, 2> m_socketsTotal{};
    std::array<qint64, 2> m_messages{};
    std::array<qint64, 2> m_bytes{};
    QMap<QString, qint64> m_dropped;
    QMap<int, qint64> m_httpResponses;
};

} // namespace handoff::server
