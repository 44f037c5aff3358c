#include "tests/support/TestServer.h"

#include "tests/server/HttpTestClient.h"
#include "tests/support/TestPaths.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace handoff::test {

namespace {
// QTest cuts long messages: the end of the output is where the reason is.
QString tail(const QString& output)
{
    return output.size() > 700 ? QStringLiteral("...") + output.right(700) : output;
}
constexpr int startTimeoutMs = 30'000; // sanitizer builds start slowly on a busy machine
constexpr int stopTimeoutMs = 15'000;
} // namespace

TestServer::TestServer() = default;

TestServer::~TestServer()
{
    if (isRunning()) {
        stop();
    }
}

QString TestServer::program()
{
    return TestPaths::program(QStringLiteral("handoff-server"));
}

QString TestServer::dataDir() const
{
    return m_dir ? m_dir->path() : QString();
}

qint64 TestServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

bool TestServer::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QUrl TestServer::url(const QString& path) const
{
    QUrl url = m_baseUrl;
    url.setPath(path);
    return url;
}

QUrl TestServer::streamUrl(const QString& sessionId, const QString& role, const QString& token) const
{
    QUrl url = m_baseUrl;
    url.setScheme(m_baseUrl.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QStringLiteral("/stream/") + sessionId);
    url.setQuery(QStringLiteral("role=%1&token=%2").arg(role, token));
    return url;
}

QJsonObject TestServer::session(const QString& sessionId) const
{
    return HttpTestClient().get(url(QStringLiteral("/session/") + sessionId), m_apiKey).json();
}

bool TestServer::start(const QStringList& extraArguments)
{
    if (isRunning()) {
        m_error = QStringLiteral("already running");
        return false;
    }
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("no temporary directory");
        return false;
    }
    m_extraArguments = extraArguments;
    m_apiKey.clear();
    return launch(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
}

bool TestServer::restart()
{
    if (!m_dir) {
        m_error = QStringLiteral("never started");
        return false;
    }
    if (isRunning() && !stop()) {
        return false;
    }
    return launch(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port)});
}

bool TestServer::launch(const QStringList& listenArguments)
{
    const QString binary = program();
    if (binary.isEmpty()) {
        m_error = QStringLiteral("handoff-server is not built (looked in %1/bin)").arg(TestPaths::buildDir());
        return false;
    }
    m_output.clear();
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(binary);
    m_process->setArguments(listenArguments + QStringList{QStringLiteral("--data-dir"), m_dir->path()}
                            + m_extraArguments);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start();
    if (!m_process->waitForStarted(startTimeoutMs)) {
        m_error = QStringLiteral("handoff-server did not start: %1").arg(m_process->errorString());
        return false;
    }
    m_pid = m_process->processId();
    // "handoff-server listening on <public URL>" comes last, once the first key is
    // printed; the socket itself is in the log line before it (the public URL may
    // name another host, e.g. a proxy in front).
    static const QRegularExpression started(QStringLiteral(R"(handoff-server listening on https?://\S+)"));
    static const QRegularExpression listening(QStringLiteral(R"(listening on (\S+) port (\d+) (with|without) TLS)"));
    static const QRegularExpression key(QStringLiteral(R"(\b(hk_[A-Za-z0-9]+_[A-Za-z0-9]+)\b)"));
    const QDeadlineTimer deadline(startTimeoutMs);
    while (!deadline.hasExpired()) {
        collectOutput();
        const auto match = listening.match(m_output);
        if (match.hasMatch() && started.match(m_output).hasMatch()) {
            m_port = quint16(match.captured(2).toUInt());
            m_baseUrl = QUrl(QStringLiteral("%1://127.0.0.1:%2")
                                 .arg(match.captured(3) == QLatin1String("with") ? QStringLiteral("https")
                                                                                  : QStringLiteral("http"))
                                 .arg(m_port));
            const auto keyMatch = key.match(m_output);
            if (keyMatch.hasMatch()) {
                m_apiKey = keyMatch.captured(1).toLatin1();
            }
            m_error.clear();
            return true;
        }
        if (m_process->state() == QProcess::NotRunning) {
            m_error = QStringLiteral("handoff-server exited with %1 before listening:\n%2")
                          .arg(m_process->exitCode())
                          .arg(tail(m_output));
            return false;
        }
        m_process->waitForReadyRead(100);
    }
    m_error = QStringLiteral("handoff-server did not listen in time:\n%1").arg(tail(m_output));
    m_process->kill();
    m_process->waitForFinished(stopTimeoutMs);
    return false;
}

QString TestServer::output()
{
    collectOutput(); // what the server wrote since the last look, not only what start() saw
    return m_output;
}

void TestServer::collectOutput()
{
    if (m_process) {
        m_output += QString::fromUtf8(m_process->readAll());
    }
}

bool TestServer::stop()
{
    if (!m_process) {
        return true;
    }
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(stopTimeoutMs)) {
            m_process->kill();
            m_process->waitForFinished(stopTimeoutMs);
            collectOutput();
            m_error = QStringLiteral("handoff-server did not stop on SIGTERM:\n%1").arg(tail(m_output));
            return false;
        }
    }
    collectOutput();
    const bool clean = m_process->exitStatus() == QProcess::NormalExit && m_process->exitCode() == 0;
    if (!clean) {
        // The whole output (e.g. a sanitizer report) goes to a file that outlives the test.
        QFile log(QDir::temp().filePath(QStringLiteral("handoff-server-%1.log").arg(m_pid)));
        if (log.open(QIODevice::WriteOnly)) {
            log.write(m_output.toUtf8());
        }
        m_error = QStringLiteral("handoff-server exited with status %1 (whole output in %2):\n%3")
                      .arg(m_process->exitCode())
                      .arg(log.fileName(), tail(m_output));
    }
    return clean;
}

int TestServer::runKeys(const QStringList& arguments, QString* output) const
{
    QProcess process;
    process.setProgram(program());
    process.setArguments(QStringList{QStringLiteral("keys")} + arguments
                         + QStringList{QStringLiteral("--data-dir"), dataDir()});
    process.start();
    if (!process.waitForFinished(startTimeoutMs) || process.exitStatus() != QProcess::NormalExit) {
        return -1;
    }
    if (output) {
        *output = QString::fromUtf8(process.readAllStandardOutput());
    }
    return process.exitCode();
}

} // namespace handoff::test
