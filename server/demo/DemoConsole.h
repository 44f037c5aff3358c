#pragma once

// The demo bank's line to its operator. One-time codes go to the console (stdout)
// as "demo: one-time code for alex: 123456", and, when a code file is set
// (--demo-code-file / HANDOFF_DEMO_CODE_FILE), are also written to that file,
// replacing what it held, as the six digits and a newline, mode 0600, so that
// end-to-end tests can read it without scraping stdout. This is a deliberate
// operator channel, not a log: no logging category ever carries a code.

#include <QByteArrayView>
#include <QString>

#include <functional>

namespace handoff::server {

class DemoConsole final {
public:
    using Writer = std::function<void(const QString& line)>; // one line, without its newline

    // An empty `writer` writes to stdout and flushes at once.
    explicit DemoConsole(QString codeFile = {}, Writer writer = {});

    void oneTimeCode(const QString& userName, QByteArrayView digits) const;
    QString codeFile() const { return m_codeFile; }

    static void writeStdout(const QString& line);

private:
    QString m_codeFile;
    Writer m_writer;
};

} // namespace handoff::server
