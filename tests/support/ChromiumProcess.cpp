#include "tests/support/ChromiumProcess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTest>

#include <csignal>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

namespace handoff::test {

namespace {

QByteArray httpRequest(const QUrl& url, const QByteArray& verb, int timeoutMs)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply* reply = network.sendCustomRequest(request, verb);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->error() == QNetworkReply::NoError ? reply->readAll() : QByteArray();
    reply->deleteLater();
    return body;
}

} // namespace

ChromiumProcess::ChromiumProcess() = default;

ChromiumProcess::~ChromiumProcess()
{
    stop();
}

QString ChromiumProcess::executable()
{
    const QString fromEnv = qEnvironmentVariable("HANDOFF_CHROMIUM");
    if (!fromEnv.isEmpty()) {
        return QFileInfo(fromEnv).isExecutable() ? fromEnv : QString();
    }
    if (QFileInfo(QStringLiteral("/usr/bin/chromium")).isExecutable()) {
        return QStringLiteral("/usr/bin/chromium");
    }
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
        const QString found = QStandardPaths::findExecutable(QString::fromLatin1(name));
        if (!found.isEmpty()) {
            return found;
        }
    }
    return {};
}

QUrl ChromiumProcess::httpEndpoint() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QByteArray ChromiumProcess::output() const
{
    return m_process ? m_process->peek(1 << 20) : QByteArray();
}

bool ChromiumProcess::start(const QUrl& initialUrl, int width, int height, int timeoutMs)
{
    const QString program = executable();
    if (program.isEmpty()) {
        m_error = QStringLiteral("no Chromium executable found");
        return false;
    }
    m_profile = std::make_unique<QTemporaryDir>();
    if (!m_profile->isValid()) {
        m_error = QStringLiteral("could not create a temporary profile folder");
        return false;
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    // Its own process group, so that stop() also ends renderers and helpers; and
    // killed with the test process should that one crash.
    m_process->setChildProcessModifier([] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    const QStringList arguments{
        QStringLiteral("--headless"),
        QStringLiteral("--no-sandbox"),
        QStringLiteral("--disable-gpu"),
        QStringLiteral("--no-first-run"),
        QStringLiteral("--no-default-browser-check"),
        QStringLiteral("--disable-background-networking"),
        QStringLiteral("--disable-component-update"),
        QStringLiteral("--disable-sync"),
        QStringLiteral("--disable-quic"),
        QStringLiteral("--disable-dev-shm-usage"),
        QStringLiteral("--mute-audio"),
        QStringLiteral("--window-size=%1,%2").arg(width).arg(height),
        QStringLiteral("--user-data-dir=%1").arg(m_profile->path()),
        QStringLiteral("--remote-debugging-port=0"),
        initialUrl.toString(QUrl::FullyEncoded),
    };
    m_process->start(program, arguments);
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("Chromium did not start: %1").arg(m_process->errorString());
        return false;
    }
    m_pid = m_process->processId();

    const QString portFile = m_profile->filePath(QStringLiteral("DevToolsActivePort"));
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running) {
            m_error = QStringLiteral("Chromium exited early: %1").arg(QString::fromUtf8(m_process->readAll().right(2000)));
            return false;
        }
        QFile file(portFile);
        if (file.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> lines = file.readAll().split('\n');
            bool ok = false;
            const uint port = lines.value(0).trimmed().toUInt(&ok);
            if (ok && port > 0 && port < 65536 && lines.size() >= 2 && !lines.at(1).trimmed().isEmpty()) {
                m_port = static_cast<quint16>(port);
                m_browserWsUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1%2")
                                          .arg(m_port)
                                          .arg(QString::fromLatin1(lines.at(1).trimmed())));
                break;
            }
        }
        QTest::qWait(50);
    }
    if (m_port == 0) {
        m_error = QStringLiteral("Chromium did not write DevToolsActivePort in time");
        return false;
    }
    // The port file can appear a moment before /json answers.
    while (!deadline.hasExpired()) {
        const QByteArray version = httpRequest(QUrl(httpEndpoint().toString() + QStringLiteral("/json/version")),
                                               QByteArrayLiteral("GET"), 2000);
        if (!version.isEmpty()) {
            return true;
        }
        QTest::qWait(100);
    }
    m_error = QStringLiteral("Chromium's DevTools endpoint did not answer");
    return false;
}

QString ChromiumProcess::openPage(const QUrl& url)
{
    QUrl newUrl(httpEndpoint().toString() + QStringLiteral("/json/new"));
    newUrl.setQuery(url.toString(QUrl::FullyEncoded));
    const QByteArray body = httpRequest(newUrl, QByteArrayLiteral("PUT"), 10000);
    return QJsonDocument::fromJson(body).object().value(QLatin1String("id")).toString();
}

void ChromiumProcess::stop()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    if (m_pid > 0) {
        // Helpers (zygote, renderers) that outlived the browser process.
        ::kill(static_cast<pid_t>(-m_pid), SIGKILL);
        m_pid = 0;
    }
    m_process.reset();
    m_profile.reset();
    m_port = 0;
}

} // namespace handoff::test
