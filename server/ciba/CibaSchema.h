#pragma once

// The CIBA request table: one migration of the server's database (append-only).

#include <QList>

namespace handoff::server {

class CibaSchema final {
public:
    CibaSchema() = delete;
    static const QList<const char*>& migrationStatements();
};

} // namespace handoff::server
