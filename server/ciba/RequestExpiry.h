#pragma once

// Ends CIBA requests that pass their expires_at while still pending, on the
// server's own clock: a timer armed for the earliest pending expiry (re-armed when
// a request is created, and run at start for requests that expired while the
// server was down) marks them expired, queues the ping or push notification of
// their client in the same transaction (push: error expired_token), and tells
// every device of the user with approval_closed, outcome "expired", so no prompt
// stays open for a request that can no longer be approved.

#include <QObject>
#include <QTimer>

namespace handoff::server {

class Database;
class DeviceHub;
class NotificationOutbox;

class RequestExpiry final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestExpiry)

public:
    RequestExpiry(Database& database, NotificationOutbox& outbox, DeviceHub& hub, QObject* parent = nullptr);

    void start();
    void stop();
    // A request was created that expires at `expiresAtMs`.
    void requestCreated(qint64 expiresAtMs);

    static constexpr int BatchSize = 200;

Q_SIGNALS:
    void notificationsQueued();
    // `authReqId` expired unanswered (it counts toward the denial block).
    void requestExpired(const QString& authReqId, qint64 nowMs);

private:
    void onTimeout();
    // Requests expired in this round, or -1 on a storage error.
    int expireDue();
    void reschedule();

    Database& m_database;
    NotificationOutbox& m_outbox;
    DeviceHub& m_hub;
    QTimer m_timer;
    qint64 m_armedFor = -1;
    bool m_running = false;
};

} // namespace handoff::server
