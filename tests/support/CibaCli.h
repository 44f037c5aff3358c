#pragma once

// Runs handoff-server's operator commands (users, devices, clients) on a
// TestServer's data directory, and picks the one-time secrets out of their output.

#include "tests/support/TestServer.h"

#include <QProcess>
#include <QRegularExpression>

namespace handoff::test {

struct CliResult final {
    int exitCode = -1;
    QString out;
    QString err;
};

// The handoff-server program of this build with exactly these arguments.
inline CliResult runServerProgram(const QStringList& arguments)
{
    QProcess process;
    process.start(TestServer::program(), arguments);
    CliResult result;
    if (!process.waitForFinished(60'000)) {
        process.kill();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// An operator command on the server's data directory, e.g. {"users", "add", "alex@example.com"}.
inline CliResult runCli(const TestServer& server, QStringList arguments)
{
    arguments << QStringLiteral("--data-dir") << server.dataDir() << QStringLiteral("--public-url")
              << server.baseUrl().toString();
    return runServerProgram(arguments);
}

inline QString pairingLinkFrom(const QString& output)
{
    static const QRegularExpression pattern(QStringLiteral("(handoff://pair\\?\\S+)"));
    return pattern.match(output).captured(1);
}

inline QString clientFieldFrom(const QString& output, const QString& field)
{
    const QRegularExpression pattern(field + QStringLiteral(":\\s+(\\S+)"));
    return pattern.match(output).captured(1);
}

struct ClientCredentials final {
    QString id;
    QString secret;
    bool isValid() const { return !id.isEmpty() && !secret.isEmpty(); }
};

// `clients create --name NAME` plus `extra` (e.g. {"--mode", "poll", "--interval", "1"}).
inline ClientCredentials createClient(const TestServer& server, const QString& name, const QStringList& extra)
{
    const CliResult created = runCli(server, QStringList{QStringLiteral("clients"), QStringLiteral("create"),
                                                         QStringLiteral("--name"), name} + extra);
    return ClientCredentials{clientFieldFrom(created.out, QStringLiteral("client_id")),
                             clientFieldFrom(created.out, QStringLiteral("client_secret"))};
}

} // namespace handoff::test
