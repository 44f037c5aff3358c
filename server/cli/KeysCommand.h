#pragma once

// handoff-server keys create --name NAME | keys list | keys revoke ID
// Works on the database in the data directory, also while a server runs on it.

#include <QStringList>
#include <QTextStream>

namespace handoff::server {

class KeysCommand final {
public:
    KeysCommand() = delete;
    // `arguments` after "keys"; returns the process exit code.
    static int run(const QStringList& arguments, const QString& name, const QString& dataDir, QTextStream& out,
                   QTextStream& err);
    static QString usage();
};

} // namespace handoff::server
