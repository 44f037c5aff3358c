#pragma once

// Runs the to-human, detect and approve commands: prints what the person and
// the calling script need (the link, the SAS, the outcome; approve: the access
// token) on stdout, as text or JSON with --json, and returns the exit code.
// Never prints the API key, the client secret, the stream token or anything
// the person types.

#include "agent/cli/ArgumentParser.h"

#include <QTextStream>

namespace handoff::agent {

class CommandRunner final {
public:
    CommandRunner() = delete;
    // Both run an event loop until done; a QCoreApplication must exist.
    static int toHuman(const CliOptions& options, QTextStream& out, QTextStream& err);
    static int detect(const CliOptions& options, QTextStream& out, QTextStream& err);
    // Progress and the outcome in words on `err`; on approval the access token
    // (or with --json one object) on `out`. SIGINT/SIGTERM stop waiting.
    static int approve(const CliOptions& options, QTextStream& out, QTextStream& err);
};

} // namespace handoff::agent
