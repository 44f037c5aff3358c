#include "server/ciba/DenialBlocker.h"

#include "server/device/DeviceHub.h"
#include "server/session/SessionJson.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcBlock, "handoff.ciba", QtInfoMsg)

QString clockTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("HH:mm 'UTC'"));
}

} // namespace

DenialBlocker::DenialBlocker(Database& database, DeviceHub& hub, DenialBlockPolicy policy)
    : m_database(database)
    , m_hub(hub)
    , m_policy(policy)
{
}

QString DenialBlocker::describeDuration(qint64 ms)
{
    if (ms >= 60'000) {
        const qint64 minutes = (ms + 30'000) / 60'000;
        return minutes == 1 ? QStringLiteral("1 minute") : QStringLiteral("%1 minutes").arg(minutes);
    }
    const qint64 seconds = std::max<qint64>(1, (ms + 500) / 1000);
    return seconds == 1 ? QStringLiteral("1 second") : QStringLiteral("%1 seconds").arg(seconds);
}

void DenialBlocker::onRefused(const QString& authReqId, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT client_id, client_name, user_id, user_email FROM ciba_requests "
                                 "WHERE auth_req_id = ? AND status IN ('denied', 'expired')"));
    query.addBindValue(authReqId);
    if (!query.exec() || !query.next()) {
        qCWarning(lcBlock).noquote() << "cannot read a refused request:" << query.lastError().text();
        return;
    }
    const QString clientId = query.value(0).toString();
    const QString clientName = query.value(1).toString();
    const QString userId = query.value(2).toString();
    const QString userEmail = query.value(3).toString();
    query.finish();

    // Denials since the window opened, but none that an earlier block already counted.
    query.prepare(QStringLiteral("SELECT MAX(started_at), MAX(ends_at) FROM ciba_blocks WHERE client_id = ? AND user_id = ?"));
    query.addBindValue(clientId);
    query.addBindValue(userId);
    if (!query.exec() || !query.next()) {
        qCWarning(lcBlock).noquote() << "cannot read the blocks:" << query.lastError().text();
        return;
    }
    const qint64 lastStart = query.value(0).isNull() ? 0 : query.value(0).toLongLong();
    const qint64 lastEnd = query.value(1).isNull() ? 0 : query.value(1).toLongLong();
    query.finish();
    if (lastEnd > nowMs) {
        return; // already blocked: a request asked before the block was denied now
    }
    // A denial counts from when it was decided, an unanswered request from when it expired.
    const qint64 since = std::max(nowMs - qint64(m_policy.windowMs), lastStart);
    query.prepare(QStringLiteral(
        "SELECT COALESCE(SUM(status = 'denied'), 0), COALESCE(SUM(status = 'expired'), 0) "
        "FROM ciba_requests WHERE client_id = ? AND user_id = ? "
        "AND ((status = 'denied' AND decided_at > ?) OR (status = 'expired' AND expires_at > ?))"));
    query.addBindValue(clientId);
    query.addBindValue(userId);
    query.addBindValue(since);
    query.addBindValue(since);
    if (!query.exec() || !query.next()) {
        qCWarning(lcBlock).noquote() << "cannot count denials:" << query.lastError().text();
        return;
    }
    const int ignored = query.value(1).toInt();
    const int denials = query.value(0).toInt() + ignored;
    query.finish();
    if (denials < m_policy.denials) {
        return;
    }

    const qint64 endsAt = nowMs + m_policy.blockMs;
    const QString message =
        QStringLiteral("You %1 %2 requests from %3 within %4, so Handoff stops it from asking you for %5 (until %6).")
            .arg(ignored > 0 ? QStringLiteral("denied or did not answer") : QStringLiteral("denied"))
            .arg(denials)
            .arg(clientName, describeDuration(m_policy.windowMs), describeDuration(m_policy.blockMs), clockTime(endsAt));
    const int told = m_hub.sendToUser(userId, QJsonObject{{QStringLiteral("type"), QStringLiteral("notice")},
                                                          {QStringLiteral("code"), noticeCode()},
                                                          {QStringLiteral("message"), message},
                                                          {QStringLiteral("client_id"), clientId},
                                                          {QStringLiteral("client_name"), clientName},
                                                          {QStringLiteral("until"), SessionJson::timestamp(endsAt)}});
    QSqlQuery insert(m_database.handle());
    insert.prepare(QStringLiteral(
        "INSERT INTO ciba_blocks (client_id, client_name, user_id, user_email, denials, last_denied_auth_req_id, "
        "started_at, ends_at, devices_told, ignored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.addBindValue(clientId);
    insert.addBindValue(clientName);
    insert.addBindValue(userId);
    insert.addBindValue(userEmail);
    insert.addBindValue(denials);
    insert.addBindValue(authReqId);
    insert.addBindValue(nowMs);
    insert.addBindValue(endsAt);
    insert.addBindValue(told);
    insert.addBindValue(ignored);
    if (!insert.exec()) {
        qCWarning(lcBlock).noquote() << "cannot record a block:" << insert.lastError().text();
        return;
    }
    qCInfo(lcBlock).noquote() << "blocked client" << clientId << "for user" << userId << "after" << denials
                              << "denied or unanswered requests (" << ignored << "unanswered); told" << told
                              << "device connection(s)";
}

Result<std::optional<QString>> DenialBlocker::refusal(const QString& clientId, const QString& userId, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT id, ends_at, denials, ignored FROM ciba_blocks "
                                 "WHERE client_id = ? AND user_id = ? AND ends_at > ? ORDER BY ends_at DESC LIMIT 1"));
    query.addBindValue(clientId);
    query.addBindValue(userId);
    query.addBindValue(nowMs);
    if (!query.exec()) {
        return Error{QStringLiteral("storage"), QStringLiteral("cannot read the blocks: %1").arg(query.lastError().text())};
    }
    if (!query.next()) {
        return std::optional<QString>();
    }
    const qint64 id = query.value(0).toLongLong();
    const qint64 endsAt = query.value(1).toLongLong();
    const int denials = query.value(2).toInt();
    const int ignored = query.value(3).toInt();
    query.finish();
    QSqlQuery count(m_database.handle());
    count.prepare(QStringLiteral("UPDATE ciba_blocks SET refused_requests = refused_requests + 1 WHERE id = ?"));
    count.addBindValue(id);
    if (!count.exec()) {
        qCWarning(lcBlock).noquote() << "cannot count a refused request:" << count.lastError().text();
    }
    return std::optional<QString>(
        QStringLiteral("the person %1 %2 of this client's requests within %3; it may ask them again after %4")
            .arg(ignored > 0 ? QStringLiteral("denied or did not answer") : QStringLiteral("denied"))
            .arg(denials)
            .arg(describeDuration(m_policy.windowMs), SessionJson::timestamp(endsAt + 999)));
}

} // namespace handoff::server
