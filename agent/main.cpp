// handoff-agent: hands one authentication step in a Chromium to a person.
// main only wires the command line to the agent library.

#include "agent/cli/ArgumentParser.h"
#include "agent/cli/CommandRunner.h"
#include "core/crypto/SelfTest.h"

#include <QCoreApplication>
#include <QTextStream>

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
    case CliOptions::Command::Mcp:
        err << "handoff-agent: the mcp command is not available in this build yet\n";
        return ExitError;
    case CliOptions::Command::Help:
        break;
    }
    return 0;
}
