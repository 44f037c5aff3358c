#pragma once

// A throwaway headless Chromium for tests: a fresh profile in a temporary
// folder, DevTools on a port Chromium picks itself (read back from
// <profile>/DevToolsActivePort), and the whole process group killed at the end.
// HANDOFF_CHROMIUM overrides the executable (default /usr/bin/chromium, then
// chromium or chromium-browser on PATH).

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace handoff::test {

class ChromiumProcess final {
public:
    ChromiumProcess();
    ~ChromiumProcess();
    ChromiumProcess(const ChromiumProcess&) = delete;
    ChromiumProcess& operator=(const ChromiumProcess&) = delete;

    // The Chromium executable found here, or empty (tests then QSKIP).
    static QString executable();

    // Starts Chromium on `initialUrl` with a window of the given size and waits
    // until its DevTools endpoint answers. False with errorString() on failure.
    bool start(const QUrl& initialUrl = QUrl(QStringLiteral("about:blank")), int width = 1280, int height = 800,
               int timeoutMs = 30000);
    void stop();

    QString errorString() const { return m_error; }
    quint16 port() const { return m_port; }
    // http://127.0.0.1:<port>, the form a user gives to --cdp-url.
    QUrl httpEndpoint() const;
    // ws://127.0.0.1:<port>/devtools/browser/<id>
    QUrl browserWebSocketUrl() const { return m_browserWsUrl; }
    // Output Chromium wrote so far (for failure diagnostics).
    QByteArray output() const;

    // Opens one more page target on `url` via /json/new; returns its target id or empty.
    QString openPage(const QUrl& url);

private:
    std::unique_ptr<QTemporaryDir> m_profile;
    std::unique_ptr<QProcess> m_process;
    QString m_error;
    QUrl m_browserWsUrl;
    quint16 m_port = 0;
    qint64 m_pid = 0;
};

} // namespace handoff::test
