#pragma once

// Delays between reconnection attempts: doubling from `initial` up to `maximum`,
// each spread by up to +/- `jitter` so that many viewers cut off by one relay
// restart do not all come back in the same millisecond.

#include <chrono>

namespace handoff::session {

class ReconnectBackoff final {
public:
    ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double jitter = 0.2);

    // The delay before the next attempt; each call counts one attempt.
    std::chrono::milliseconds next();
    void reset();
    int attempts() const { return m_attempts; }

private:
    std::chrono::milliseconds m_initial;
    std::chrono::milliseconds m_maximum;
    double m_jitter;
    int m_attempts = 0;
};

} // namespace handoff::session
