#pragma once

// The audit trail in the server's database, read for `handoff-server audit`:
// every CIBA request with its decision (ciba_requests, joined with the deciding
// device's registered key), every prompt-bombing block (ciba_blocks) and every
// user-code lock (ciba_user_code_locks), written as AuditRecord / AuditBlock /
// AuditUserCodeLock JSON lines; and the server's side of a line, for
// AuditVerifier::Reference.

#include "core/common/Result.h"
#include "server/audit/AuditVerifier.h"

#include <QString>

#include <optional>

class QIODevice;

namespace handoff::server {

class Database;

class AuditLog final {
public:
    explicit AuditLog(Database& database) : m_database(database) {}

    struct Counts final {
        int requests = 0;
        int blocks = 0;
        int locks = 0;
    };
    // Request lines oldest first (requested at or after `sinceMs`), then block lines
    // and user-code lock lines (started at or after it). `fallbackServer` names the server for decisions stored
    // before the server identity was recorded with each one.
    Result<Counts> exportLines(QIODevice& out, qint64 sinceMs, const QString& fallbackServer, qint64 nowMs);

    AuditVerifier::Reference reference(qint64 nowMs);

private:
    std::optional<QByteArray> deviceKey(const QString& deviceId);
    std::optional<AuditVerifier::StoredRequest> storedRequest(const QString& authReqId, qint64 nowMs);

    Database& m_database;
};

} // namespace handoff::server
