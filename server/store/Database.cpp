#include "server/store/Database.h"

#include "server/app/Logging.h"
#include "server/ciba/AbuseLimitSchema.h"
#include "server/ciba/CibaSchema.h"
#include "server/ciba/GovernanceSchema.h"
#include "server/ciba/NotificationSchema.h"
#include "server/ciba/ServerKey.h"
#include "server/device/DeviceSchema.h"
#include "server/store/StorageError.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace handoff::server {

namespace {

struct Migration final {
    int version;
    QList<const char*> statements;
};

// Append only: a released migration never changes.
const QList<Migration>& migrations()
{
    static const QList<Migration> list = {
        {1,
         {
             "CREATE TABLE api_keys ("
             " id TEXT PRIMARY KEY,"
             " name TEXT NOT NULL,"
             " key_hash BLOB NOT NULL,"
             " created_at INTEGER NOT NULL,"
             " revoked_at INTEGER)",
             "CREATE TABLE sessions ("
             " id TEXT PRIMARY KEY,"
             " api_key_id TEXT NOT NULL REFERENCES api_keys(id),"
             " status TEXT NOT NULL,"
             " service TEXT NOT NULL,"
             " cdp_url TEXT NOT NULL DEFAULT '',"
             " context TEXT NOT NULL DEFAULT '{}',"
             " login_hint TEXT NOT NULL DEFAULT '',"
             " stream_token_hash BLOB NOT NULL,"
             " viewer_token_hash BLOB NOT NULL,"
             " viewer_key_hash BLOB,"
             " created_at INTEGER NOT NULL,"
             " expires_at INTEGER NOT NULL,"
             " ended_at INTEGER)",
             "CREATE INDEX sessions_by_status_expiry ON sessions(status, expires_at)",
         }},
        {2, DeviceSchema::migrationStatements()}, // users, devices, pairings, CIBA clients
        {3, CibaSchema::migrationStatements()},   // CIBA requests
        {4, ServerKey::migrationStatements()},    // token signing keys
        {5, NotificationSchema::migrationStatements()}, // CIBA notification outbox, expiry index
        {6, GovernanceSchema::migrationStatements()}, // revoked tokens, denial blocks, decision server identity
        {7, AbuseLimitSchema::migrationStatements()}, // wrong user codes and their locks, unanswered requests in blocks
    };
    return list;
}

// SQLite would create a missing database file with mode 0644 less the umask: for
// a moment (or for good, with a lax umask) anyone could open the file with its key
// and token hashes, and keep that descriptor. So the file is created owner-only
// first, and an existing one must be a regular file of this user.
Result<void> prepareOwnerOnlyFile(const QString& filePath)
{
    const QFileInfo info(filePath);
    if (info.isSymLink()) {
        return Error{QStringLiteral("storage"),
                     QStringLiteral("the database %1 is a symbolic link; refusing to follow it").arg(filePath)};
    }
    if (!info.exists()) {
        QFile file(filePath);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
            return Error{QStringLiteral("storage"),
                         QStringLiteral("cannot create the database %1: %2").arg(filePath, file.errorString())};
        }
        return {};
    }
    if (!info.isFile()) {
        return Error{QStringLiteral("storage"), QStringLiteral("the database %1 is not a regular file").arg(filePath)};
    }
#ifdef Q_OS_UNIX
    if (info.ownerId() != uint(::geteuid())) {
        return Error{QStringLiteral("storage"),
                     QStringLiteral("the database %1 belongs to another user; refusing to open it").arg(filePath)};
    }
#endif
    // Only the server's user reads the key and token hashes.
    QFile::setPermissions(filePath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

} // namespace

int Database::latestSchemaVersion()
{
    return migrations().last().version;
}

Database::Database(QString connectionName)
    : m_connectionName(std::move(connectionName))
{
}

Database::~Database()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<Database>> Database::open(const QString& filePath)
{
    static std::atomic<int> counter{0};
    const QString name = QStringLiteral("handoff-server-%1").arg(counter.fetch_add(1));
    std::unique_ptr<Database> database(new Database(name));
    database->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    if (!database->m_db.isValid()) {
        return Error{QStringLiteral("storage"), QStringLiteral("the Qt SQLite driver (QSQLITE) is not available")};
    }
    if (Result<void> prepared = prepareOwnerOnlyFile(filePath); !prepared) {
        return prepared.error();
    }
    database->m_db.setDatabaseName(filePath);
    database->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!database->m_db.open()) {
        return sqlError(QStringLiteral("cannot open the database %1").arg(filePath), database->m_db.lastError());
    }

    QSqlQuery query(database->m_db);
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        if (!query.exec(QString::fromLatin1(pragma))) {
            return sqlError(QString::fromLatin1(pragma), query.lastError());
        }
    }
    Result<void> migrated = database->migrate();
    if (!migrated) {
        return migrated.error();
    }
    return database;
}

Result<void> Database::migrate()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"))) {
        return sqlError(QStringLiteral("cannot create schema_migrations"), query.lastError());
    }
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) || !query.next()) {
        return sqlError(QStringLiteral("cannot read the schema version"), query.lastError());
    }
    m_version = query.value(0).toInt();
    query.finish();
    if (m_version > latestSchemaVersion()) {
        return Error{QStringLiteral("storage"),
                     QStringLiteral("the database has schema version %1, newer than this server knows (%2): "
                                    "run a newer handoff-server")
                         .arg(m_version)
                         .arg(latestSchemaVersion())};
    }
    for (const Migration& migration : migrations()) {
        if (migration.version <= m_version) {
            continue;
        }
        if (!m_db.transaction()) {
            return sqlError(QStringLiteral("cannot start migration %1").arg(migration.version), m_db.lastError());
        }
        for (const char* statement : migration.statements) {
            if (!query.exec(QString::fromLatin1(statement))) {
                const Error error = sqlError(QStringLiteral("migration %1 failed").arg(migration.version), query.lastError());
                m_db.rollback();
                return error;
            }
        }
        query.prepare(QStringLiteral("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
        query.addBindValue(migration.version);
        query.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!query.exec() || !m_db.commit()) {
            const Error error = sqlError(QStringLiteral("migration %1 failed").arg(migration.version), query.lastError());
            m_db.rollback();
            return error;
        }
        qCInfo(lcStore) << "database schema migrated to version" << migration.version;
        m_version = migration.version;
    }
    return {};
}

} // namespace handoff::server
