#pragma once

// How ping and push notifications are delivered (ServerConfig's notification-*
// options): retries back off exponentially from retryInitialMs, doubling up to
// retryMaxMs, with jitter, for at most retryPeriodMs after the notification was
// queued; each HTTP attempt gets attemptTimeoutMs; at most maxInFlight attempts run
// at once.

namespace handoff::server {

struct NotificationSettings final {
    int retryInitialMs = 1000;
    int retryMaxMs = 5 * 60 * 1000;
    int retryPeriodMs = 24 * 3600 * 1000;
    int attemptTimeoutMs = 10'000;
    int maxInFlight = 8;
};

} // namespace handoff::server
