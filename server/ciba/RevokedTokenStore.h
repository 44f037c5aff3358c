#pragma once

// The access tokens revoked before their time (RFC 7009), by jti: kept until the
// token's own expiry, after which it is inactive anyway and the row is purged.

#include "core/common/Result.h"

#include <QString>

namespace handoff::server {

class Database;

class RevokedTokenStore final {
public:
    explicit RevokedTokenStore(Database& database) : m_database(database) {}

    // Idempotent; also drops rows of tokens that have expired by `nowMs`.
    Result<void> revoke(const QString& jti, const QString& clientId, qint64 expiresAtMs, qint64 nowMs);
    Result<bool> isRevoked(const QString& jti);

private:
    Database& m_database;
};

} // namespace handoff::server
