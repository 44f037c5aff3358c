#pragma once

// When a failed notification is tried again: exponential backoff with "equal
// jitter". After n failed attempts the base delay is initial * 2^(n-1), capped at
// max, and the delay drawn is uniform in [base/2, base], so that many deliveries
// failing together (an endpoint that was down) do not come back in lockstep.
// Past the period after the notification was queued there is no next attempt:
// the delivery has failed. Pure: the caller passes the clock and the random draw.

#include <QtGlobal>

#include <optional>

namespace handoff::server {

class RetrySchedule final {
public:
    RetrySchedule(qint64 initialMs, qint64 maxMs, qint64 periodMs);

    // Base delay after `failedAttempts` (>= 1) failures, before jitter.
    qint64 baseDelayMs(int failedAttempts) const;
    // The delay for a uniform draw `random01` in [0, 1).
    qint64 delayMs(int failedAttempts, double random01) const;
    // When to try again, or nothing when that would fall after queuedAt + period.
    std::optional<qint64> nextAttemptAt(int failedAttempts, qint64 queuedAtMs, qint64 nowMs, double random01) const;

private:
    qint64 m_initialMs;
    qint64 m_maxMs;
    qint64 m_periodMs;
};

} // namespace handoff::server
