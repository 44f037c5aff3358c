#include "server/ciba/AbuseLimitSchema.h"

namespace handoff::server {

const QList<const char*>& AbuseLimitSchema::migrationStatements()
{
    static const QList<const char*> statements = {
        // Never the code that was sent: only that a wrong one came, from whom, for whom.
        "CREATE TABLE ciba_user_code_failures ("
        " id INTEGER PRIMARY KEY,"
        " user_id TEXT NOT NULL,"
        " client_id TEXT NOT NULL,"
        " failed_at INTEGER NOT NULL)",
        "CREATE INDEX ciba_user_code_failures_by_user ON ciba_user_code_failures(user_id, failed_at)",
        "CREATE INDEX ciba_user_code_failures_by_client ON ciba_user_code_failures(client_id, failed_at)",
        "CREATE TABLE ciba_user_code_locks ("
        " id INTEGER PRIMARY KEY,"
        " scope TEXT NOT NULL," // user: the person's code is locked | client: the client may send no code
        " user_id TEXT NOT NULL," // the person (scope user) or the one of the last wrong code (scope client)
        " user_email TEXT NOT NULL,"
        " client_id TEXT NOT NULL," // the client (scope client) or the one that sent the last wrong code (scope user)
        " client_name TEXT NOT NULL,"
        " failures INTEGER NOT NULL,"
        " started_at INTEGER NOT NULL,"
        " ends_at INTEGER NOT NULL,"
        " devices_told INTEGER NOT NULL DEFAULT 0,"
        " refused_requests INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX ciba_user_code_locks_by_user ON ciba_user_code_locks(scope, user_id, ends_at)",
        "CREATE INDEX ciba_user_code_locks_by_client ON ciba_user_code_locks(scope, client_id, ends_at)",
        // Of the refusals that started a block, how many were requests left to expire.
        "ALTER TABLE ciba_blocks ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0",
    };
    return statements;
}

} // namespace handoff::server
