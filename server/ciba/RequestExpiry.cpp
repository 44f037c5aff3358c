#include "server/ciba/RequestExpiry.h"

#include "server/ciba/NotificationOutbox.h"
#include "server/device/DeviceHub.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcExpiry, "handoff.ciba", QtInfoMsg)

constexpr qint64 maxWaitMs = 60 * 60 * 1000;
constexpr int storageRetryMs = 5000;

} // namespace

RequestExpiry::RequestExpiry(Database& database, NotificationOutbox& outbox, DeviceHub& hub, QObject* parent)
    : QObject(parent)
    , m_database(database)
    , m_outbox(outbox)
    , m_hub(hub)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &RequestExpiry::onTimeout);
}

void RequestExpiry::start()
{
    m_running = true;
    onTimeout(); // requests that expired while the server was down end now
}

void RequestExpiry::stop()
{
    m_running = false;
    m_timer.stop();
}

void RequestExpiry::requestCreated(qint64 expiresAtMs)
{
    if (m_running && (m_armedFor < 0 || expiresAtMs < m_armedFor)) {
        reschedule();
    }
}

void RequestExpiry::onTimeout()
{
    int expired = 0;
    do {
        expired = expireDue();
    } while (expired == BatchSize);
    if (expired < 0) {
        m_armedFor = -1;
        m_timer.start(storageRetryMs);
        return;
    }
    reschedule();
}

int RequestExpiry::expireDue()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlDatabase& db = m_database.handle();
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT auth_req_id, user_id, client_id FROM ciba_requests "
                                 "WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?"));
    query.addBindValue(now);
    query.addBindValue(BatchSize);
    if (!query.exec()) {
        qCWarning(lcExpiry).noquote() << "cannot look for expired requests:" << query.lastError().text();
        return -1;
    }
    struct Due final {
        QString authReqId;
        QString userId;
        QString clientId;
    };
    QList<Due> due;
    while (query.next()) {
        due.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toString()});
    }
    query.finish();

    bool queued = false;
    for (const Due& request : std::as_const(due)) {
        // The state and its notification go together or not at all.
        if (!db.transaction()) {
            qCWarning(lcExpiry).noquote() << "cannot start a transaction:" << db.lastError().text();
            return -1;
        }
        QSqlQuery update(db);
        update.prepare(QStringLiteral("UPDATE ciba_requests SET status = 'expired' "
                                      "WHERE auth_req_id = ? AND status = 'pending' AND expires_at <= ?"));
        update.addBindValue(request.authReqId);
        update.addBindValue(now);
        if (!update.exec()) {
            qCWarning(lcExpiry).noquote() << "cannot expire a request:" << update.lastError().text();
            db.rollback();
            return -1;
        }
        if (update.numRowsAffected() != 1) {
            db.rollback(); // decided a moment ago
            continue;
        }
        Result<bool> notification = m_outbox.enqueue(request.authReqId, QStringLiteral("expired"), now);
        if (!notification || !db.commit()) {
            qCWarning(lcExpiry).noquote() << "cannot expire a request:"
                                          << (notification ? db.lastError().text() : notification.error().message);
            db.rollback();
            return -1;
        }
        queued = queued || *notification;
        qCInfo(lcExpiry).noquote() << "request from client" << request.clientId << "expired unanswered";
        m_hub.sendToUser(request.userId,
                         QJsonObject{{QStringLiteral("type"), QStringLiteral("approval_closed")},
                                     {QStringLiteral("auth_req_id"), request.authReqId},
                                     {QStringLiteral("outcome"), QStringLiteral("expired")},
                                     {QStringLiteral("by_device"), QString()},
                                     {QStringLiteral("message"), QStringLiteral("This request expired before anyone answered.")}});
        Q_EMIT requestExpired(request.authReqId, now);
    }
    if (queued) {
        Q_EMIT notificationsQueued();
    }
    return int(due.size());
}

void RequestExpiry::reschedule()
{
    if (!m_running) {
        return;
    }
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT MIN(expires_at) FROM ciba_requests WHERE status = 'pending'")) || !query.next()) {
        qCWarning(lcExpiry).noquote() << "cannot find the next expiry:" << query.lastError().text();
        m_armedFor = -1;
        m_timer.start(storageRetryMs);
        return;
    }
    if (query.value(0).isNull()) {
        m_armedFor = -1;
        m_timer.stop();
        return;
    }
    const qint64 next = query.value(0).toLongLong();
    m_armedFor = next;
    m_timer.start(int(std::clamp<qint64>(next - QDateTime::currentMSecsSinceEpoch(), 0, maxWaitMs)));
}

} // namespace handoff::server
