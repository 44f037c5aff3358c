// Session TTLs enforced by the server's own timer, with or without anyone
// connected, and a restart: keys and sessions persist, expiry timers are re-armed,
// and the agent and viewer of a live session reconnect and carry on.

#include "tests/server/RelayTestSession.h"
#include "tests/server/WsTestClient.h"

#include <QRegularExpression>
#include <QTest>

using namespace handoff::test;

namespace {

QString pubkey(char fill)
{
    const QByteArray key = QByteArray(1, '\x04') + QByteArray(64, fill);
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("pubkey")},
                                                       {QStringLiteral("key"), QString::fromLatin1(key.toBase64())},
                                                       {QStringLiteral("v"), 2}})
                                 .toJson(QJsonDocument::Compact));
}

} // namespace

class tst_ExpiryAndRestart final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    HttpTestClient m_http;

    qint64 metric(const QByteArray& sample) { return m_http.metric(m_server.url(QStringLiteral("/metrics")), sample); }
    HttpResult get(const RelayTestSession& session)
    {
        return m_http.get(m_server.url(QStringLiteral("/session/") + session.id), m_server.apiKey());
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY2(m_server.start({QStringLiteral("--min-ttl"), QStringLiteral("1")}), qPrintable(m_server.errorString()));
    }

    void cleanup() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void expiresWithNobodyConnected()
    {
        const RelayTestSession session = RelayTestSession::create(m_http, m_server, R"({"service":"Short","ttl":1})");
        QVERIFY(session.isValid());
        QCOMPARE(metric(R"(handoff_sessions{status="TIMEOUT"})"), 0);
        // Nobody asks about the session: only the server's timer can end it.
        QVERIFY(QTest::qWaitFor([&] { return metric(R"(handoff_sessions{status="TIMEOUT"})") == 1; }, 5000));
        QCOMPARE(metric(R"(handoff_sessions{status="PENDING"})"), 0);
        const HttpResult result = get(session);
        QCOMPARE(result.status, 410);
        QCOMPARE(result.errorCode(), QStringLiteral("expired"));
        WsTestClient late(session.agentUrl());
        QVERIFY(late.waitClosed());
        QCOMPARE(late.closeCode, 4410);
    }

    void expiryReachesConnectedSocketsOnTime()
    {
        const HttpResult created = m_http.post(m_server.url(QStringLiteral("/session")), m_server.apiKey(), R"({"service":"Two","ttl":2})");
        QCOMPARE(created.status, 201);
        const QDateTime expiresAt = QDateTime::fromString(created.json().value(QStringLiteral("expires_at")).toString(), Qt::ISODate);
        const RelayTestSession session{created.json().value(QStringLiteral("session_id")).toString(),
                                       created.json().value(QStringLiteral("stream_token")).toString(),
                                       created.json().value(QStringLiteral("session_url")).toString().section(QStringLiteral("#t="), 1),
                                       created.json().value(QStringLiteral("stream_url")).toString()};
        WsTestClient agent(session.agentUrl());
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        for (WsTestClient* client : {&agent, &viewer}) {
            QVERIFY(client->waitClosed(6000));
            QCOMPARE(client->messages.last().type(), QStringLiteral("session_expired"));
            QCOMPARE(client->closeCode, 4410);
        }
        QVERIFY(QDateTime::currentDateTimeUtc() >= expiresAt);
        QCOMPARE(get(session).status, 410);
    }

    void restartKeepsKeysAndSessionsAndLetsPeersReconnect()
    {
        // Before: a live session with a pinned viewer key, an ended one, a short one, an extra key.
        QString output;
        QCOMPARE(m_server.runKeys({QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("second")}, &output), 0);
        const QByteArray secondKey = QRegularExpression(QStringLiteral(R"((hk_\w+))")).match(output).captured(1).toLatin1();
        const RelayTestSession live = RelayTestSession::create(m_http, m_server);
        const RelayTestSession ended = RelayTestSession::create(m_http, m_server);
        const RelayTestSession shortLived = RelayTestSession::create(m_http, m_server, R"({"service":"Short","ttl":3})");
        QCOMPARE(m_http.del(m_server.url(QStringLiteral("/session/") + ended.id), m_server.apiKey()).status, 200);
        {
            WsTestClient agent(live.agentUrl());
            WsTestClient viewer(live.viewerUrl());
            QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
            viewer.socket.sendTextMessage(pubkey('v'));
            QVERIFY(agent.waitForType(QStringLiteral("pubkey")) >= 0);

            QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); // SIGTERM: a clean exit
            QVERIFY(agent.waitClosed());
            QVERIFY(viewer.waitClosed());
            QCOMPARE(agent.closeCode, 1001);
        }
        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
        QVERIFY(!m_server.output().contains(QStringLiteral("First start"))); // no new key

        QCOMPARE(get(live).json().value(QStringLiteral("status")).toString(), QStringLiteral("ACTIVE"));
        QCOMPARE(get(ended).json().value(QStringLiteral("status")).toString(), QStringLiteral("CANCELLED"));
        QCOMPARE(m_http.post(m_server.url(QStringLiteral("/session")), secondKey, R"({"service":"x"})").status, 201);

        // The agent and the viewer (same key) reconnect with their tokens and carry on.
        WsTestClient agent(live.agentUrl());
        QVERIFY(agent.waitConnected());
        WsTestClient intruder(live.viewerUrl());
        QVERIFY(intruder.waitForType(QStringLiteral("session_info")) >= 0);
        intruder.socket.sendTextMessage(pubkey('x'));
        QVERIFY(intruder.waitClosed());
        QCOMPARE(intruder.closeCode, 4409); // the pinned key survived the restart
        WsTestClient viewer(live.viewerUrl());
        QVERIFY(viewer.waitForType(QStringLiteral("session_info")) >= 0);
        viewer.socket.sendTextMessage(pubkey('v'));
        QVERIFY(viewer.waitForType(QStringLiteral("agent_connected")) >= 0);
        QVERIFY(agent.waitForType(QStringLiteral("pubkey")) >= 0);
        agent.socket.sendBinaryMessage(QByteArray("\x02\x03record", 8));
        QVERIFY(viewer.waitForCount(3));
        QCOMPARE(viewer.messages.last().data, QByteArray("\x02\x03record", 8));
        viewer.socket.sendBinaryMessage(QByteArray("\x02\x01input", 7));
        QVERIFY(QTest::qWaitFor([&] { return !agent.messages.isEmpty() && agent.messages.last().data == QByteArray("\x02\x01input", 7); }, 5000));

        // The short session's expiry was re-armed from the database: it times out with nobody asking.
        QVERIFY(QTest::qWaitFor([&] { return metric(R"(handoff_sessions{status="TIMEOUT"})") == 1; }, 6000));
        QCOMPARE(get(shortLived).status, 410);
    }

    void sessionsThatExpiredWhileDownAreTimedOutOnStart()
    {
        const RelayTestSession session = RelayTestSession::create(m_http, m_server, R"({"service":"Short","ttl":1})");
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        QTest::qWait(1500);
        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
        QCOMPARE(metric(R"(handoff_sessions{status="TIMEOUT"})"), 1);
        QCOMPARE(get(session).status, 410);
    }
};

QTEST_GUILESS_MAIN(tst_ExpiryAndRestart)
#include "tst_ExpiryAndRestart.moc"
