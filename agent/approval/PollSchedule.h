#pragma once

// When a poll-mode CIBA client asks the token endpoint next (CIBA Core 7.3 and
// 11, RFC 8628 3.5): every `interval` seconds (5 when the server names none),
// 5 s longer for this and every later poll after each slow_down (at most
// MaxSlowDownSeconds longer in all, so a server that keeps saying slow_down
// cannot stretch the wait to its deadline), and never
// after the request's deadline (expires_in after it was accepted), where one
// last poll still collects a decision made just in time. Transient failures
// (no answer, 5xx, 429) are retried at the same pace; the client gives up at
// the MaxTransientFailures-th failure in a row. Pure: times are passed in.

#include <QtGlobal>

namespace handoff::agent {

class PollSchedule final {
public:
    static constexpr int DefaultIntervalSeconds = 5;
    static constexpr int SlowDownStepSeconds = 5;
    static constexpr int MaxIntervalSeconds = 3600;
    static constexpr int MaxSlowDownSeconds = 60;
    static constexpr int MaxTransientFailures = 3;

    // `intervalSeconds` 0: the default. `startMs`: when the request was accepted.
    PollSchedule(int intervalSeconds, int expiresInSeconds, qint64 startMs);

    int intervalSeconds() const { return m_intervalSeconds; }
    qint64 deadlineMs() const { return m_deadlineMs; }
    bool isExpired(qint64 nowMs) const { return nowMs >= m_deadlineMs; }
    // How long to wait, from `nowMs`, before the next poll.
    qint64 nextDelayMs(qint64 nowMs) const;

    // The server said slow_down: the interval grows by 5 s, up to MaxSlowDownSeconds
    // over the first one (and MaxIntervalSeconds in all).
    void slowDown();
    // A poll got a real answer (pending, slow_down, ...): the failure streak ends.
    void answered() { m_failuresInARow = 0; }
    // A poll failed transiently. True when another try is allowed (fewer than
    // MaxTransientFailures failures in a row so far).
    bool failedTransiently();
    int failuresInARow() const { return m_failuresInARow; }

private:
    int m_baseIntervalSeconds;
    int m_intervalSeconds;
    qint64 m_deadlineMs;
    int m_failuresInARow = 0;
};

} // namespace handoff::agent
