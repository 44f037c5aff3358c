#include "server/ops/Metrics.h"

#include <QStringList>

namespace handoff::server {

void Metrics::relayed(Direction direction, qint64 bytes)
{
    ++m_messages[index(direction)];
    m_bytes[index(direction)] += bytes;
}

void Metrics::dropped(const QString& reason)
{
    ++m_dropped[reason];
}

void Metrics::socketOpened(PeerRole role)
{
    ++m_openSockets[index(role)];
    ++m_socketsTotal[index(role)];
}

void Metrics::socketClosed(PeerRole role)
{
    --m_openSockets[index(role)];
}

void Metrics::httpResponse(int status)
{
    ++m_httpResponses[status];
}

QByteArray Metrics::render(const QMap<SessionStatus, qint64>& sessionsByStatus, qint64 httpConnections) const
{
    QByteArray out;
    auto family = [&out](const char* name, const char* type, const char* help) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    };
    auto sample = [&out](const QByteArray& name, const QByteArray& labels, qint64 value) {
        out += name + (labels.isEmpty() ? QByteArray() : '{' + labels + '}') + ' ' + QByteArray::number(value) + '\n';
    };
    const QByteArray roles[] = {"agent", "viewer"};
    const QByteArray directions[] = {"agent_to_viewer", "viewer_to_agent"};

    family("handoff_sessions", "gauge", "Sessions in the database by status.");
    for (const auto status : allSessionStatuses) {
        sample("handoff_sessions", "status=\"" + toString(status).toLatin1() + '"', sessionsByStatus.value(status));
    }
    family("handoff_open_sockets", "gauge", "Open relay WebSockets by role.");
    for (int i = 0; i < 2; ++i) {
        sample("handoff_open_sockets", "role=\"" + roles[i] + '"', m_openSockets[i]);
    }
    family("handoff_sockets_total", "counter", "Relay WebSockets accepted by role.");
    for (int i = 0; i < 2; ++i) {
        sample("handoff_sockets_total", "role=\"" + roles[i] + '"', m_socketsTotal[i]);
    }
    family("handoff_relayed_messages_total", "counter", "Messages forwarded by the relay.");
    for (int i = 0; i < 2; ++i) {
        sample("handoff_relayed_messages_total", "direction=\"" + directions[i] + '"', m_messages[i]);
    }
    family("handoff_relayed_bytes_total", "counter", "Payload bytes forwarded by the relay.");
    for (int i = 0; i < 2; ++i) {
        sample("handoff_relayed_bytes_total", "direction=\"" + directions[i] + '"', m_bytes[i]);
    }
    family("handoff_dropped_messages_total", "counter", "Messages not forwarded, by reason.");
    for (const char* reason : {"backpressure", "no_peer", "rate_limited", "too_large", "viewer_key_required"}) {
        sample("handoff_dropped_messages_total", "reason=\"" + QByteArray(reason) + '"', m_dropped.value(QString::fromLatin1(reason)));
    }
    for (auto it = m_dropped.cbegin(); it != m_dropped.cend(); ++it) {
        static const QStringList listed = {QStringLiteral("backpressure"), QStringLiteral("no_peer"),
                                           QStringLiteral("rate_limited"), QStringLiteral("too_large"),
                                           QStringLiteral("viewer_key_required")};
        if (!listed.contains(it.key())) {
            sample("handoff_dropped_messages_total", "reason=\"" + it.key().toLatin1() + '"', it.value());
        }
    }
    family("handoff_http_connections", "gauge", "Open client connections, HTTP and WebSocket.");
    sample("handoff_http_connections", {}, httpConnections);
    family("handoff_http_responses_total", "counter", "HTTP responses by status code.");
    for (auto it = m_httpResponses.cbegin(); it != m_httpResponses.cend(); ++it) {
        sample("handoff_http_responses_total", "code=\"" + QByteArray::number(it.key()) + '"', it.value());
    }
    return out;
}

} // namespace handoff::server
