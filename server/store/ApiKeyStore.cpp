#include "server/store/ApiKeyStore.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"
#include "core/crypto/Random.h"
#include "server/app/Logging.h"
#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

constexpr QByteArrayView prefix = "hk_";

bool isBase62(QByteArrayView text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

} // namespace

Result<NewApiKey> ApiKeyStore::create(const QString& name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 100) {
        return Error{QStringLiteral("invalid_name"), QStringLiteral("a key name must have 1 to 100 characters")};
    }
    Result<QByteArray> id = crypto::Random::base62(IdLength);
    Result<QByteArray> secret = crypto::Random::base62(SecretLength);
    if (!id || !secret) {
        return Error{QStringLiteral("random"), QStringLiteral("no random bytes for a new key")};
    }
    NewApiKey created;
    created.key = prefix.toByteArray() + *id + '_' + *secret;
    created.info.id = QString::fromLatin1(*id);
    created.info.name = trimmed;
    created.info.createdAtMs = QDateTime::currentMSecsSinceEpoch();

    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("INSERT INTO api_keys (id, name, key_hash, created_at) VALUES (?, ?, ?, ?)"));
    query.addBindValue(created.info.id);
    query.addBindValue(created.info.name);
    query.addBindValue(crypto::Digest::sha256(created.key));
    query.addBindValue(created.info.createdAtMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot store the new key"), query);
    }
    qCInfo(lcStore).noquote() << "created API key" << created.info.id;
    return created;
}

Result<QList<ApiKeyInfo>> ApiKeyStore::list()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY created_at, id"))) {
        return sqlError(QStringLiteral("cannot list keys"), query);
    }
    QList<ApiKeyInfo> keys;
    while (query.next()) {
        ApiKeyInfo info;
        info.id = query.value(0).toString();
        info.name = query.value(1).toString();
        info.createdAtMs = query.value(2).toLongLong();
        if (!query.value(3).isNull()) {
            info.revokedAtMs = query.value(3).toLongLong();
        }
        keys.append(info);
    }
    return keys;
}

Result<void> ApiKeyStore::revoke(const QString& id)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot revoke the key"), query);
    }
    if (query.numRowsAffected() < 1) {
        return Error{QStringLiteral("not_found"), QStringLiteral("no API key with id %1").arg(id)};
    }
    qCInfo(lcStore).noquote() << "revoked API key" << id;
    return {};
}

Result<qint64> ApiKeyStore::count()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM api_keys")) || !query.next()) {
        return sqlError(QStringLiteral("cannot count keys"), query);
    }
    return query.value(0).toLongLong();
}

std::optional<QString> ApiKeyStore::authenticate(QByteArrayView presented)
{
    const qsizetype expected = prefix.size() + IdLength + 1 + SecretLength;
    if (presented.size() != expected || !presented.startsWith(prefix) || presented[prefix.size() + IdLength] != '_') {
        return std::nullopt;
    }
    const QByteArrayView id = presented.sliced(prefix.size(), IdLength);
    if (!isBase62(id)) {
        return std::nullopt;
    }
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT key_hash, revoked_at FROM api_keys WHERE id = ?"));
    query.addBindValue(QString::fromLatin1(id));
    if (!query.exec()) {
        qCWarning(lcStore) << "key lookup failed:" << query.lastError().text();
        return std::nullopt;
    }
    if (!query.next()) {
        return std::nullopt;
    }
    const QByteArray storedHash = query.value(0).toByteArray();
    const bool revoked = !query.value(1).isNull();
    const bool matches = crypto::ConstantTime::equal(crypto::Digest::sha256(presented), storedHash);
    if (!matches || revoked) {
        return std::nullopt;
    }
    return QString::fromLatin1(id);
}

} // namespace handoff::server
