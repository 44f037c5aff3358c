#include "server/device/DeviceSchema.h"

namespace handoff::server {

const QList<const char*>& DeviceSchema::migrationStatements()
{
    static const QList<const char*> statements = {
        "CREATE TABLE users ("
        " id TEXT PRIMARY KEY,"
        " email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
        " user_code_salt BLOB,"
        " user_code_hash BLOB,"
        " created_at INTEGER NOT NULL)",
        "CREATE TABLE devices ("
        " id TEXT PRIMARY KEY,"
        " user_id TEXT NOT NULL REFERENCES users(id),"
        " name TEXT NOT NULL,"
        " public_key BLOB NOT NULL,"
        " created_at INTEGER NOT NULL,"
        " last_seen_at INTEGER,"
        " revoked_at INTEGER)",
        "CREATE INDEX devices_by_user ON devices(user_id)",
        "CREATE TABLE device_pairings ("
        " token_hash BLOB PRIMARY KEY,"
        " user_id TEXT NOT NULL REFERENCES users(id),"
        " created_at INTEGER NOT NULL,"
        " expires_at INTEGER NOT NULL,"
        " used_at INTEGER,"
        " device_id TEXT)",
        "CREATE TABLE ciba_clients ("
        " id TEXT PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " secret_hash BLOB NOT NULL,"
        " mode TEXT NOT NULL,"
        " notification_endpoint TEXT NOT NULL DEFAULT '',"
        " poll_interval INTEGER NOT NULL DEFAULT 5,"
        " created_at INTEGER NOT NULL,"
        " revoked_at INTEGER)",
    };
    return statements;
}

} // namespace handoff::server
