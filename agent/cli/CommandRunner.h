#pragma once

// Runs the to-human and detect commands: prints what the person and the
// calling script need (the link, the SAS, the outcome) on stdout, as text or
// one JSON object per line with --json, and returns the exit code. Never
// prints the API key, the stream token or anything the person types.

#include "agent/cli/ArgumentParser.h"

#include <QTextStream>

namespace handoff::agent {

class CommandRunner final {
public:
    CommandRunner() = delete;
    // Both run an event loop until done; a QCoreApplication must exist.
    static int toHuman(const CliOptions& options, QTextStream& out, QTextStream& err);
    static int detect(const CliOptions& options, QTextStream& out, QTextStream& err);
};

} // namespace handoff::agent
