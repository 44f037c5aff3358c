#pragma once

// The connection caps: at most maxTotal open sockets, and at most maxPerSource
// from one source, counted from accept to close whatever the socket speaks
// (HTTP, then perhaps a WebSocket on /stream or /device, authenticated or not).
// A source is an IPv4 address, or the /64 prefix of an IPv6 address (one host
// usually holds a whole /64, so single addresses would be no limit). Counts the
// refusals for /metrics. No sockets here: the caller admits and releases.

#include <QByteArray>
#include <QHash>
#include <QHostAddress>

namespace handoff::server {

class ConnectionLimiter final {
public:
    enum class Verdict { Admitted, TooManyInTotal, TooManyFromSource };

    ConnectionLimiter(int maxTotal, int maxPerSource) : m_maxTotal(maxTotal), m_maxPerSource(maxPerSource) {}

    // Counts the connection in when it fits; a refused one is counted as refused.
    Verdict admit(const QHostAddress& peer);
    // An admitted connection closed.
    void release(const QHostAddress& peer);

    int open() const { return m_open; }
    int openFrom(const QHostAddress& peer) const { return m_bySource.value(sourceKey(peer)); }
    qint64 refused(Verdict reason) const;
    // Prometheus text: open connections, sources and refusals by reason.
    QByteArray renderMetrics() const;

    // What connections are counted under: the IPv4 address, or the IPv6 /64.
    static QByteArray sourceKey(const QHostAddress& peer);

private:
    int m_maxTotal;
    int m_maxPerSource;
    int m_open = 0;
    QHash<QByteArray, int> m_bySource;
    qint64 m_refusedTotal = 0;
    qint64 m_refusedSource = 0;
};

} // namespace handoff::server
