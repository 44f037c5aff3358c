#pragma once

// The operator's audit commands, on the database in the data directory:
//   handoff-server audit export [--output FILE] [--since TIME]
//       JSON lines (AuditRecord, AuditBlock) to FILE (mode 0600) or stdout;
//       TIME is RFC 3339 (2025-01-31T12:00:00Z) or a date (2025-01-31, UTC).
//   handoff-server audit verify FILE
//       checks each line (AuditVerifier), prints a verdict per line and a summary,
//       and exits 1 if any line fails. With a server database in the data
//       directory, device keys and decisions are also checked against it; without
//       one, only the lines themselves (the key in each line is trusted).

#include "server/config/ServerConfig.h"

#include <QMap>
#include <QStringList>
#include <QTextStream>

namespace handoff::server {

class AuditCommands final {
public:
    AuditCommands() = delete;
    static QStringList optionNames();
    static bool handles(const QString& command);
    // `arguments` from the command word on; returns the process exit code.
    static int run(const QStringList& arguments, const QMap<QString, QString>& options, const ServerConfig& config,
                   QTextStream& out, QTextStream& err);
    static QString usage();
};

} // namespace handoff::server
