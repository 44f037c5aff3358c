#include "server/demo/DemoSessions.h"

#include "core/crypto/Digest.h"
#include "core/crypto/Random.h"

namespace handoff::server {

DemoSessions::DemoSessions(Clock clock)
    : m_clock(std::move(clock))
{
}

QByteArray DemoSessions::keyOf(QByteArrayView id)
{
    // Looked up by digest, so that neither hashing nor comparing touches the id itself.
    return crypto::Digest::sha256(id);
}

bool DemoSessions::isExpired(const DemoSession& session, qint64 nowMs) const
{
    return nowMs - session.lastSeenMs >= IdleTimeoutMs || nowMs - session.createdMs >= MaxAgeMs;
}

void DemoSessions::makeRoom()
{
    const qint64 nowMs = m_clock();
    std::erase_if(m_sessions, [this, nowMs](const auto& entry) { return isExpired(entry.second, nowMs); });
    while (size() >= MaxSessions) {
        auto oldest = m_sessions.begin();
        for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
            if (it->second.lastSeenMs < oldest->second.lastSeenMs) {
                oldest = it;
            }
        }
        m_sessions.erase(oldest);
    }
}

QByteArray DemoSessions::create(DemoSession session)
{
    Result<QByteArray> id = crypto::Random::token(32);
    if (!id) {
        return {};
    }
    if (size() >= MaxSessions) {
        makeRoom();
    }
    const qint64 nowMs = m_clock();
    session.createdMs = nowMs;
    session.lastSeenMs = nowMs;
    m_sessions.insert_or_assign(keyOf(*id), std::move(session));
    return *id;
}

DemoSession* DemoSessions::find(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > 128) {
        return nullptr;
    }
    const QByteArray key = keyOf(id);
    auto it = m_sessions.find(key);
    if (it == m_sessions.end()) {
        return nullptr;
    }
    const qint64 nowMs = m_clock();
    if (isExpired(it->second, nowMs)) {
        m_sessions.erase(it);
        return nullptr;
    }
    it->second.lastSeenMs = nowMs;
    return &it->second;
}

QByteArray DemoSessions::rotate(QByteArrayView id)
{
    if (!find(id)) {
        return {};
    }
    Result<QByteArray> fresh = crypto::Random::token(32);
    if (!fresh) {
        return {};
    }
    auto node = m_sessions.extract(keyOf(id));
    node.key() = keyOf(*fresh);
    m_sessions.insert(std::move(node));
    return *fresh;
}

void DemoSessions::remove(QByteArrayView id)
{
    m_sessions.erase(keyOf(id));
}

} // namespace handoff::server
