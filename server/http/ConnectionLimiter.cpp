#include "server/http/ConnectionLimiter.h"

namespace handoff::server {

QByteArray ConnectionLimiter::sourceKey(const QHostAddress& peer)
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4); // also an IPv4-mapped IPv6 address
    if (isV4) {
        return QByteArray("4:") + QByteArray::number(v4);
    }
    if (peer.protocol() == QAbstractSocket::IPv6Protocol) {
        const Q_IPV6ADDR v6 = peer.toIPv6Address();
        return QByteArray("6:") + QByteArray(reinterpret_cast<const char*>(v6.c), 8).toHex();
    }
    return QByteArray("?:") + peer.toString().toLatin1();
}

ConnectionLimiter::Verdict ConnectionLimiter::admit(const QHostAddress& peer)
{
    if (m_open >= m_maxTotal) {
        ++m_refusedTotal;
        return Verdict::TooManyInTotal;
    }
    const QByteArray key = sourceKey(peer);
    if (m_bySource.value(key) >= m_maxPerSource) {
        ++m_refusedSource;
        return Verdict::TooManyFromSource;
    }
    ++m_bySource[key];
    ++m_open;
    return Verdict::Admitted;
}

void ConnectionLimiter::release(const QHostAddress& peer)
{
    const QByteArray key = sourceKey(peer);
    auto it = m_bySource.find(key);
    if (it == m_bySource.end()) {
        return;
    }
    --m_open;
    if (--*it <= 0) {
        m_bySource.erase(it);
    }
}

qint64 ConnectionLimiter::refused(Verdict reason) const
{
    switch (reason) {
    case Verdict::TooManyInTotal:
        return m_refusedTotal;
    case Verdict::TooManyFromSource:
        return m_refusedSource;
    case Verdict::Admitted:
        break;
    }
    return 0;
}

QByteArray ConnectionLimiter::renderMetrics() const
{
    QByteArray out;
    out += "# HELP handoff_connection_sources Sources (IPv4 addresses, IPv6 /64s) with open connections.\n"
           "# TYPE handoff_connection_sources gauge\n"
           "handoff_connection_sources "
           + QByteArray::number(m_bySource.size()) + '\n';
    out += "# HELP handoff_connections_refused_total Connections refused at accept, by the limit they hit.\n"
           "# TYPE handoff_connections_refused_total counter\n";
    out += "handoff_connections_refused_total{limit=\"total\"} " + QByteArray::number(m_refusedTotal) + '\n';
    out += "handoff_connections_refused_total{limit=\"per_source\"} " + QByteArray::number(m_refusedSource) + '\n';
    return out;
}

} // namespace handoff::server
