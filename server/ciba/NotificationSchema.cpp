#include "server/ciba/NotificationSchema.h"

namespace handoff::server {

const QList<const char*>& NotificationSchema::migrationStatements()
{
    // One row per request that reached a final state for a ping or push client;
    // rows are kept after delivery or failure, as the record of what was sent.
    // The client notification token stays in ciba_requests only.
    static const QList<const char*> statements = {
        "CREATE TABLE ciba_notifications ("
        " auth_req_id TEXT PRIMARY KEY REFERENCES ciba_requests(auth_req_id),"
        " mode TEXT NOT NULL,"    // ping | push
        " outcome TEXT NOT NULL," // approved | denied | expired
        " state TEXT NOT NULL,"   // pending | delivered | failed (| superseded, from migration 7 on)
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " queued_at INTEGER NOT NULL,"
        " next_attempt_at INTEGER NOT NULL,"
        " last_attempt_at INTEGER,"
        " last_error TEXT,"
        " finished_at INTEGER)",
        "CREATE INDEX ciba_notifications_due ON ciba_notifications(state, next_attempt_at)",
        "CREATE INDEX ciba_requests_by_status_expiry ON ciba_requests(status, expires_at)",
    };
    return statements;
}

} // namespace handoff::server
