// --tls-cert/--tls-key: the API over HTTPS and the relay over WSS on one port, with
// a certificate made for the test by the openssl command.

#include "tests/server/HttpTestClient.h"
#include "tests/server/RawHttp.h"
#include "tests/server/WsTestClient.h"
#include "tests/support/TestServer.h"

#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace handoff::test;

class tst_Tls final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestServer m_server;
    QSslConfiguration m_trust;

    QNetworkReply* send(QNetworkAccessManager& manager, const QByteArray& method, const QUrl& url, const QByteArray& body = {})
    {
        QNetworkRequest request(url);
        request.setSslConfiguration(m_trust);
        request.setRawHeader("Authorization", "Bearer " + m_server.apiKey());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply* reply = manager.sendCustomRequest(request, method, body);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 15'000)) {
            reply->abort();
        }
        return reply;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty()) {
            QSKIP("the openssl command is needed to make a test certificate");
        }
        QProcess process;
        process.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                                QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                                QStringLiteral("-keyout"), m_dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
                                m_dir.filePath(QStringLiteral("cert.pem")), QStringLiteral("-days"), QStringLiteral("1"),
                                QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                                QStringLiteral("subjectAltName=IP:127.0.0.1")});
        QVERIFY(process.waitForFinished(30'000));
        QCOMPARE(process.exitCode(), 0);
        const auto certificates = QSslCertificate::fromPath(m_dir.filePath(QStringLiteral("cert.pem")));
        QCOMPARE(certificates.size(), 1);
        m_trust = QSslConfiguration::defaultConfiguration();
        m_trust.setCaCertificates(certificates);
        QVERIFY2(m_server.start({QStringLiteral("--tls-cert"), m_dir.filePath(QStringLiteral("cert.pem")),
                                 QStringLiteral("--tls-key"), m_dir.filePath(QStringLiteral("key.pem"))}),
                 qPrintable(m_server.errorString()));
        QCOMPARE(m_server.baseUrl().scheme(), QStringLiteral("https"));
    }

    void cleanupTestCase()
    {
        if (m_server.isRunning()) {
            QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        }
    }

    void apiAndRelayOverTls()
    {
        QNetworkAccessManager manager;
        QNetworkReply* reply = send(manager, "GET", m_server.url(QStringLiteral("/healthz")));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();

        reply = send(manager, "POST", m_server.url(QStringLiteral("/session")), R"({"service":"Secure"})");
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        const QString streamUrl = json.value(QStringLiteral("stream_url")).toString();
        QVERIFY2(streamUrl.startsWith(QStringLiteral("wss://127.0.0.1:")), qPrintable(streamUrl));
        QVERIFY(json.value(QStringLiteral("session_url")).toString().startsWith(QStringLiteral("https://")));

        WsTestClient agent(QUrl(streamUrl + QStringLiteral("?role=agent&token=") + json.value(QStringLiteral("stream_token")).toString()),
                           m_trust);
        WsTestClient viewer(QUrl(streamUrl + QStringLiteral("?role=viewer&token=")
                                 + json.value(QStringLiteral("session_url")).toString().section(QStringLiteral("#t="), 1)),
                            m_trust);
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        agent.socket.sendBinaryMessage(QByteArray(100'000, 'z'));
        QVERIFY(viewer.waitForCount(3));
        QCOMPARE(viewer.messages.last().data, QByteArray(100'000, 'z'));
        viewer.socket.sendTextMessage(QStringLiteral(R"({"type":"encrypted"})"));
        QVERIFY(agent.waitForType(QStringLiteral("encrypted")) >= 0);
    }

    void plainHttpOnTheTlsPortIsRefusedQuietly()
    {
        RawConnection connection(m_server.port());
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(connection.waitClosed());
        QNetworkAccessManager manager;
        QNetworkReply* reply = send(manager, "GET", m_server.url(QStringLiteral("/healthz")));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
    }

    void untrustedClientsFailTheHandshake()
    {
        QNetworkAccessManager manager;
        QNetworkRequest request(m_server.url(QStringLiteral("/healthz")));
        QNetworkReply* reply = manager.get(request);
        QVERIFY(QTest::qWaitFor([reply] { return reply->isFinished(); }, 15'000));
        QCOMPARE(reply->error(), QNetworkReply::SslHandshakeFailedError);
        reply->deleteLater();
    }
};

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_Tls.moc"
