// The MCP server driven by the official MCP TypeScript SDK client
// (tests/interop/mcp-client.mjs): list tools, call handoff_to_human, resolve
// through a scripted viewer, handoff_status returns resolved with progress
// notifications seen; a client cancel (AbortController) cancels the session.

#include "tests/agent/ScriptedViewer.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPageServer.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QDir>
#include <QFileInfo>
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
using handoff::test::TestPageServer;
using handoff::test::TestServer;

class TestMcpSdkInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sdkClient();
};

void TestMcpSdkInterop::sdkClient()
{
    const QString agent = test::TestPaths::program(QStringLiteral("handoff-agent"));
    const QString node = test::TestPaths::nodeExecutable();
    const QString sdk = QDir(test::TestPaths::interopDir()).filePath(QStringLiteral("node_modules/@modelcontextprotocol/sdk"));
    if (agent.isEmpty() || node.isEmpty() || !QFileInfo::exists(sdk) || ChromiumProcess::executable().isEmpty()
        || TestServer::program().isEmpty()) {
        QSKIP("needs handoff-agent, handoff-server, Chromium, node and the MCP SDK in tests/interop/node_modules");
    }
    TestPageServer pages;
    QVERIFY(pages.listen());
    pages.setPage("/login", "<html><head><title>login</title></head><body><input type=password></body></html>");
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChromiumProcess chromium;
    QVERIFY2(chromium.start(pages.url(QStringLiteral("/login"))), qPrintable(chromium.errorString()));

    QProcess client;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HANDOFF_SERVER"), server.baseUrl().toString());
    env.insert(QStringLiteral("HANDOFF_API_KEY"), QString::fromLatin1(server.apiKey()));
    client.setProcessEnvironment(env);
    client.setWorkingDirectory(test::TestPaths::interopDir());
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    client.start(node, {QStringLiteral("mcp-client.mjs"), agent, chromium.httpEndpoint().toString()});
    QVERIFY(client.waitForStarted());

    std::unique_ptr<ScriptedViewer> viewer;
    QString secondSession;
    bool sawTools = false;
    bool sawStatus = false;
    bool sawCancelled = false;
    const QDeadlineTimer deadline(120000);
    while (!deadline.hasExpired() && client.state() != QProcess::NotRunning) {
        client.waitForReadyRead(50);
        QCoreApplication::processEvents();
        while (client.canReadLine()) {
            const QJsonObject e = QJsonDocument::fromJson(client.readLine()).object();
            const QString event = e.value(QLatin1String("event")).toString();
            if (event == QLatin1String("tools")) {
                QCOMPARE(e.value(QLatin1String("names")).toArray(),
                         (QJsonArray{QStringLiteral("handoff_to_human"), QStringLiteral("handoff_status"),
                                     QStringLiteral("handoff_request_approval")}));
                sawTools = true;
            } else if (event == QLatin1String("link")) {
                const LinkParts parts = parseLink(QUrl(e.value(QLatin1String("session_url")).toString()));
                QCOMPARE(parts.sessionId, e.value(QLatin1String("session_id")).toString());
                viewer = std::make_unique<ScriptedViewer>(parts.sessionId, parts.fingerprint, parts.secret);
                viewer->open(server.streamUrl(parts.sessionId, QStringLiteral("viewer"), parts.token));
                QTRY_VERIFY_WITH_TIMEOUT(viewer->isReady(), 20000);
                QTest::qWait(800); // let a few progress notifications go out first
                viewer->send(InputEvent::resolved());
            } else if (event == QLatin1String("status")) {
                QCOMPARE(e.value(QLatin1String("status")).toString(), QStringLiteral("resolved"));
                QVERIFY(e.value(QLatin1String("progress")).toInt() > 0);
                sawStatus = true;
            } else if (event == QLatin1String("link2")) {
                secondSession = e.value(QLatin1String("session_id")).toString();
            } else if (event == QLatin1String("cancelled")) {
                sawCancelled = true;
            }
        }
    }
    QVERIFY(client.state() == QProcess::NotRunning || client.waitForFinished(30000));
    QCOMPARE(client.exitStatus(), QProcess::NormalExit);
    QCOMPARE(client.exitCode(), 0);
    QVERIFY(sawTools);
    QVERIFY(sawStatus);
    QVERIFY(sawCancelled);
    QVERIFY(!secondSession.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(server.session(secondSession).value(QLatin1String("status")).toString(), QStringLiteral("CANCELLED"), 15000);
}

QTEST_GUILESS_MAIN(TestMcpSdkInterop)
#include "tst_McpSdkInterop.moc"
