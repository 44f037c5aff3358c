#include "server/store/SessionStore.h"

#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

const QString liveStatuses = QStringLiteral("('PENDING','ACTIVE')");

// A null QString binds as SQL NULL; these columns hold '' instead.
QString notNull(const QString& text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

} // namespace

Result<void> SessionStore::insert(const SessionRecord& record)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral(
        "INSERT INTO sessions (id, api_key_id, status, service, cdp_url, context, login_hint, stream_token_hash,"
        " viewer_token_hash, viewer_key_hash, created_at, expires_at, ended_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(record.id);
    query.addBindValue(record.apiKeyId);
    query.addBindValue(toString(record.status));
    query.addBindValue(record.service);
    query.addBindValue(notNull(record.cdpUrl));
    query.addBindValue(QString::fromUtf8(QJsonDocument(record.context).toJson(QJsonDocument::Compact)));
    query.addBindValue(notNull(record.loginHint));
    query.addBindValue(record.streamTokenHash);
    query.addBindValue(record.viewerTokenHash);
    query.addBindValue(record.viewerKeyHash.isEmpty() ? QVariant() : QVariant(record.viewerKeyHash));
    query.addBindValue(record.createdAtMs);
    query.addBindValue(record.expiresAtMs);
    query.addBindValue(record.endedAtMs ? QVariant(*record.endedAtMs) : QVariant());
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot store the session"), query);
    }
    return {};
}

Result<std::optional<SessionRecord>> SessionStore::find(const QString& id)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral(
        "SELECT id, api_key_id, status, service, cdp_url, context, login_hint, stream_token_hash, viewer_token_hash,"
        " viewer_key_hash, created_at, expires_at, ended_at FROM sessions WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot read the session"), query);
    }
    if (!query.next()) {
        return std::optional<SessionRecord>();
    }
    SessionRecord record;
    record.id = query.value(0).toString();
    record.apiKeyId = query.value(1).toString();
    record.status = sessionStatusFromString(query.value(2).toString()).value_or(SessionStatus::Error);
    record.service = query.value(3).toString();
    record.cdpUrl = query.value(4).toString();
    record.context = QJsonDocument::fromJson(query.value(5).toString().toUtf8()).object();
    record.loginHint = query.value(6).toString();
    record.streamTokenHash = query.value(7).toByteArray();
    record.viewerTokenHash = query.value(8).toByteArray();
    record.viewerKeyHash = query.value(9).toByteArray();
    record.createdAtMs = query.value(10).toLongLong();
    record.expiresAtMs = query.value(11).toLongLong();
    if (!query.value(12).isNull()) {
        record.endedAtMs = query.value(12).toLongLong();
    }
    return std::optional<SessionRecord>(std::move(record));
}

Result<bool> SessionStore::finish(const QString& id, SessionStatus to, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE sessions SET status = ?, ended_at = ? WHERE id = ? AND status IN ")
                  + liveStatuses);
    query.addBindValue(toString(to));
    query.addBindValue(nowMs);
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot end the session"), query);
    }
    return query.numRowsAffected() > 0;
}

Result<bool> SessionStore::markActive(const QString& id)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE sessions SET status = 'ACTIVE' WHERE id = ? AND status = 'PENDING'"));
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot activate the session"), query);
    }
    return query.numRowsAffected() > 0;
}

Result<void> SessionStore::setViewerKeyHash(const QString& id, const QByteArray& hash)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE sessions SET viewer_key_hash = ? WHERE id = ?"));
    query.addBindValue(hash);
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot pin the viewer key"), query);
    }
    return {};
}

Result<QStringList> SessionStore::dueForExpiry(qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT id FROM sessions WHERE status IN ") + liveStatuses
                  + QStringLiteral(" AND expires_at <= ? ORDER BY expires_at"));
    query.addBindValue(nowMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot find expired sessions"), query);
    }
    QStringList ids;
    while (query.next()) {
        ids.append(query.value(0).toString());
    }
    return ids;
}

Result<std::optional<qint64>> SessionStore::nextExpiry()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT MIN(expires_at) FROM sessions WHERE status IN ") + liveStatuses)
        || !query.next()) {
        return sqlError(QStringLiteral("cannot find the next expiry"), query);
    }
    if (query.value(0).isNull()) {
        return std::optional<qint64>();
    }
    return std::optional<qint64>(query.value(0).toLongLong());
}

Result<QMap<SessionStatus, qint64>> SessionStore::countByStatus()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT status, COUNT(*) FROM sessions GROUP BY status"))) {
        return sqlError(QStringLiteral("cannot count sessions"), query);
    }
    QMap<SessionStatus, qint64> counts;
    for (const auto status : allSessionStatuses) {
        counts.insert(status, 0);
    }
    while (query.next()) {
        if (const auto status = sessionStatusFromString(query.value(0).toString())) {
            counts[*status] += query.value(1).toLongLong();
        }
    }
    return counts;
}

Result<int> SessionStore::purgeEndedBefore(qint64 beforeMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?"));
    query.addBindValue(beforeMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot purge old sessions"), query);
    }
    return query.numRowsAffected();
}

} // namespace handoff::server
