#pragma once

// The tables of users, paired devices, pairing tokens and CIBA clients: one
// migration of the server's database (see server/store/Database.cpp), append-only
// like every migration.

#include <QList>

namespace handoff::server {

class DeviceSchema final {
public:
    DeviceSchema() = delete;
    static const QList<const char*>& migrationStatements();
};

} // namespace handoff::server
