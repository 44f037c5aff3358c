#pragma once

// The server's SQLite database in the data directory: opened in WAL mode, with a
// versioned schema brought up to date by numbered migrations recorded in
// schema_migrations. A database written by a newer server is refused. A new
// database file is created owner-only before SQLite opens it (so are its WAL
// files, which SQLite gives the database's mode); a symbolic link or another
// user's file is refused.

#include "core/common/Result.h"

#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace handoff::server {

class Database final {
public:
    static Result<std::unique_ptr<Database>> open(const QString& filePath);
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    QSqlDatabase& handle() { return m_db; }
    int schemaVersion() const { return m_version; }
    static int latestSchemaVersion();

private:
    explicit Database(QString connectionName);
    Result<void> migrate();

    QString m_connectionName;
    QSqlDatabase m_db;
    int m_version = 0;
};

} // namespace handoff::server
