#pragma once

// API keys, stored as SHA-256 hashes. A key reads hk_<id>_<secret>: the id (12
// base62) finds the row, the hash of the whole key is compared in constant time.
// The secret (32 base62, about 190 bits) exists in clear only in create()'s answer.

#include "core/common/Result.h"

#include <QList>
#include <QString>

#include <optional>

namespace handoff::server {

class Database;

struct ApiKeyInfo final {
    QString id;
    QString name;
    qint64 createdAtMs = 0;
    std::optional<qint64> revokedAtMs;
};

struct NewApiKey final {
    ApiKeyInfo info;
    QByteArray key; // shown once, never stored
};

class ApiKeyStore final {
public:
    explicit ApiKeyStore(Database& database) : m_database(database) {}

    Result<NewApiKey> create(const QString& name);
    Result<QList<ApiKeyInfo>> list();
    Result<void> revoke(const QString& id); // error "not_found" for an unknown id
    Result<qint64> count();                 // all keys ever made, revoked ones too
    // The id of the live key `presented` is, or nothing.
    std::optional<QString> authenticate(QByteArrayView presented);

    static constexpr qsizetype IdLength = 12;
    static constexpr qsizetype SecretLength = 32;

private:
    Database& m_database;
};

} // namespace handoff::server
