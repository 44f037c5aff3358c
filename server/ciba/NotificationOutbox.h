#pragma once

// The persisted outbox of ping and push notifications (table ciba_notifications,
// NotificationSchema). A request of a ping or push client that reaches a final
// state (approved, denied, expired) gets one row, written by enqueue() inside the
// caller's transaction that records the state, so a crash can never keep the
// state and lose the notification. A row is pending until an attempt is answered
// 2xx (delivered), the retries run out (failed, with the last error) or, for a
// ping, the client fetched the outcome from /token first (superseded: a ping only
// says "come and fetch it"); it is never deleted. The client notification token is read from the request at send
// time and never copied.

#include "core/common/Result.h"
#include "server/ciba/TokenIssuer.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace handoff::server {

class Database;

// One delivery to attempt, with everything needed to make its body.
struct NotificationJob final {
    QString authReqId;
    QString mode;    // "ping" or "push"
    QString outcome; // "approved", "denied" or "expired"
    int attempts = 0; // including the one being made
    qint64 queuedAtMs = 0;
    QString endpoint;
    bool clientRevoked = false;
    QString notificationToken; // the client's secret: never logged
    TokenGrant grant;
};

class NotificationOutbox final {
public:
    explicit NotificationOutbox(Database& database) : m_database(database) {}

    // Queues the notification of a request that just reached `outcome`, if its
    // client is in ping or push mode; true when a row was written. Call inside the
    // transaction that records the outcome.
    Result<bool> enqueue(const QString& authReqId, const QString& outcome, qint64 nowMs);

    // Up to `limit` pending deliveries due at `nowMs`, oldest first, each with its
    // attempt counted and leased until nowMs + leaseMs: an attempt cut off by a
    // crash is tried again after the lease (and at once after a restart).
    Result<QList<NotificationJob>> takeDue(qint64 nowMs, int limit, qint64 leaseMs);
    // For a push of tokens, also marks the request redeemed.
    Result<void> markDelivered(const QString& authReqId, qint64 nowMs, bool redeemed);
    Result<void> scheduleRetry(const QString& authReqId, qint64 nextAttemptAtMs, const QString& error);
    Result<void> markFailed(const QString& authReqId, qint64 nowMs, const QString& error);
    // The client fetched the outcome at /token: a pending ping of this request is
    // not sent any more. True when there was one.
    Result<bool> supersede(const QString& authReqId, qint64 nowMs);

    // Everything pending becomes due now (after a start).
    Result<int> makePendingDue(qint64 nowMs);
    Result<std::optional<qint64>> nextDue();
    // "pending", "delivered", "failed", "superseded" -> rows.
    Result<QMap<QString, qint64>> countByState();

private:
    Database& m_database;
};

} // namespace handoff::server
