#include "server/ciba/NotificationOutbox.h"

#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

Result<bool> NotificationOutbox::enqueue(const QString& authReqId, const QString& outcome, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral(
        "INSERT INTO ciba_notifications (auth_req_id, mode, outcome, state, attempts, queued_at, next_attempt_at) "
        "SELECT r.auth_req_id, c.mode, ?, 'pending', 0, ?, ? FROM ciba_requests r JOIN ciba_clients c ON c.id = r.client_id "
        "WHERE r.auth_req_id = ? AND c.mode IN ('ping', 'push')"));
    query.addBindValue(outcome);
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    query.addBindValue(authReqId);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot queue the notification"), query);
    }
    return query.numRowsAffected() == 1;
}

Result<QList<NotificationJob>> NotificationOutbox::takeDue(qint64 nowMs, int limit, qint64 leaseMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral(
        "SELECT n.auth_req_id, n.mode, n.outcome, n.attempts, n.queued_at, c.notification_endpoint, c.revoked_at, "
        "r.client_notification_token, r.client_id, r.user_id, r.scope, r.decided_at "
        "FROM ciba_notifications n JOIN ciba_requests r ON r.auth_req_id = n.auth_req_id "
        "JOIN ciba_clients c ON c.id = r.client_id "
        "WHERE n.state = 'pending' AND n.next_attempt_at <= ? ORDER BY n.next_attempt_at, n.queued_at LIMIT ?"));
    query.addBindValue(nowMs);
    query.addBindValue(limit);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot read the notification outbox"), query);
    }
    QList<NotificationJob> jobs;
    while (query.next()) {
        NotificationJob job;
        job.authReqId = query.value(0).toString();
        job.mode = query.value(1).toString();
        job.outcome = query.value(2).toString();
        job.attempts = query.value(3).toInt() + 1;
        job.queuedAtMs = query.value(4).toLongLong();
        job.endpoint = query.value(5).toString();
        job.clientRevoked = !query.value(6).isNull();
        job.notificationToken = query.value(7).toString();
        job.grant.authReqId = job.authReqId;
        job.grant.clientId = query.value(8).toString();
        job.grant.userId = query.value(9).toString();
        job.grant.scope = query.value(10).toString();
        job.grant.authTimeMs = query.value(11).toLongLong();
        jobs.append(job);
    }
    query.finish();
    for (const NotificationJob& job : std::as_const(jobs)) {
        QSqlQuery lease(m_database.handle());
        lease.prepare(QStringLiteral("UPDATE ciba_notifications SET attempts = ?, last_attempt_at = ?, next_attempt_at = ? "
                                     "WHERE auth_req_id = ? AND state = 'pending'"));
        lease.addBindValue(job.attempts);
        lease.addBindValue(nowMs);
        lease.addBindValue(nowMs + leaseMs);
        lease.addBindValue(job.authReqId);
        if (!lease.exec()) {
            return sqlError(QStringLiteral("cannot lease the notification"), lease);
        }
    }
    return jobs;
}

Result<void> NotificationOutbox::markDelivered(const QString& authReqId, qint64 nowMs, bool redeemed)
{
    QSqlDatabase& db = m_database.handle();
    if (!db.transaction()) {
        return Error{QStringLiteral("storage"), QStringLiteral("cannot start a transaction: %1").arg(db.lastError().text())};
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("UPDATE ciba_notifications SET state = 'delivered', finished_at = ?, last_error = NULL "
                                 "WHERE auth_req_id = ?"));
    query.addBindValue(nowMs);
    query.addBindValue(authReqId);
    bool ok = query.exec();
    if (ok && redeemed) {
        query.prepare(QStringLiteral("UPDATE ciba_requests SET redeemed_at = COALESCE(redeemed_at, ?) WHERE auth_req_id = ?"));
        query.addBindValue(nowMs);
        query.addBindValue(authReqId);
        ok = query.exec();
    }
    if (!ok) {
        const Error error = sqlError(QStringLiteral("cannot record the delivery"), query);
        db.rollback();
        return error;
    }
    if (!db.commit()) {
        const Error error{QStringLiteral("storage"), QStringLiteral("cannot record the delivery: %1").arg(db.lastError().text())};
        db.rollback();
        return error;
    }
    return {};
}

Result<void> NotificationOutbox::scheduleRetry(const QString& authReqId, qint64 nextAttemptAtMs, const QString& error)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE ciba_notifications SET next_attempt_at = ?, last_error = ? "
                                 "WHERE auth_req_id = ? AND state = 'pending'"));
    query.addBindValue(nextAttemptAtMs);
    query.addBindValue(error);
    query.addBindValue(authReqId);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot schedule the next attempt"), query);
    }
    return {};
}

Result<void> NotificationOutbox::markFailed(const QString& authReqId, qint64 nowMs, const QString& error)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE ciba_notifications SET state = 'failed', finished_at = ?, last_error = ? "
                                 "WHERE auth_req_id = ? AND state = 'pending'"));
    query.addBindValue(nowMs);
    query.addBindValue(error);
    query.addBindValue(authReqId);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot record the failed delivery"), query);
    }
    return {};
}

Result<bool> NotificationOutbox::supersede(const QString& authReqId, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE ciba_notifications SET state = 'superseded', finished_at = ? "
                                 "WHERE auth_req_id = ? AND state = 'pending' AND mode = 'ping'"));
    query.addBindValue(nowMs);
    query.addBindValue(authReqId);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot record that the ping is no longer needed"), query);
    }
    return query.numRowsAffected() == 1;
}

Result<int> NotificationOutbox::makePendingDue(qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE ciba_notifications SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?"));
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot resume the notification outbox"), query);
    }
    return query.numRowsAffected();
}

Result<std::optional<qint64>> NotificationOutbox::nextDue()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT MIN(next_attempt_at) FROM ciba_notifications WHERE state = 'pending'"))
        || !query.next()) {
        return sqlError(QStringLiteral("cannot read the notification outbox"), query);
    }
    if (query.value(0).isNull()) {
        return std::optional<qint64>();
    }
    return std::optional<qint64>(query.value(0).toLongLong());
}

Result<QMap<QString, qint64>> NotificationOutbox::countByState()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT state, COUNT(*) FROM ciba_notifications GROUP BY state"))) {
        return sqlError(QStringLiteral("cannot count notifications"), query);
    }
    QMap<QString, qint64> counts{{QStringLiteral("pending"), 0},
                                 {QStringLiteral("delivered"), 0},
                                 {QStringLiteral("failed"), 0},
                                 {QStringLiteral("superseded"), 0}};
    while (query.next()) {
        counts.insert(query.value(0).toString(), query.value(1).toLongLong());
    }
    return counts;
}

} // namespace handoff::server
