// `handoff-agent mcp` over stdio, driven as an MCP client would: initialize,
// tools/list with schemas, handoff_to_human against a real server and Chromium,
// handoff_status blocking with progress notifications until a scripted viewer
// resolves, and a client cancel that cancels the session on the server.

#include "tests/agent/McpTestClient.h"
#include "tests/agent/ScriptedViewer.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPageServer.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace handoff;
using handoff::test::ChromiumProcess;
using handoff::test::InputEvent;
using handoff::test::LinkParts;
using handoff::test::parseLink;
using handoff::test::ScriptedViewer;
using handoff::test::McpClient;
using handoff::test::TestPageServer;
using handoff::test::TestServer;

class TestMcpServer final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void lifecycleAndTools();
    void handOverResolvedWithProgress();
    void clientCancelCancelsSession();

private:
    bool startClient(McpClient& client);
    QJsonObject callToHuman(McpClient& client);

    QString m_program;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ChromiumProcess> m_chromium;
    TestPageServer m_pages;
};

void TestMcpServer::initTestCase()
{
    m_program = test::TestPaths::program(QStringLiteral("handoff-agent"));
    if (m_program.isEmpty()) {
        QSKIP("handoff-agent is not built");
    }
    QVERIFY(m_pages.listen());
    m_pages.setPage("/login", "<html><head><title>login</title></head><body><input type=password></body></html>");
    if (!ChromiumProcess::executable().isEmpty() && !TestServer::program().isEmpty()) {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_chromium = std::make_unique<ChromiumProcess>();
        QVERIFY2(m_chromium->start(m_pages.url(QStringLiteral("/login"))), qPrintable(m_chromium->errorString()));
    }
}

void TestMcpServer::cleanupTestCase()
{
    m_chromium.reset();
    m_server.reset();
}

bool TestMcpServer::startClient(McpClient& client)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MCP_PROGRESS_INTERVAL_MS"), QStringLiteral("200"));
    if (m_server) {
        env.insert(QStringLiteral("HANDOFF_SERVER"), m_server->baseUrl().toString());
        env.insert(QStringLiteral("HANDOFF_API_KEY"), QString::fromLatin1(m_server->apiKey()));
    }
    if (!client.start(m_program, env)) {
        return false;
    }
    const qint64 id = client.request(QStringLiteral("initialize"),
                                     QJsonObject{{QStringLiteral("protocolVersion"), QStringLiteral("2025-06-18")},
                                                 {QStringLiteral("capabilities"), QJsonObject{}},
                                                 {QStringLiteral("clientInfo"), QJsonObject{{QStringLiteral("name"), QStringLiteral("test")},
                                                                                            {QStringLiteral("version"), QStringLiteral("1")}}}});
    const QJsonObject answer = client.waitFor(id, 30000);
    client.send(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("method"), QStringLiteral("notifications/initialized")}});
    return answer.value(QLatin1String("result")).toObject().value(QLatin1String("protocolVersion")).toString()
        == QLatin1String("2025-06-18");
}

QJsonObject TestMcpServer::callToHuman(McpClient& client)
{
    const qint64 id = client.request(
        QStringLiteral("tools/call"),
        QJsonObject{{QStringLiteral("name"), QStringLiteral("handoff_to_human")},
                    {QStringLiteral("arguments"),
                     QJsonObject{{QStringLiteral("service"), QStringLiteral("MCP Bank")},
                                 {QStringLiteral("cdp_url"), m_chromium->httpEndpoint().toString()},
                                 {QStringLiteral("context"), QJsonObject{{QStringLiteral("blocker_type"), QStringLiteral("password")},
                                                                         {QStringLiteral("hint"), QStringLiteral("Sign in")}}}}}});
    return client.waitFor(id).value(QLatin1String("result")).toObject();
}

void TestMcpServer::lifecycleAndTools()
{
    McpClient client;
    QVERIFY(startClient(client));
    const qint64 id = client.request(QStringLiteral("tools/list"), {});
    const QJsonArray tools = client.waitFor(id).value(QLatin1String("result")).toObject().value(QLatin1String("tools")).toArray();
    QCOMPARE(tools.size(), 3);
    QStringList names;
    for (const QJsonValue& t : tools) {
        names << t.toObject().value(QLatin1String("name")).toString();
        QVERIFY(t.toObject().value(QLatin1String("inputSchema")).toObject().contains(QLatin1String("properties")));
        QVERIFY(t.toObject().value(QLatin1String("outputSchema")).toObject().contains(QLatin1String("properties")));
    }
    QCOMPARE(names, (QStringList{QStringLiteral("handoff_to_human"), QStringLiteral("handoff_status"),
                                 QStringLiteral("handoff_request_approval")}));
    const qint64 bad = client.request(QStringLiteral("no/such/method"), {});
    QCOMPARE(client.waitFor(bad).value(QLatin1String("error")).toObject().value(QLatin1String("code")).toInt(), -32601);
    const qint64 unknown = client.request(QStringLiteral("tools/call"),
                                          QJsonObject{{QStringLiteral("name"), QStringLiteral("handoff_status")},
                                                      {QStringLiteral("arguments"), QJsonObject{{QStringLiteral("session_id"), QStringLiteral("sess_nope")}}}});
    QVERIFY(client.waitFor(unknown).value(QLatin1String("result")).toObject().value(QLatin1String("isError")).toBool());
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
    QCOMPARE(client.process().exitCode(), 0);
}

void TestMcpServer::handOverResolvedWithProgress()
{
    if (!m_server || !m_chromium) {
        QSKIP("needs handoff-server and Chromium");
    }
    McpClient client;
    QVERIFY(startClient(client));
    const QJsonObject created = callToHuman(client);
    QVERIFY2(!created.value(QLatin1String("isError")).toBool(), QJsonDocument(created).toJson().constData());
    const QJsonObject structured = created.value(QLatin1String("structuredContent")).toObject();
    const QString sessionId = structured.value(QLatin1String("session_id")).toString();
    const QUrl link(structured.value(QLatin1String("session_url")).toString());
    QVERIFY(sessionId.startsWith(QStringLiteral("sess_")));
    QVERIFY(!created.value(QLatin1String("content")).toArray().isEmpty());

    const qint64 statusId = client.request(
        QStringLiteral("tools/call"),
        QJsonObject{{QStringLiteral("name"), QStringLiteral("handoff_status")},
                    {QStringLiteral("arguments"), QJsonObject{{QStringLiteral("session_id"), sessionId}}},
                    {QStringLiteral("_meta"), QJsonObject{{QStringLiteral("progressToken"), QStringLiteral("tok-1")}}}});
    const QDeadlineTimer progressDeadline(20000);
    while (client.notifications.isEmpty() && !progressDeadline.hasExpired()) {
        client.process().waitForReadyRead(100);
        client.pump();
    }
    QVERIFY(!client.notifications.isEmpty());
    QCOMPARE(client.notifications.first().value(QLatin1String("method")).toString(), QStringLiteral("notifications/progress"));
    QCOMPARE(client.notifications.first().value(QLatin1String("params")).toObject().value(QLatin1String("progressToken")).toString(),
             QStringLiteral("tok-1"));

    const LinkParts parts = parseLink(link);
    QCOMPARE(parts.sessionId, sessionId);
    ScriptedViewer viewer(parts.sessionId, parts.fingerprint, parts.secret);
    viewer.open(m_server->streamUrl(sessionId, QStringLiteral("viewer"), parts.token));
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isReady(), 20000);
    viewer.send(InputEvent::resolved());
    const QJsonObject done = client.waitFor(statusId).value(QLatin1String("result")).toObject();
    QCOMPARE(done.value(QLatin1String("structuredContent")).toObject().value(QLatin1String("status")).toString(),
             QStringLiteral("resolved"));
    QCOMPARE(m_server->session(sessionId).value(QLatin1String("status")).toString(), QStringLiteral("RESOLVED"));
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
}

void TestMcpServer::clientCancelCancelsSession()
{
    if (!m_server || !m_chromium) {
        QSKIP("needs handoff-server and Chromium");
    }
    McpClient client;
    QVERIFY(startClient(client));
    const QString sessionId =
        callToHuman(client).value(QLatin1String("structuredContent")).toObject().value(QLatin1String("session_id")).toString();
    QVERIFY(!sessionId.isEmpty());
    const qint64 statusId = client.request(
        QStringLiteral("tools/call"),
        QJsonObject{{QStringLiteral("name"), QStringLiteral("handoff_status")},
                    {QStringLiteral("arguments"), QJsonObject{{QStringLiteral("session_id"), sessionId}}}});
    QTest::qWait(300);
    client.send(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                            {QStringLiteral("method"), QStringLiteral("notifications/cancelled")},
                            {QStringLiteral("params"), QJsonObject{{QStringLiteral("requestId"), statusId},
                                                                   {QStringLiteral("reason"), QStringLiteral("user gave up")}}}});
    QTRY_COMPARE_WITH_TIMEOUT(m_server->session(sessionId).value(QLatin1String("status")).toString(), QStringLiteral("CANCELLED"), 15000);
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
}

QTEST_GUILESS_MAIN(TestMcpServer)
#include "tst_McpServer.moc"
