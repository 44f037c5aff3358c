#pragma once

// The tables that keep the CIBA OP honest, one migration of the server's database
// (append-only): revoked access tokens (until they expire), the denial blocks
// against prompt bombing (kept for the audit), and the server identity each
// decision was verified under (so an audit export can rebuild the signed statement).

#include <QList>

namespace handoff::server {

class GovernanceSchema final {
public:
    GovernanceSchema() = delete;
    static const QList<const char*>& migrationStatements();
};

} // namespace handoff::server
