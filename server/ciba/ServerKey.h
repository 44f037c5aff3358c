#pragma once

// The server's ES256 signing key for access and ID tokens, kept in the database
// (signing_keys; the database file is readable by the server's user only) and
// made on first use. kid is the key's RFC 7638 JWK thumbprint.

#include "core/common/Result.h"
#include "core/crypto/SigningKey.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace handoff::server {

class Database;

class ServerKey final {
public:
    static Result<std::unique_ptr<ServerKey>> loadOrCreate(Database& database);

    QString kid() const { return m_kid; }
    QJsonObject publicJwk() const;
    QByteArray publicPoint() const { return m_key.publicPoint(); } // 65-byte P-256 point
    // header.payload.signature, ES256.
    Result<QString> signJwt(const QJsonObject& header, const QJsonObject& claims) const;

    static QByteArray base64Url(const QByteArray& bytes);
    static const QList<const char*>& migrationStatements();

private:
    explicit ServerKey(crypto::SigningKey key);
    crypto::SigningKey m_key;
    QString m_kid;
};

} // namespace handoff::server
