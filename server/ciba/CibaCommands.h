#pragma once

// The operator's commands for approvals, on the database in the data directory
// (also while a server runs on it):
//   handoff-server users add EMAIL [--user-code CODE] | users list
//   handoff-server devices pair EMAIL | devices list [EMAIL] | devices revoke ID
//   handoff-server clients create --name NAME --mode poll|ping|push
//                  [--notification-endpoint URL] [--interval SECONDS]
//                | clients list | clients revoke ID
// Secrets (pairing links, client secrets) are printed once to stdout and never
// stored in clear.

#include "server/config/ServerConfig.h"

#include <QMap>
#include <QStringList>
#include <QTextStream>

namespace handoff::server {

class CibaCommands final {
public:
    CibaCommands() = delete;
    // The subcommand options these commands take besides the server's own ("name" is main's).
    static QStringList optionNames();
    static bool handles(const QString& command);
    // `arguments` from the command word on; returns the process exit code.
    static int run(const QStringList& arguments, const QMap<QString, QString>& options, const ServerConfig& config,
                   QTextStream& out, QTextStream& err);
    static QString usage();
    // The base URL links name: --public-url, else the listen address and port.
    static QUrl publicBase(const ServerConfig& config);
};

} // namespace handoff::server
