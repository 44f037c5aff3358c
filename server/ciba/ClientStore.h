#pragma once

// CIBA clients (the agents and services that ask people for approval), each with
// its token delivery mode (poll, ping or push; CIBA Core 5) and, for ping and push,
// its client notification endpoint. The client secret (32 random bytes,
// base64url) is shown once at creation and kept only as its SHA-256; clients
// authenticate with client_secret_basic or client_secret_post.

#include "core/common/Result.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace handoff::server {

class Database;

struct ClientRecord final {
    QString id;   // "cl_" + 16 base62
    QString name;
    QString mode; // "poll", "ping" or "push"
    QString notificationEndpoint;
    int pollInterval = 5; // seconds
    qint64 createdAtMs = 0;
    std::optional<qint64> revokedAtMs;
};

struct NewClient final {
    ClientRecord record;
    QByteArray secret; // shown once, never stored
};

class ClientStore final {
public:
    explicit ClientStore(Database& database) : m_database(database) {}

    // Errors: "invalid_name", "invalid_mode", "invalid_endpoint", "invalid_interval", "storage".
    Result<NewClient> create(const QString& name, const QString& mode, const QString& notificationEndpoint,
                             int pollInterval = 5);
    Result<QList<ClientRecord>> list();
    Result<std::optional<ClientRecord>> find(const QString& id);
    Result<void> revoke(const QString& id);
    // The live client whose id and secret these are, or nothing.
    std::optional<ClientRecord> authenticate(const QString& id, QByteArrayView secret);

private:
    Database& m_database;
};

} // namespace handoff::server
