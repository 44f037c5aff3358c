// handoff-agent: hands one authentication step in a Chromium to a person.
// main only wires the command line to the agent library.

#include "agent/cli/ArgumentParser.h"
#include "agent/cli/CommandRunner.h"
#include "agent/cli/SignalWatcher.h"
#include "agent/mcp/McpServer.h"
#include "agent/mcp/StdioTransport.h"
#include "core/crypto/SelfTest.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

using namespace handoff::agent;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("handoff-agent"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    const QStringList arguments = QCoreApplication::arguments().mid(1);
    const auto options = ArgumentParser::parse(arguments, ArgumentParser::systemEnvironment());
    if (!options) {
        err << "handoff-agent: " << options.error().message << "\n\n" << ArgumentParser::usage();
        return ExitUsage;
    }
    if (options->command == CliOptions::Command::Help) {
        out << ArgumentParser::usage();
        return 0;
    }
    if (const auto selfTest = handoff::crypto::SelfTest::run(); !selfTest) {
        err << "handoff-agent: crypto self-test failed: " << selfTest.error().message << '\n';
        return ExitError;
    }
    switch (options->command) {
    case CliOptions::Command::ToHuman:
        return CommandRunner::toHuman(*options, out, err);
    case CliOptions::Command::Detect:
        return CommandRunner::detect(*options, out, err);
    case CliOptions::Command::Approve:
        return CommandRunner::approve(*options, out, err);
    case CliOptions::Command::Mcp: {
        McpServer::Defaults defaults{options->server,   options->apiKey,   options->cdpUrl,
                                     options->protocol, options->clientId, options->clientSecret};
        McpServer server(defaults, &StdioTransport::write);
        if (const int interval = qEnvironmentVariableIntValue("MCP_PROGRESS_INTERVAL_MS"); interval > 0) {
            server.setProgressIntervalMs(interval);
        }
        StdioTransport transport;
        SignalWatcher signalWatcher;
        const auto shutDown = [&] {
            server.cancelAll();
            // Let the cancels reach the server, then leave.
            QTimer::singleShot(server.hasLiveSessions() ? 3000 : 0, &app, &QCoreApplication::quit);
        };
        QObject::connect(&transport, &StdioTransport::messageReceived, &server, &McpServer::handleMessage);
        QObject::connect(&transport, &StdioTransport::closed, &app, shutDown);
        QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &app, shutDown);
        return app.exec();
    }
    case CliOptions::Command::Help:
        break;
    }
    return 0;
}
