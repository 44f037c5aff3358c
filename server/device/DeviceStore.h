#pragma once

// Paired devices and the one-time pairing tokens that create them. A pairing
// token (32 random bytes, base64url) lives 10 minutes, works once, and is kept
// only as its SHA-256. A device is its P-256 public key (65-byte point); the
// private key never leaves the device's keychain.

#include "core/common/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace handoff::server {

class Database;

struct DeviceRecord final {
    QString id; // "dev_" + 16 base62
    QString userId;
    QString name;
    QByteArray publicKey;
    qint64 createdAtMs = 0;
    std::optional<qint64> revokedAtMs;
};

struct NewPairing final {
    QByteArray token; // shown once, never stored
    qint64 expiresAtMs = 0;
};

class DeviceStore final {
public:
    explicit DeviceStore(Database& database) : m_database(database) {}

    static constexpr qint64 PairingLifetimeMs = 10 * 60 * 1000;

    Result<NewPairing> createPairing(const QString& userId);
    // Spends the token and registers the device in one transaction. Errors:
    // "invalid_pairing_token" (unknown, used or expired), "storage".
    Result<DeviceRecord> redeemPairing(const QByteArray& token, const QByteArray& publicKey, const QString& name);
    Result<std::optional<DeviceRecord>> find(const QString& id);
    Result<QList<DeviceRecord>> listForUser(const QString& userId, bool includeRevoked);
    Result<QList<DeviceRecord>> listAll();
    Result<void> revoke(const QString& id); // "not_found" for an unknown id

private:
    Database& m_database;
};

} // namespace handoff::server
