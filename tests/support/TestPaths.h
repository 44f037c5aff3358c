#pragma once

// Where a test finds the project's files, the build's programs and Node.

#include <QString>

namespace handoff::test {

class TestPaths final {
public:
    TestPaths() = delete;
    static QString sourceDir();             // HANDOFF_SOURCE_DIR, set by CTest
    static QString buildDir();              // HANDOFF_BUILD_DIR, set by CTest
    static QString interopDir();            // tests/interop: Node peers and their node_modules
    static QString nodeExecutable();        // "node" on PATH, or empty when missing
    static QString program(const QString& name); // a program built by this build, e.g. "handoff-server"
};

} // namespace handoff::test
