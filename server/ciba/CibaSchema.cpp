#include "server/ciba/CibaSchema.h"

namespace handoff::server {

const QList<const char*>& CibaSchema::migrationStatements()
{
    // auth_req_id is kept in clear: alone it is worth nothing without the client's
    // secret, and the devices sign over it, so the audit needs it.
    static const QList<const char*> statements = {
        "CREATE TABLE ciba_requests ("
        " auth_req_id TEXT PRIMARY KEY,"
        " client_id TEXT NOT NULL REFERENCES ciba_clients(id),"
        " client_name TEXT NOT NULL,"
        " user_id TEXT NOT NULL REFERENCES users(id),"
        " user_email TEXT NOT NULL,"
        " scope TEXT NOT NULL,"
        " binding_message TEXT NOT NULL DEFAULT '',"
        " client_notification_token TEXT NOT NULL DEFAULT '',"
        " requested_at INTEGER NOT NULL,"
        " expires_at INTEGER NOT NULL,"
        " status TEXT NOT NULL,"
        " poll_interval INTEGER NOT NULL,"
        " last_poll_at INTEGER,"
        " decided_at INTEGER,"
        " decision_device_id TEXT,"
        " decision_decided_at TEXT,"
        " decision_signature BLOB,"
        " redeemed_at INTEGER)",
        "CREATE INDEX ciba_requests_by_user ON ciba_requests(user_id, status, expires_at)",
        "CREATE INDEX ciba_requests_by_client_user ON ciba_requests(client_id, user_id, decided_at)",
    };
    return statements;
}

} // namespace handoff::server
