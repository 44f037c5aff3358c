#pragma once

// The command line of handoff-agent (pure: arguments and environment in,
// options or a usage error out).
//
//   handoff-agent to-human --server URL --api-key KEY --cdp-url URL --service NAME
//                 [--blocker TYPE] [--hint TEXT] [--ttl S] [--login-hint USER]
//                 [--protocol 1|2] [--quality 60|75|90] [--target ID|URL-PART] [--json]
//   handoff-agent detect --cdp-url URL [--target ID|URL-PART] [--json]
//   handoff-agent mcp
//
// --server, --api-key and --cdp-url fall back to HANDOFF_SERVER,
// HANDOFF_API_KEY and HANDOFF_CDP_URL. Prefer the environment for the key:
// an argument list is visible to other users of the machine.
//
// Exit codes: 0 resolved (detect: done), 2 usage, 3 cancelled, 4 timeout, 5 error.

#include "core/common/Result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace handoff::agent {

enum ExitCode {
    ExitResolved = 0,
    ExitUsage = 2,
    ExitCancelled = 3,
    ExitTimeout = 4,
    ExitError = 5,
};

struct CliOptions final {
    enum class Command { ToHuman, Detect, Mcp, Help };
    Command command = Command::Help;
    QUrl server;
    QByteArray apiKey;
    QUrl cdpUrl;
    QString target;
    QString service;
    QString blocker;
    QString hint;
    QString loginHint;
    int ttl = 0;
    int protocol = 2;
    int quality = 75;
    bool json = false;
};

class ArgumentParser final {
public:
    ArgumentParser() = delete;

    // `arguments` without the program name.
    static Result<CliOptions> parse(const QStringList& arguments, const QHash<QString, QString>& environment);
    static QHash<QString, QString> systemEnvironment();
    static QString usage();
};

} // namespace handoff::agent
