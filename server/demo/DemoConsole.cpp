#include "server/demo/DemoConsole.h"

#include "server/demo/DemoLogging.h"

#include <QFile>
#include <QSaveFile>

#include <cstdio>

namespace handoff::server {

DemoConsole::DemoConsole(QString codeFile, Writer writer)
    : m_codeFile(std::move(codeFile))
    , m_writer(writer ? std::move(writer) : Writer(&DemoConsole::writeStdout))
{
}

void DemoConsole::writeStdout(const QString& line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void DemoConsole::oneTimeCode(const QString& userName, QByteArrayView digits) const
{
    m_writer(QStringLiteral("demo: one-time code for %1: %2").arg(userName, QString::fromLatin1(digits)));
    if (m_codeFile.isEmpty()) {
        return;
    }
    QSaveFile file(m_codeFile);
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcDemo).noquote() << "cannot write the demo code file" << m_codeFile << ":" << file.errorString();
        return;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(digits.toByteArray() + '\n');
    if (!file.commit()) {
        qCWarning(lcDemo).noquote() << "cannot write the demo code file" << m_codeFile << ":" << file.errorString();
    }
}

} // namespace handoff::server
