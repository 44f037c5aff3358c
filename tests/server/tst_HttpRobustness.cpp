// The HTTP layer against hand-written requests: keep-alive, pipelining, bounded
// heads and bodies, slow clients, garbage. Each gets its status and none disturbs
// a session that was there before.

#include "tests/server/HttpTestClient.h"
#include "tests/server/RawHttp.h"
#include "tests/support/TestServer.h"

#include <QTest>

using namespace handoff::test;

class tst_HttpRobustness final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    HttpTestClient m_http;
    QString m_bystander;

    QByteArray get(const QByteArray& path, const QByteArray& extra = {}) const
    {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start({QStringLiteral("--request-timeout"), QStringLiteral("700ms"), QStringLiteral("--idle-timeout"),
                                 QStringLiteral("1s")}),
                 qPrintable(m_server.errorString()));
        const HttpResult created = m_http.post(m_server.url(QStringLiteral("/session")), m_server.apiKey(), R"({"service":"Bystander"})");
        QCOMPARE(created.status, 201);
        m_bystander = created.json().value(QStringLiteral("session_id")).toString();
    }

    void cleanup()
    {
        // Whatever the test threw at the server, the earlier session is intact.
        const HttpResult result = m_http.get(m_server.url(QStringLiteral("/session/") + m_bystander), m_server.apiKey());
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json().value(QStringLiteral("status")).toString(), QStringLiteral("PENDING"));
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void keepAliveServesSeveralRequests()
    {
        RawConnection connection(m_server.port());
        for (int i = 0; i < 3; ++i) {
            connection.send(get("/healthz"));
            QVERIFY(connection.readResponse());
            const QByteArray response = connection.takeResponse();
            QCOMPARE(RawConnection::statusOf(response), 200);
            QVERIFY(response.contains("Connection: keep-alive"));
        }
        QVERIFY(connection.isOpen());
    }

    void pipelinedRequestsAnswerInOrder()
    {
        RawConnection connection(m_server.port());
        connection.send(get("/healthz") + get("/nope") + get("/healthz", "Connection: close\r\n"));
        QList<int> statuses;
        for (int i = 0; i < 3; ++i) {
            QVERIFY(connection.readResponse());
            statuses.append(RawConnection::statusOf(connection.takeResponse()));
        }
        QCOMPARE(statuses, (QList<int>{200, 404, 200}));
        QVERIFY(connection.waitClosed());
    }

    void headIsGetWithoutBody()
    {
        RawConnection connection(m_server.port());
        connection.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(connection.readUntil([](const QByteArray& data) { return data.contains("\r\n\r\n"); }));
        QTest::qWait(100);
        connection.buffer += connection.socket.readAll();
        QVERIFY(connection.buffer.startsWith("HTTP/1.1 200"));
        QVERIFY(connection.buffer.endsWith("\r\n\r\n")); // no body follows
    }

    void slowClientTimesOutWith408()
    {
        RawConnection connection(m_server.port());
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        QTest::qWait(300);
        connection.send("a");
        QVERIFY(connection.readResponse(5000));
        QCOMPARE(RawConnection::statusOf(connection.takeResponse()), 408);
        QVERIFY(connection.waitClosed());
    }

    void idleConnectionIsClosed()
    {
        RawConnection connection(m_server.port());
        QVERIFY(connection.isOpen());
        QVERIFY(connection.waitClosed(5000));
        QVERIFY(connection.buffer.isEmpty());
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("\x01\x02\x03 hello\r\n\r\n") << 400;
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << 400;
        QTest::newRow("head too large") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(17 * 1024, 'a') + "\r\n\r\n") << 431;
        QTest::newRow("body too large") << QByteArray("POST /session HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n") << 413;
        QTest::newRow("chunked") << QByteArray("POST /session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n") << 411;
        QTest::newRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 400;
        QTest::newRow("no host") << QByteArray("GET /healthz HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("websocket version 8") << QByteArray("GET /stream/sess_0000000000000000000000 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                           "Sec-WebSocket-Version: 8\r\n\r\n") << 426;
        QTest::newRow("websocket without key") << QByteArray("GET /stream/sess_0000000000000000000000 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                                             "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n") << 400;
        QTest::newRow("websocket on a non-stream path") << QByteArray("GET /healthz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                                                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                                      "Sec-WebSocket-Version: 13\r\n\r\n") << 200;
    }

    void refusals()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        RawConnection connection(m_server.port());
        connection.send(request);
        QVERIFY(connection.readResponse());
        const QByteArray response = connection.takeResponse();
        QCOMPARE(RawConnection::statusOf(response), status);
        if (status >= 400 && response.contains("application/json")) {
            const QJsonObject json = QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
            QVERIFY(!json.value(QStringLiteral("error")).toString().isEmpty());
            QVERIFY(!json.value(QStringLiteral("message")).toString().isEmpty());
        }
    }

    void expectContinue()
    {
        RawConnection connection(m_server.port());
        const QByteArray body = R"({"service":"Continued"})";
        connection.send("POST /session HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_server.apiKey()
                        + "\r\nExpect: 100-continue\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n");
        QVERIFY(connection.readUntil([](const QByteArray& data) { return data.contains("100 Continue\r\n\r\n"); }));
        connection.buffer.remove(0, connection.buffer.indexOf("\r\n\r\n") + 4);
        connection.send(body);
        QVERIFY(connection.readResponse());
        QCOMPARE(RawConnection::statusOf(connection.takeResponse()), 201);
    }

    void bodyArrivingInPieces()
    {
        RawConnection connection(m_server.port());
        const QByteArray body = R"({"service":"Piecemeal","ttl":60})";
        connection.send("POST /session HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_server.apiKey()
                        + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n");
        for (const char c : body) {
            connection.send(QByteArray(1, c));
        }
        QVERIFY(connection.readResponse());
        QCOMPARE(RawConnection::statusOf(connection.takeResponse()), 201);
    }

    void manyConnectionsAtOnce()
    {
        std::vector<std::unique_ptr<RawConnection>> connections;
        for (int i = 0; i < 50; ++i) {
            connections.push_back(std::make_unique<RawConnection>(m_server.port()));
            connections.back()->send(get("/healthz"));
        }
        for (auto& connection : connections) {
            QVERIFY(connection->readResponse());
            QCOMPARE(RawConnection::statusOf(connection->takeResponse()), 200);
        }
    }
};

QTEST_GUILESS_MAIN(tst_HttpRobustness)
#include "tst_HttpRobustness.moc"
