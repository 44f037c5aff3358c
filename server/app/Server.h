#pragma once

// The whole server put together: database, key and session stores, session rules
// and expiry, the HTTP API, the relay and the operations endpoints, on one
// listening port. main() only parses the command line and runs this; tests can
// run it in-process.

#include "core/common/Result.h"
#include "server/config/ServerConfig.h"
#include "server/store/ApiKeyStore.h"

#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

namespace handoff::server {

class CibaModule;
class Database;
class DemoSite;
class ExpiryScheduler;
class HttpServer;
class Metrics;
class OpsApi;
class Router;
class SessionApi;
class SessionService;
class SessionStore;
class StreamRelay;

class Server final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)

public:
    // Opens (and migrates) the database in the data directory.
    static Result<std::unique_ptr<Server>> create(const ServerConfig& config, QObject* parent = nullptr);
    ~Server() override;

    // Listens, arms expiry, and on a database without any key creates one (see firstKey()).
    Result<void> start();
    // Stops accepting and closes every socket with 1001.
    void shutdown();

    const std::optional<NewApiKey>& firstKey() const { return m_firstKey; }
    QUrl publicUrl() const { return m_publicUrl; }
    quint16 port() const;
    QString dataDir() const { return m_dataDir; }
    QString databasePath() const;

    static QString defaultDataDir();
    // The data directory that --data-dir names: dataDir, or defaultDataDir() when empty.
    static QString dataDirectory(const QString& dataDir);
    // The database file in that directory.
    static QString databasePathIn(const QString& dataDir);
    // The data directory created with owner-only permissions, and its database
    // opened and migrated. The server and its admin commands (keys, users, clients,
    // devices) all open it this way.
    static Result<std::unique_ptr<Database>> openDatabase(const QString& dataDir);
    static QString databaseFileName() { return QStringLiteral("handoff-server.sqlite"); }

private:
    Server(ServerConfig config, QString dataDir, std::unique_ptr<Database> database, QObject* parent);

    ServerConfig m_config;
    QString m_dataDir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<ApiKeyStore> m_keys;
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<Metrics> m_metrics;
    std::unique_ptr<Router> m_router;
    std::unique_ptr<SessionApi> m_sessionApi;
    std::unique_ptr<OpsApi> m_opsApi;
    std::unique_ptr<DemoSite> m_demo; // with --demo only
    std::unique_ptr<CibaModule> m_ciba;
    SessionService* m_sessions = nullptr;
    ExpiryScheduler* m_expiry = nullptr;
    StreamRelay* m_relay = nullptr;
    HttpServer* m_http = nullptr;
    QUrl m_publicUrl;
    std::optional<NewApiKey> m_firstKey;
};

} // namespace handoff::server
