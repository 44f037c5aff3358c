#include "server/ciba/GovernanceSchema.h"

namespace handoff::server {

const QList<const char*>& GovernanceSchema::migrationStatements()
{
    static const QList<const char*> statements = {
        // Only the jti of a revoked token is kept: the token itself is never stored.
        "CREATE TABLE revoked_tokens ("
        " jti TEXT PRIMARY KEY,"
        " client_id TEXT NOT NULL,"
        " expires_at INTEGER NOT NULL,"
        " revoked_at INTEGER NOT NULL)",
        "CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens(expires_at)",
        "CREATE TABLE ciba_blocks ("
        " id INTEGER PRIMARY KEY,"
        " client_id TEXT NOT NULL,"
        " client_name TEXT NOT NULL,"
        " user_id TEXT NOT NULL,"
        " user_email TEXT NOT NULL,"
        " denials INTEGER NOT NULL,"
        " last_denied_auth_req_id TEXT NOT NULL,"
        " started_at INTEGER NOT NULL,"
        " ends_at INTEGER NOT NULL,"
        " devices_told INTEGER NOT NULL DEFAULT 0,"
        " refused_requests INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX ciba_blocks_by_client_user ON ciba_blocks(client_id, user_id, ends_at)",
        "ALTER TABLE ciba_requests ADD COLUMN decision_server TEXT",
    };
    return statements;
}

} // namespace handoff::server
