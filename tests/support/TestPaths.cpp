#include "tests/support/TestPaths.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace handoff::test {

QString TestPaths::sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("HANDOFF_SOURCE_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(HANDOFF_TEST_SOURCE_DIR) : fromEnv;
}

QString TestPaths::buildDir()
{
    const QString fromEnv = qEnvironmentVariable("HANDOFF_BUILD_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(HANDOFF_TEST_BUILD_DIR) : fromEnv;
}

QString TestPaths::interopDir()
{
    return QDir(sourceDir()).filePath(QStringLiteral("tests/interop"));
}

QString TestPaths::nodeExecutable()
{
    return QStandardPaths::findExecutable(QStringLiteral("node"));
}

QString TestPaths::program(const QString& name)
{
    const QString candidate = QDir(buildDir()).filePath(QStringLiteral("bin/") + name);
    return QFileInfo(candidate).isExecutable() ? candidate : QString();
}

} // namespace handoff::test
