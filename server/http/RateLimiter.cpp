#include "server/http/RateLimiter.h"

#include <cmath>

namespace handoff::server {

bool RateLimiter::tryAcquire(const QString& key, int* retryAfterSeconds)
{
    const qint64 now = m_clock.elapsed();
    const double perMs = m_perMinute / 60'000.0;
    if (m_buckets.size() > 10'000) {
        // Buckets full again after a minute carry no information.
        for (auto it = m_buckets.begin(); it != m_buckets.end();) {
            it = now - it->stampMs > 60'000 ? m_buckets.erase(it) : std::next(it);
        }
    }
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        it = m_buckets.insert(key, Bucket{double(m_perMinute), now});
    }
    it->tokens = std::min<double>(m_perMinute, it->tokens + (now - it->stampMs) * perMs);
    it->stampMs = now;
    if (it->tokens >= 1.0) {
        it->tokens -= 1.0;
        return true;
    }
    if (retryAfterSeconds) {
        *retryAfterSeconds = std::max(1, int(std::ceil((1.0 - it->tokens) / perMs / 1000.0)));
    }
    return false;
}

} // namespace handoff::server
