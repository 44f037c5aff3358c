#include "server/ciba/RevokedTokenStore.h"

#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

Result<void> RevokedTokenStore::revoke(const QString& jti, const QString& clientId, qint64 expiresAtMs, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO revoked_tokens (jti, client_id, expires_at, revoked_at) "
                                 "VALUES (?, ?, ?, ?)"));
    query.addBindValue(jti);
    query.addBindValue(clientId);
    query.addBindValue(expiresAtMs);
    query.addBindValue(nowMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("revoked tokens"), query);
    }
    query.prepare(QStringLiteral("DELETE FROM revoked_tokens WHERE expires_at <= ?"));
    query.addBindValue(nowMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("revoked tokens"), query);
    }
    return {};
}

Result<bool> RevokedTokenStore::isRevoked(const QString& jti)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT 1 FROM revoked_tokens WHERE jti = ?"));
    query.addBindValue(jti);
    if (!query.exec()) {
        return sqlError(QStringLiteral("revoked tokens"), query);
    }
    return query.next();
}

} // namespace handoff::server
