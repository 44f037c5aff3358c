#include "server/device/DeviceStore.h"

#include "core/crypto/Digest.h"
#include "core/crypto/Random.h"
#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

constexpr const char* deviceColumns = "SELECT id, user_id, name, public_key, created_at, revoked_at FROM devices ";

DeviceRecord deviceFromQuery(const QSqlQuery& query)
{
    DeviceRecord device;
    device.id = query.value(0).toString();
    device.userId = query.value(1).toString();
    device.name = query.value(2).toString();
    device.publicKey = query.value(3).toByteArray();
    device.createdAtMs = query.value(4).toLongLong();
    if (!query.value(5).isNull()) {
        device.revokedAtMs = query.value(5).toLongLong();
    }
    return device;
}

} // namespace

Result<NewPairing> DeviceStore::createPairing(const QString& userId)
{
    Result<QByteArray> token = crypto::Random::token(32);
    if (!token) {
        return token.error();
    }
    NewPairing pairing;
    pairing.token = *token;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    pairing.expiresAtMs = now + PairingLifetimeMs;
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral(
        "INSERT INTO device_pairings (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"));
    query.addBindValue(crypto::Digest::sha256(pairing.token));
    query.addBindValue(userId);
    query.addBindValue(now);
    query.addBindValue(pairing.expiresAtMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot store the pairing"), query);
    }
    return pairing;
}

Result<DeviceRecord> DeviceStore::redeemPairing(const QByteArray& token, const QByteArray& publicKey,
                                               const QString& name)
{
    const Error invalid{QStringLiteral("invalid_pairing_token"),
                        QStringLiteral("the pairing link is unknown, already used or expired; ask for a new one")};
    QSqlDatabase& db = m_database.handle();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QByteArray tokenHash = crypto::Digest::sha256(token);
    if (!db.transaction()) {
        return Error{QStringLiteral("storage"), db.lastError().text()};
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT user_id FROM device_pairings WHERE token_hash = ? AND used_at IS NULL "
                                 "AND expires_at > ?"));
    query.addBindValue(tokenHash);
    query.addBindValue(now);
    if (!query.exec()) {
        const Error error = sqlError(QStringLiteral("cannot look up the pairing"), query);
        db.rollback();
        return error;
    }
    if (!query.next()) {
        db.rollback();
        return invalid;
    }
    Result<QByteArray> id = crypto::Random::base62(16);
    if (!id) {
        db.rollback();
        return id.error();
    }
    DeviceRecord device;
    device.id = QStringLiteral("dev_") + QString::fromLatin1(*id);
    device.userId = query.value(0).toString();
    device.name = name;
    device.publicKey = publicKey;
    device.createdAtMs = now;
    query.finish();

    QSqlQuery spend(db);
    spend.prepare(QStringLiteral("UPDATE device_pairings SET used_at = ?, device_id = ? WHERE token_hash = ? "
                                 "AND used_at IS NULL"));
    spend.addBindValue(now);
    spend.addBindValue(device.id);
    spend.addBindValue(tokenHash);
    if (!spend.exec() || spend.numRowsAffected() != 1) {
        db.rollback();
        return invalid;
    }
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral(
        "INSERT INTO devices (id, user_id, name, public_key, created_at) VALUES (?, ?, ?, ?, ?)"));
    insert.addBindValue(device.id);
    insert.addBindValue(device.userId);
    insert.addBindValue(device.name);
    insert.addBindValue(device.publicKey);
    insert.addBindValue(device.createdAtMs);
    if (!insert.exec()) {
        const Error error = sqlError(QStringLiteral("cannot store the device"), insert);
        db.rollback();
        return error;
    }
    if (!db.commit()) {
        db.rollback();
        return Error{QStringLiteral("storage"), db.lastError().text()};
    }
    return device;
}

Result<std::optional<DeviceRecord>> DeviceStore::find(const QString& id)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QLatin1String(deviceColumns) + QStringLiteral("WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot look up the device"), query);
    }
    if (!query.next()) {
        return std::optional<DeviceRecord>();
    }
    return std::optional<DeviceRecord>(deviceFromQuery(query));
}

Result<QList<DeviceRecord>> DeviceStore::listForUser(const QString& userId, bool includeRevoked)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QLatin1String(deviceColumns)
                  + (includeRevoked ? QStringLiteral("WHERE user_id = ? ORDER BY created_at, id")
                                    : QStringLiteral("WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at, id")));
    query.addBindValue(userId);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot list devices"), query);
    }
    QList<DeviceRecord> devices;
    while (query.next()) {
        devices.append(deviceFromQuery(query));
    }
    return devices;
}

Result<QList<DeviceRecord>> DeviceStore::listAll()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QLatin1String(deviceColumns) + QStringLiteral("ORDER BY created_at, id"))) {
        return sqlError(QStringLiteral("cannot list devices"), query);
    }
    QList<DeviceRecord> devices;
    while (query.next()) {
        devices.append(deviceFromQuery(query));
    }
    return devices;
}

Result<void> DeviceStore::revoke(const QString& id)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot revoke the device"), query);
    }
    if (query.numRowsAffected() < 1) {
        return Error{QStringLiteral("not_found"), QStringLiteral("no device with id %1").arg(id)};
    }
    return {};
}

} // namespace handoff::server
