#include "server/ciba/RetrySchedule.h"

#include <algorithm>

namespace handoff::server {

RetrySchedule::RetrySchedule(qint64 initialMs, qint64 maxMs, qint64 periodMs)
    : m_initialMs(std::max<qint64>(1, initialMs))
    , m_maxMs(std::max(m_initialMs, maxMs))
    , m_periodMs(std::max<qint64>(0, periodMs))
{
}

qint64 RetrySchedule::baseDelayMs(int failedAttempts) const
{
    qint64 delay = m_initialMs;
    // Doubling stops at the cap, so the loop is short and cannot overflow.
    for (int i = 1; i < failedAttempts && delay < m_maxMs; ++i) {
        delay *= 2;
    }
    return std::min(delay, m_maxMs);
}

qint64 RetrySchedule::delayMs(int failedAttempts, double random01) const
{
    const qint64 base = baseDelayMs(failedAttempts);
    const double draw = std::clamp(random01, 0.0, 1.0);
    return std::max<qint64>(1, base / 2 + qint64(double(base - base / 2) * draw));
}

std::optional<qint64> RetrySchedule::nextAttemptAt(int failedAttempts, qint64 queuedAtMs, qint64 nowMs,
                                                   double random01) const
{
    const qint64 at = nowMs + delayMs(failedAttempts, random01);
    if (at > queuedAtMs + m_periodMs) {
        return std::nullopt;
    }
    return at;
}

} // namespace handoff::server
