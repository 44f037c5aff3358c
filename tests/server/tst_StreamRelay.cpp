// PROTOCOL section 2 against a real handoff-server: roles and tokens with their
// close codes, every control message of the table, ordered forwarding with kinds,
// the version-1 caches, the one-viewer rule, the limits and ping/pong liveness.

#include "tests/server/RawHttp.h"
#include "tests/server/RelayTestSession.h"
#include "tests/server/WsTestClient.h"

#include <QJsonArray>
#include <QTest>

using namespace handoff::test;

namespace {

QString pubkey(char fill, int version = 2)
{
    const QByteArray key = QByteArray(1, '\x04') + QByteArray(64, fill);
    QJsonObject object{{QStringLiteral("type"), QStringLiteral("pubkey")}, {QStringLiteral("key"), QString::fromLatin1(key.toBase64())}};
    if (version == 2) {
        object.insert(QStringLiteral("v"), 2);
    }
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString text(const char* type, int n = 0)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("type"), QString::fromLatin1(type)}, {QStringLiteral("n"), n}})
                                 .toJson(QJsonDocument::Compact));
}

} // namespace

class tst_StreamRelay final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    HttpTestClient m_http;

    RelayTestSession newSession() { return RelayTestSession::create(m_http, m_server); }
    QString status(const RelayTestSession& session)
    {
        return m_http.get(m_server.url(QStringLiteral("/session/") + session.id), m_server.apiKey())
            .json()
            .value(QStringLiteral("status"))
            .toString();
    }
    qint64 metric(const QByteArray& sample) { return m_http.metric(m_server.url(QStringLiteral("/metrics")), sample); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start({ QStringLiteral("--ping-interval"), QStringLiteral("250ms"),
                                  QStringLiteral("--pong-timeout"), QStringLiteral("1s"),
                                  QStringLiteral("--viewer-key-timeout"), QStringLiteral("1s"),
                                  QStringLiteral("--resolve-grace"), QStringLiteral("2s") }),
                 qPrintable(m_server.errorString()));
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void controlMessagesOnConnectAndDisconnect()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        QVERIFY(agent.waitConnected());
        QTest::qWait(100);
        QVERIFY2(agent.messages.isEmpty(), qPrintable(agent.types().join(QLatin1Char(','))));
        QCOMPARE(status(session), QStringLiteral("PENDING"));

        auto viewer = std::make_unique<WsTestClient>(session.viewerUrl());
        QVERIFY(viewer->waitConnected());
        QVERIFY(viewer->waitForCount(2));
        QCOMPARE(viewer->types().mid(0, 2), (QStringList{QStringLiteral("session_info"), QStringLiteral("agent_connected")}));
        const QJsonObject info = viewer->messages.at(0).json();
        QCOMPARE(info.value(QStringLiteral("session_id")).toString(), session.id);
        QCOMPARE(info.value(QStringLiteral("service")).toString(), QStringLiteral("Relay Bank"));
        QCOMPARE(info.value(QStringLiteral("context")).toObject().value(QStringLiteral("blocker_type")).toString(), QStringLiteral("otp"));
        QVERIFY(QDateTime::fromString(info.value(QStringLiteral("expires_at")).toString(), Qt::ISODate).isValid());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        QCOMPARE(status(session), QStringLiteral("ACTIVE"));

        viewer->socket.close();
        QVERIFY(agent.waitForType(QStringLiteral("viewer_disconnected")) >= 0);
        QCOMPARE(status(session), QStringLiteral("ACTIVE")); // stays ACTIVE once a viewer came

        WsTestClient second(session.viewerUrl());
        QVERIFY(second.waitForType(QStringLiteral("agent_connected")) >= 0);
        agent.socket.close();
        QVERIFY(second.waitForType(QStringLiteral("agent_disconnected")) >= 0);
        QCOMPARE(second.types().first(), QStringLiteral("session_info"));
    }

    void viewerFirstThenAgent()
    {
        const RelayTestSession session = newSession();
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(viewer.waitForCount(1));
        QTest::qWait(100);
        QCOMPARE(viewer.types(), QStringList{QStringLiteral("session_info")});
        WsTestClient agent(session.agentUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        QVERIFY(viewer.waitForType(QStringLiteral("agent_connected")) >= 0);
    }

    void forwardsEverythingInOrderWithItsKind()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        QVERIFY(viewer.waitForType(QStringLiteral("agent_connected")) >= 0);
        const qsizetype agentBase = agent.messages.size();
        const qsizetype viewerBase = viewer.messages.size();

        QList<WsTestClient::Message> sent;
        for (int i = 0; i < 60; ++i) {
            switch (i % 4) {
            case 0: sent.append({false, text("custom", i), {}}); break;
            case 1: sent.append({true, {}, QByteArray(1 + i * 100, char(i))}); break;
            case 2: sent.append({false, QStringLiteral("not json at all %1 \u00e9\u2603").arg(i), {}}); break;
            case 3: sent.append({true, {}, QByteArray("\x02\x01") + QByteArray::number(i)}); break; // a v2 input-kind record
            }
        }
        sent.append({false, QString(), {}}); // an empty text
        sent.append({true, {}, QByteArray()}); // an empty binary
        for (const auto& message : std::as_const(sent)) {
            if (message.binary) {
                agent.socket.sendBinaryMessage(message.data);
            } else {
                agent.socket.sendTextMessage(message.text);
            }
        }
        QVERIFY(viewer.waitForCount(viewerBase + sent.size()));
        for (qsizetype i = 0; i < sent.size(); ++i) {
            const auto& got = viewer.messages.at(viewerBase + i);
            QCOMPARE(got.binary, sent.at(i).binary);
            QCOMPARE(got.text, sent.at(i).text);
            QCOMPARE(got.data, sent.at(i).data);
        }
        for (const auto& message : std::as_const(sent)) {
            if (message.binary) {
                viewer.socket.sendBinaryMessage(message.data);
            } else {
                viewer.socket.sendTextMessage(message.text);
            }
        }
        QVERIFY(agent.waitForCount(agentBase + sent.size()));
        for (qsizetype i = 0; i < sent.size(); ++i) {
            QCOMPARE(agent.messages.at(agentBase + i).binary, sent.at(i).binary);
            QCOMPARE(agent.messages.at(agentBase + i).text, sent.at(i).text);
            QCOMPARE(agent.messages.at(agentBase + i).data, sent.at(i).data);
        }
        // Nothing is echoed to its sender.
        QTest::qWait(200);
        QCOMPARE(agent.messages.size(), agentBase + sent.size());
        QCOMPARE(viewer.messages.size(), viewerBase + sent.size());
    }

    void version1CachesForLateViewers()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        QVERIFY(agent.waitConnected());
        const QString firstKey = pubkey('a', 1);
        const QString latestKey = pubkey('b', 1);
        const QString meta1 = QStringLiteral(R"({"type":"frame","deviceWidth":800,"deviceHeight":600,"offsetTop":0,"pageScaleFactor":1,"scrollOffsetX":0,"scrollOffsetY":0,"jpegSize":3})");
        const QString meta2 = QStringLiteral(R"({"type":"frame","deviceWidth":800,"deviceHeight":600,"offsetTop":0,"pageScaleFactor":1,"scrollOffsetX":0,"scrollOffsetY":10,"jpegSize":4})");
        agent.socket.sendTextMessage(firstKey);
        agent.socket.sendTextMessage(meta1);
        agent.socket.sendBinaryMessage(QByteArray("\xff\xd8\x01", 3));
        agent.socket.sendTextMessage(latestKey);
        agent.socket.sendTextMessage(meta2);
        agent.socket.sendBinaryMessage(QByteArray("\xff\xd8\x02\x02", 4));
        QTest::qWait(200);

        WsTestClient viewer(session.viewerUrl());
        QVERIFY(viewer.waitForCount(5));
        QCOMPARE(viewer.types().mid(0, 4), (QStringList{QStringLiteral("session_info"), QStringLiteral("agent_connected"),
                                                        QStringLiteral("pubkey"), QStringLiteral("frame")}));
        QCOMPARE(viewer.messages.at(2).text, latestKey);
        QCOMPARE(viewer.messages.at(3).text, meta2);
        QVERIFY(viewer.messages.at(4).binary);
        QCOMPARE(viewer.messages.at(4).data, QByteArray("\xff\xd8\x02\x02", 4));
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);

        // The viewer's answer reaches the agent; then the agent's next frame reaches the viewer.
        viewer.socket.sendTextMessage(pubkey('c', 1));
        QVERIFY(agent.waitForType(QStringLiteral("pubkey")) >= 0);
        agent.socket.sendTextMessage(meta1);
        agent.socket.sendBinaryMessage(QByteArray("\xff\xd8\x03", 3));
        QVERIFY(viewer.waitForCount(7));
        QCOMPARE(viewer.messages.at(5).text, meta1);
        QCOMPARE(viewer.messages.at(6).data, QByteArray("\xff\xd8\x03", 3));

        // A new agent connection starts with empty caches.
        agent.socket.close();
        QVERIFY(viewer.waitForType(QStringLiteral("agent_disconnected")) >= 0);
        viewer.socket.close();
        QVERIFY(viewer.waitClosed());
        WsTestClient agent2(session.agentUrl());
        QVERIFY(agent2.waitConnected());
        WsTestClient viewer2(session.viewerUrl());
        QVERIFY(viewer2.waitForType(QStringLiteral("agent_connected")) >= 0);
        QTest::qWait(200);
        QCOMPARE(viewer2.types(), (QStringList{QStringLiteral("session_info"), QStringLiteral("agent_connected")}));
    }

    void refusedConnectionsAndTheirCloseCodes_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("code");
        QTest::newRow("wrong agent token") << QStringLiteral("role=agent&token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") << 4401;
        QTest::newRow("wrong viewer token") << QStringLiteral("role=viewer&token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") << 4401;
        QTest::newRow("viewer token as agent") << QStringLiteral("viewer-as-agent") << 4401;
        QTest::newRow("agent token as viewer") << QStringLiteral("agent-as-viewer") << 4401;
        QTest::newRow("no token") << QStringLiteral("role=agent") << 4401;
        QTest::newRow("empty token") << QStringLiteral("role=viewer&token=") << 4401;
        QTest::newRow("unknown role") << QStringLiteral("role=admin&token=x") << 4404;
        QTest::newRow("no role") << QStringLiteral("token=x") << 4404;
        QTest::newRow("unknown session") << QStringLiteral("unknown-session") << 4404;
        QTest::newRow("malformed session id") << QStringLiteral("malformed-session") << 4404;
    }

    void refusedConnectionsAndTheirCloseCodes()
    {
        QFETCH(QString, what);
        QFETCH(int, code);
        const RelayTestSession session = newSession();
        WsTestClient bystanderAgent(session.agentUrl());
        QVERIFY(bystanderAgent.waitConnected());
        QUrl url = session.url(what);
        if (what == QLatin1String("viewer-as-agent")) {
            url = session.url(QStringLiteral("role=agent&token=") + session.viewerToken);
        } else if (what == QLatin1String("agent-as-viewer")) {
            url = session.url(QStringLiteral("role=viewer&token=") + session.streamToken);
        } else if (what == QLatin1String("unknown-session")) {
            url = m_server.streamUrl(QStringLiteral("sess_0000000000000000000000"), QStringLiteral("agent"), session.streamToken);
        } else if (what == QLatin1String("malformed-session")) {
            url = m_server.streamUrl(QStringLiteral("x"), QStringLiteral("agent"), session.streamToken);
        }
        WsTestClient client(url);
        QVERIFY(client.waitClosed());
        QCOMPARE(client.closeCode, code);
        QVERIFY(!client.closeReason.isEmpty());
        // The session and its agent are untouched.
        QVERIFY(bystanderAgent.socket.isValid());
        QCOMPARE(status(session), QStringLiteral("PENDING"));
    }

    void secondAgentIs4409()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        QVERIFY(agent.waitConnected());
        WsTestClient second(session.agentUrl());
        QVERIFY(second.waitClosed());
        QCOMPARE(second.closeCode, 4409);
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        agent.socket.sendTextMessage(text("still-here"));
        QVERIFY(viewer.waitForType(QStringLiteral("still-here")) >= 0);
    }

    void terminalSessionIs4410()
    {
        const RelayTestSession session = newSession();
        QCOMPARE(m_http.del(m_server.url(QStringLiteral("/session/") + session.id), m_server.apiKey()).status, 200);
        for (const QUrl& url : {session.agentUrl(), session.viewerUrl()}) {
            WsTestClient client(url);
            QVERIFY(client.waitClosed());
            QCOMPARE(client.closeCode, 4410);
        }
    }

    void endingsReachBothThenClose_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("agentClosesItself");
        QTest::newRow("cancel") << QByteArray("DELETE") << QString() << QStringLiteral("session_cancelled") << false;
        QTest::newRow("resolve") << QByteArray("POST") << QStringLiteral("/resolve")
                                 << QStringLiteral("session_resolved") << true;
    }

    void endingsReachBothThenClose()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, suffix);
        QFETCH(QString, message);
        QFETCH(bool, agentClosesItself);
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        QCOMPARE(m_http.send(method, m_server.url(QStringLiteral("/session/") + session.id + suffix), m_server.apiKey()).status, 200);
        QVERIFY(viewer.waitClosed());
        QCOMPARE(viewer.messages.last().type(), message);
        QCOMPARE(viewer.closeCode, 4410);
        if (!agentClosesItself) {
            QVERIFY(agent.waitClosed());
            QCOMPARE(agent.messages.last().type(), message);
            QCOMPARE(agent.closeCode, 4410);
            return;
        }
        // After a resolve the agent hears it, and its socket is left for it to
        // close: an AuthLoop agent that saw it close before its POST /resolve
        // answered would call the session failed.
        QVERIFY(agent.waitForType(message) >= 0);
        QCOMPARE(agent.messages.last().type(), message);
        QTest::qWait(500); // well inside the 2 s grace
        QVERIFY2(!agent.disconnected, qPrintable(QStringLiteral("closed with %1").arg(agent.closeCode)));
        // Nothing it sends now goes anywhere, and nothing changes the outcome.
        agent.socket.sendTextMessage(text("late"));
        agent.socket.close();
        QVERIFY(agent.waitClosed());
        QCOMPARE(agent.closeCode, int(QWebSocketProtocol::CloseCodeNormal));
        QCOMPARE(status(session), QStringLiteral("RESOLVED"));
        WsTestClient again(session.agentUrl());
        QVERIFY(again.waitClosed());
        QCOMPARE(again.closeCode, 4410);
    }

    void resolvedAgentThatStaysIsClosedAfterTheGrace()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        QCOMPARE(m_http
                     .send("POST", m_server.url(QStringLiteral("/session/") + session.id + QStringLiteral("/resolve")),
                           m_server.apiKey())
                     .status,
                 200);
        QVERIFY(viewer.waitClosed());
        QCOMPARE(viewer.closeCode, 4410);
        QVERIFY(agent.waitForType(QStringLiteral("session_resolved")) >= 0);
        // The agent never closes: the relay does, once the grace period is over.
        QVERIFY(agent.waitClosed(15'000));
        QCOMPARE(agent.closeCode, 4410);
        QCOMPARE(agent.messages.last().type(), QStringLiteral("session_resolved"));
    }

    void oneViewerRule()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        WsTestClient first(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        first.socket.sendTextMessage(pubkey('1'));
        QVERIFY(agent.waitForType(QStringLiteral("pubkey")) >= 0);

        // A different key: refused, and the first viewer carries on.
        WsTestClient intruder(session.viewerUrl());
        QVERIFY(intruder.waitForType(QStringLiteral("session_info")) >= 0);
        intruder.socket.sendBinaryMessage(QByteArray("\x02\x01 not before the key"));
        QVERIFY(intruder.waitForType(QStringLiteral("error")) >= 0);
        QCOMPARE(intruder.messages.last().json().value(QStringLiteral("code")).toString(), QStringLiteral("viewer_key_required"));
        intruder.socket.sendTextMessage(pubkey('2'));
        QVERIFY(intruder.waitClosed());
        QCOMPARE(intruder.closeCode, 4409);
        QVERIFY(intruder.indexOfType(QStringLiteral("agent_connected")) < 0); // never seated
        const qsizetype agentCount = agent.messages.size();
        first.socket.sendTextMessage(text("from-first"));
        QVERIFY(agent.waitForType(QStringLiteral("from-first")) >= 0);
        QCOMPARE(agent.messages.size(), agentCount + 1); // the intruder's messages never arrived

        // A viewer that never shows its key is dropped.
        WsTestClient silent(session.viewerUrl());
        QVERIFY(silent.waitClosed(5000));
        QCOMPARE(silent.closeCode, 4409);

        // The same key again (a reconnect) takes the seat; the older connection goes.
        WsTestClient again(session.viewerUrl());
        QVERIFY(again.waitForType(QStringLiteral("session_info")) >= 0);
        again.socket.sendTextMessage(pubkey('1'));
        QVERIFY(again.waitForType(QStringLiteral("agent_connected")) >= 0);
        QVERIFY(first.waitClosed());
        QCOMPARE(first.closeCode, 4409);
        agent.socket.sendTextMessage(text("to-reconnected"));
        QVERIFY(again.waitForType(QStringLiteral("to-reconnected")) >= 0);
        again.socket.sendTextMessage(text("from-reconnected"));
        QVERIFY(agent.waitForType(QStringLiteral("from-reconnected")) >= 0);
        QVERIFY(agent.indexOfType(QStringLiteral("viewer_disconnected")) >= 0);
    }

    void version1ViewersReplaceEachOther()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        WsTestClient first(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        first.socket.sendTextMessage(pubkey('1', 1)); // version 1 pins nothing
        WsTestClient second(session.viewerUrl());
        QVERIFY(second.waitForType(QStringLiteral("agent_connected")) >= 0);
        QVERIFY(first.waitClosed());
        QCOMPARE(first.closeCode, 4409);
        agent.socket.sendTextMessage(text("hello"));
        QVERIFY(second.waitForType(QStringLiteral("hello")) >= 0);
    }

    void textOver64KiBCloses()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        const QString atLimit = QStringLiteral("\"") + QString(64 * 1024 - 2, QLatin1Char('a')) + QStringLiteral("\"");
        agent.socket.sendTextMessage(atLimit);
        QVERIFY(viewer.waitForCount(3));
        QCOMPARE(viewer.messages.last().text.size(), 64 * 1024);

        viewer.socket.sendTextMessage(QString(64 * 1024 + 1, QLatin1Char('b')));
        QVERIFY(viewer.waitClosed());
        QCOMPARE(viewer.closeCode, 1009);
        const qsizetype error = viewer.indexOfType(QStringLiteral("error"));
        QVERIFY(error >= 0);
        QCOMPARE(viewer.messages.at(error).json().value(QStringLiteral("code")).toString(), QStringLiteral("message_too_large"));
        QVERIFY(agent.waitForType(QStringLiteral("viewer_disconnected")) >= 0);
        for (const auto& message : std::as_const(agent.messages)) {
            QVERIFY(message.text.size() < 64 * 1024);
        }
        // Multi-byte characters count in bytes: 22,000 three-byte characters are 66,000 bytes.
        WsTestClient viewer2(session.viewerUrl());
        QVERIFY(viewer2.waitForType(QStringLiteral("agent_connected")) >= 0);
        viewer2.socket.sendTextMessage(QString(22'000, QChar(0x2603)));
        QVERIFY(viewer2.waitClosed());
        QCOMPARE(viewer2.closeCode, 1009);
        QVERIFY(metric(R"(handoff_dropped_messages_total{reason="too_large"})") >= 2);
    }

    void binaryOver4MiBCloses()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        const qsizetype before = viewer.messages.size();
        agent.socket.sendBinaryMessage(QByteArray(4 * 1024 * 1024, 'x'));
        QVERIFY(viewer.waitForCount(before + 1, 20'000));
        QCOMPARE(viewer.messages.last().data.size(), 4 * 1024 * 1024);
        agent.socket.sendBinaryMessage(QByteArray(4 * 1024 * 1024 + 1, 'y'));
        QVERIFY(agent.waitClosed(20'000));
        QCOMPARE(agent.closeCode, 1009);
        QVERIFY(viewer.waitForType(QStringLiteral("agent_disconnected")) >= 0);
        QCOMPARE(viewer.messages.size(), before + 2); // the oversized one never arrived
    }

    void viewerFloodCloses4429()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        auto viewer = std::make_unique<WsTestClient>(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        // Within the limit: 150 messages in a burst pass.
        for (int i = 0; i < 150; ++i) {
            viewer->socket.sendTextMessage(text("ok", i));
        }
        QVERIFY(agent.waitForCount(1 + 150));
        QTest::qWait(1100); // the allowance refills
        for (int i = 0; i < 400; ++i) {
            viewer->socket.sendTextMessage(text("flood", i));
        }
        QVERIFY(viewer->waitClosed());
        QCOMPARE(viewer->closeCode, 4429);
        const qsizetype error = viewer->indexOfType(QStringLiteral("error"));
        QVERIFY(error >= 0);
        QCOMPARE(viewer->messages.at(error).json().value(QStringLiteral("code")).toString(), QStringLiteral("rate_limited"));
        QVERIFY(agent.waitForType(QStringLiteral("viewer_disconnected")) >= 0);
        int flooded = 0;
        for (const auto& message : std::as_const(agent.messages)) {
            flooded += message.type() == QLatin1String("flood") ? 1 : 0;
        }
        // About one second's allowance got through (plus what refilled while the
        // server read the flood on a busy machine), never the whole flood.
        QVERIFY2(flooded >= 150 && flooded < 400, qPrintable(QString::number(flooded)));
        // The agent and the session survive; the viewer may come back.
        WsTestClient back(session.viewerUrl());
        QVERIFY(back.waitForType(QStringLiteral("agent_connected")) >= 0);
        back.socket.sendTextMessage(text("calm"));
        QVERIFY(agent.waitForType(QStringLiteral("calm")) >= 0);
        QVERIFY(metric(R"(handoff_dropped_messages_total{reason="rate_limited"})") >= 1);
    }

    void silentSocketIsDropped()
    {
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        QVERIFY(agent.waitConnected());
        // A raw client that completes the handshake, then never answers a ping.
        RawConnection silent(m_server.port());
        QVERIFY(silent.upgrade(QStringLiteral("/stream/") + session.id + QStringLiteral("?role=viewer&token=") + session.viewerToken));
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        QVERIFY(silent.waitClosed(5000));
        QVERIFY(agent.waitForType(QStringLiteral("viewer_disconnected")) >= 0);
        bool pinged = false;
        for (const auto& frame : silent.takeFrames()) {
            pinged = pinged || frame.opcode == 0x9;
        }
        QVERIFY(pinged);
        // The agent, which answers pings, is still there after the same time.
        QTest::qWait(1200);
        QVERIFY(!agent.disconnected);
    }

    void openSocketsAreCounted()
    {
        // The agents of the tests before have all gone, but the server counts a close a
        // moment after it: under load, one read at once could still include one of them.
        QTRY_COMPARE_WITH_TIMEOUT(metric(R"(handoff_open_sockets{role="agent"})"), 0, 15'000);
        const qint64 agentsBefore = 0;
        const RelayTestSession session = newSession();
        WsTestClient agent(session.agentUrl());
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        QCOMPARE(metric(R"(handoff_open_sockets{role="agent"})"), agentsBefore + 1);
        QVERIFY(metric(R"(handoff_open_sockets{role="viewer"})") >= 1);
        QVERIFY(metric(R"(handoff_relayed_messages_total{direction="agent_to_viewer"})") > 0);
    }
};

QTEST_GUILESS_MAIN(tst_StreamRelay)
#include "tst_StreamRelay.moc"
