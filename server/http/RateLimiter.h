#pragma once

// A token bucket per key: `perMinute` requests a minute, in bursts of up to that
// many. Idle buckets are forgotten so the table stays small.

#include <QElapsedTimer>
#include <QHash>
#include <QString>

namespace handoff::server {

class RateLimiter final {
public:
    explicit RateLimiter(int perMinute) : m_perMinute(perMinute) { m_clock.start(); }

    // Takes one token for `key`; false (and the wait in seconds) when none is left.
    bool tryAcquire(const QString& key, int* retryAfterSeconds = nullptr);

private:
    struct Bucket final {
        double tokens = 0;
        qint64 stampMs = 0;
    };
    int m_perMinute;
    QElapsedTimer m_clock;
    QHash<QString, Bucket> m_buckets;
};

} // namespace handoff::server
