#pragma once

// A real handoff-server for tests: the built binary, started on a free loopback
// port with a fresh temporary data directory. start() blocks until it listens and
// reads the API key it prints on first start. restart() stops it with SIGTERM and
// starts it again on the same port and data directory (keys and sessions persist).
//
//   handoff::test::TestServer server;
//   QVERIFY2(server.start({"--min-ttl", "1"}), qPrintable(server.errorString()));
//   QUrl api = server.url("/session");          // http://127.0.0.1:<port>/session
//   QByteArray key = server.apiKey();           // "hk_..."

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace handoff::test {

class TestServer final {
public:
    TestServer();
    ~TestServer(); // stops the server if it still runs
    Q_DISABLE_COPY_MOVE(TestServer)

    // Extra command-line flags, e.g. {"--ping-interval", "200ms"}. False on failure (see errorString()).
    bool start(const QStringList& extraArguments = {});
    // SIGTERM, then the same flags, port and data directory again.
    bool restart();
    // SIGTERM and wait; true when the server exited with status 0.
    bool stop();
    bool isRunning() const;

    QUrl baseUrl() const { return m_baseUrl; }            // http(s)://127.0.0.1:<port>
    QUrl url(const QString& path) const;                  // baseUrl() + path
    QUrl streamUrl(const QString& sessionId, const QString& role, const QString& token) const;
    quint16 port() const { return m_port; }
    QByteArray apiKey() const { return m_apiKey; }         // the key printed on first start
    QString dataDir() const;
    QString output();                                     // stdout and stderr so far, up to this moment
    QString errorString() const { return m_error; }
    qint64 pid() const;

    // GET /session/<id> with the first key: the session as the server reports it
    // (empty when the request failed).
    QJsonObject session(const QString& sessionId) const;

    // Runs `handoff-server keys <arguments> --data-dir <dataDir()>`; returns the exit
    // code (-1 if it could not run) and puts stdout in `output`.
    int runKeys(const QStringList& arguments, QString* output = nullptr) const;

    // The handoff-server of this build, or empty.
    static QString program();

private:
    bool launch(const QStringList& arguments);
    void collectOutput();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    QStringList m_extraArguments;
    QUrl m_baseUrl;
    quint16 m_port = 0;
    qint64 m_pid = 0;
    QByteArray m_apiKey;
    QString m_output;
    QString m_error;
};

} // namespace handoff::test
