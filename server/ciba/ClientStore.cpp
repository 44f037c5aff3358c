#include "server/ciba/ClientStore.h"

#include "core/common/EndpointPolicy.h"
#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"
#include "core/crypto/Random.h"
#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

constexpr const char* clientColumns =
    "SELECT id, name, mode, notification_endpoint, poll_interval, created_at, revoked_at, secret_hash FROM ciba_clients ";

ClientRecord clientFromQuery(const QSqlQuery& query)
{
    ClientRecord client;
    client.id = query.value(0).toString();
    client.name = query.value(1).toString();
    client.mode = query.value(2).toString();
    client.notificationEndpoint = query.value(3).toString();
    client.pollInterval = query.value(4).toInt();
    client.createdAtMs = query.value(5).toLongLong();
    if (!query.value(6).isNull()) {
        client.revokedAtMs = query.value(6).toLongLong();
    }
    return client;
}

} // namespace

Result<NewClient> ClientStore::create(const QString& name, const QString& mode, const QString& notificationEndpoint,
                                      int pollInterval)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 100) {
        return Error{QStringLiteral("invalid_name"), QStringLiteral("a client name must have 1 to 100 characters")};
    }
    if (mode != QLatin1String("poll") && mode != QLatin1String("ping") && mode != QLatin1String("push")) {
        return Error{QStringLiteral("invalid_mode"), QStringLiteral("--mode must be poll, ping or push")};
    }
    const QUrl endpoint(notificationEndpoint, QUrl::StrictMode);
    if (mode == QLatin1String("poll") && !notificationEndpoint.isEmpty()) {
        return Error{QStringLiteral("invalid_endpoint"), QStringLiteral("a poll client has no notification endpoint")};
    }
    if (mode != QLatin1String("poll") && !EndpointPolicy::isAcceptable(endpoint)) {
        return Error{QStringLiteral("invalid_endpoint"),
                     QStringLiteral("a %1 client needs --notification-endpoint, an https URL (http only to "
                                    "localhost)")
                         .arg(mode)};
    }
    if (pollInterval < 1 || pollInterval > 60) {
        return Error{QStringLiteral("invalid_interval"), QStringLiteral("--interval must be 1 to 60 seconds")};
    }
    Result<QByteArray> id = crypto::Random::base62(16);
    Result<QByteArray> secret = crypto::Random::token(32);
    if (!id || !secret) {
        return Error{QStringLiteral("random"), QStringLiteral("no random bytes for a new client")};
    }
    NewClient created;
    created.secret = *secret;
    created.record.id = QStringLiteral("cl_") + QString::fromLatin1(*id);
    created.record.name = trimmed;
    created.record.mode = mode;
    created.record.notificationEndpoint = mode == QLatin1String("poll") ? QString() : endpoint.toString(QUrl::FullyEncoded);
    created.record.pollInterval = pollInterval;
    created.record.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("INSERT INTO ciba_clients (id, name, secret_hash, mode, notification_endpoint, "
                                 "poll_interval, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(created.record.id);
    query.addBindValue(created.record.name);
    query.addBindValue(crypto::Digest::sha256(created.secret));
    query.addBindValue(created.record.mode);
    query.addBindValue(created.record.notificationEndpoint.isEmpty() ? QStringLiteral("") : created.record.notificationEndpoint);
    query.addBindValue(created.record.pollInterval);
    query.addBindValue(created.record.createdAtMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot store the client"), query);
    }
    return created;
}

Result<QList<ClientRecord>> ClientStore::list()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QLatin1String(clientColumns) + QStringLiteral("ORDER BY created_at, id"))) {
        return sqlError(QStringLiteral("cannot list clients"), query);
    }
    QList<ClientRecord> clients;
    while (query.next()) {
        clients.append(clientFromQuery(query));
    }
    return clients;
}

Result<std::optional<ClientRecord>> ClientStore::find(const QString& id)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QLatin1String(clientColumns) + QStringLiteral("WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot look up the client"), query);
    }
    if (!query.next()) {
        return std::optional<ClientRecord>();
    }
    return std::optional<ClientRecord>(clientFromQuery(query));
}

Result<void> ClientStore::revoke(const QString& id)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE ciba_clients SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot revoke the client"), query);
    }
    if (query.numRowsAffected() < 1) {
        return Error{QStringLiteral("not_found"), QStringLiteral("no client with id %1").arg(id)};
    }
    return {};
}

std::optional<ClientRecord> ClientStore::authenticate(const QString& id, QByteArrayView secret)
{
    if (id.isEmpty() || id.size() > 64 || secret.isEmpty() || secret.size() > 256) {
        return std::nullopt;
    }
    QSqlQuery query(m_database.handle());
    query.prepare(QLatin1String(clientColumns) + QStringLiteral("WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec() || !query.next()) {
        return std::nullopt;
    }
    const bool matches = crypto::ConstantTime::equal(crypto::Digest::sha256(secret), query.value(7).toByteArray());
    ClientRecord client = clientFromQuery(query);
    if (!matches || client.revokedAtMs) {
        return std::nullopt;
    }
    return client;
}

} // namespace handoff::server
