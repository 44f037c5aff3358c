#include "agent/approval/PollSchedule.h"

#include <algorithm>

namespace handoff::agent {

PollSchedule::PollSchedule(int intervalSeconds, int expiresInSeconds, qint64 startMs)
    : m_baseIntervalSeconds(intervalSeconds > 0 ? std::min(intervalSeconds, MaxIntervalSeconds) : DefaultIntervalSeconds)
    , m_intervalSeconds(m_baseIntervalSeconds)
    , m_deadlineMs(startMs + qint64(std::max(expiresInSeconds, 0)) * 1000)
{
}

qint64 PollSchedule::nextDelayMs(qint64 nowMs) const
{
    const qint64 interval = qint64(m_intervalSeconds) * 1000;
    return std::clamp<qint64>(m_deadlineMs - nowMs, 0, interval);
}

void PollSchedule::slowDown()
{
    const int ceiling = std::min(m_baseIntervalSeconds + MaxSlowDownSeconds, MaxIntervalSeconds);
    m_intervalSeconds = std::max(m_intervalSeconds, std::min(m_intervalSeconds + SlowDownStepSeconds, ceiling));
}

bool PollSchedule::failedTransiently()
{
    ++m_failuresInARow;
    return m_failuresInARow < MaxTransientFailures;
}

} // namespace handoff::agent
