// The MCP tool handoff_request_approval of `handoff-agent mcp`, driven over
// stdio as an MCP client would, against a real handoff-server whose requests
// reach the app's real DeviceClient (key in the real keychain): listed with its
// input and output schemas; a call approved on the device, with progress
// notifications while it waits; a call denied; bad arguments and missing
// client credentials answered as tool errors; credentials from the command
// line; and a client cancel that stops the polling (the tokens stay
// unredeemed). The access token never reaches the model.

#include "tests/agent/McpTestClient.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/support/CibaCli.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

namespace {

const QString Person = QStringLiteral("mia@example.com");

QJsonObject callParams(const QJsonObject& arguments, const QString& progressToken = {})
{
    QJsonObject params{{QStringLiteral("name"), QStringLiteral("handoff_request_approval")},
                       {QStringLiteral("arguments"), arguments}};
    if (!progressToken.isEmpty()) {
        params.insert(QStringLiteral("_meta"), QJsonObject{{QStringLiteral("progressToken"), progressToken}});
    }
    return params;
}

QJsonObject resultOf(const QJsonObject& response)
{
    return response.value(QStringLiteral("result")).toObject();
}

} // namespace

class TestMcpApproval final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void toolIsListedWithBothSchemas();
    void approvedWithProgress();
    void deniedWithCredentialsFromTheCommandLine();
    void badArguments_data();
    void badArguments();
    void withoutClientCredentials();
    void clientCancelStopsPolling();

private:
    bool startClient(McpClient& client, bool credentialsInEnvironment = true, const QStringList& extra = {});

    QString m_program;
    TestServer m_server;
    PairedDevice m_device;
    ClientCredentials m_client;
};

void TestMcpApproval::initTestCase()
{
    m_program = TestPaths::program(QStringLiteral("handoff-agent"));
    if (m_program.isEmpty() || TestServer::program().isEmpty()) {
        QSKIP("handoff-agent or handoff-server is not built");
    }
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY2(m_device.pair(m_server, Person), qPrintable(m_device.errorString()));
    m_client = createClient(m_server, QStringLiteral("Support agent"));
    QVERIFY(m_client.isValid());
}

void TestMcpApproval::cleanupTestCase()
{
    if (m_server.isRunning()) {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
    }
}

bool TestMcpApproval::startClient(McpClient& client, bool credentialsInEnvironment, const QStringList& extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MCP_PROGRESS_INTERVAL_MS"), QStringLiteral("200"));
    env.insert(QStringLiteral("HANDOFF_SERVER"), m_server.baseUrl().toString());
    env.remove(QStringLiteral("HANDOFF_CLIENT_ID"));
    env.remove(QStringLiteral("HANDOFF_CLIENT_SECRET"));
    if (credentialsInEnvironment) {
        env.insert(QStringLiteral("HANDOFF_CLIENT_ID"), m_client.id);
        env.insert(QStringLiteral("HANDOFF_CLIENT_SECRET"), m_client.secret);
    }
    if (!client.start(m_program, env, extra)) {
        return false;
    }
    const qint64 id = client.request(
        QStringLiteral("initialize"),
        QJsonObject{{QStringLiteral("protocolVersion"), QStringLiteral("2025-06-18")},
                    {QStringLiteral("capabilities"), QJsonObject{}},
                    {QStringLiteral("clientInfo"),
                     QJsonObject{{QStringLiteral("name"), QStringLiteral("test")}, {QStringLiteral("version"), QStringLiteral("1")}}}});
    const QJsonObject answer = client.waitFor(id, 30000);
    client.send(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                            {QStringLiteral("method"), QStringLiteral("notifications/initialized")}});
    const QString instructions = resultOf(answer).value(QStringLiteral("instructions")).toString();
    return instructions.contains(QStringLiteral("handoff_request_approval"));
}

void TestMcpApproval::toolIsListedWithBothSchemas()
{
    McpClient client;
    QVERIFY(startClient(client));
    const QJsonArray tools = resultOf(client.waitFor(client.request(QStringLiteral("tools/list"), {})))
                                 .value(QStringLiteral("tools"))
                                 .toArray();
    QJsonObject tool;
    for (const QJsonValue& t : tools) {
        if (t.toObject().value(QStringLiteral("name")).toString() == QLatin1String("handoff_request_approval")) {
            tool = t.toObject();
        }
    }
    QVERIFY(!tool.isEmpty());
    QVERIFY(tool.value(QStringLiteral("description")).toString().contains(QStringLiteral("never an access token")));

    const QJsonObject input = tool.value(QStringLiteral("inputSchema")).toObject();
    QCOMPARE(input.value(QStringLiteral("type")).toString(), QStringLiteral("object"));
    QCOMPARE(input.value(QStringLiteral("required")).toArray(),
             (QJsonArray{QStringLiteral("binding_message"), QStringLiteral("login_hint")}));
    const QJsonObject properties = input.value(QStringLiteral("properties")).toObject();
    const QStringList keys = properties.keys();
    QCOMPARE(QSet<QString>(keys.begin(), keys.end()),
             (QSet<QString>{QStringLiteral("binding_message"), QStringLiteral("login_hint"), QStringLiteral("scope"),
                            QStringLiteral("user_code"), QStringLiteral("expiry_seconds")}));
    QCOMPARE(properties.value(QStringLiteral("binding_message")).toObject().value(QStringLiteral("maxLength")).toInt(), 140);
    QCOMPARE(properties.value(QStringLiteral("expiry_seconds")).toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("integer"));

    const QJsonObject output = tool.value(QStringLiteral("outputSchema")).toObject();
    QCOMPARE(output.value(QStringLiteral("type")).toString(), QStringLiteral("object"));
    QCOMPARE(output.value(QStringLiteral("required")).toArray(), (QJsonArray{QStringLiteral("outcome"), QStringLiteral("message")}));
    const QJsonObject outProperties = output.value(QStringLiteral("properties")).toObject();
    QCOMPARE(outProperties.value(QStringLiteral("outcome")).toObject().value(QStringLiteral("enum")).toArray(),
             (QJsonArray{QStringLiteral("approved"), QStringLiteral("denied"), QStringLiteral("expired"), QStringLiteral("error")}));
    for (const char* key : {"auth_req_id", "scope", "expires_in", "message"}) {
        QVERIFY2(outProperties.contains(QLatin1String(key)), key);
    }
    QVERIFY(!outProperties.contains(QStringLiteral("access_token")));
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
}

void TestMcpApproval::approvedWithProgress()
{
    McpClient client;
    QVERIFY(startClient(client));
    const QString message = QStringLiteral("Refund $120.00 to ACME Corp, order 1234");
    const qint64 id = client.request(
        QStringLiteral("tools/call"),
        callParams(QJsonObject{{QStringLiteral("binding_message"), message},
                               {QStringLiteral("login_hint"), Person},
                               {QStringLiteral("scope"), QStringLiteral("payments")}},
                   QStringLiteral("approval-1")));
    const std::optional<device::ApprovalRequest> request = m_device.waitForRequest(message);
    QVERIFY(request);
    QCOMPARE(request->scope, QStringLiteral("openid payments"));
    QCOMPARE(request->clientName, QStringLiteral("Support agent"));

    // Progress arrives while the person has not answered yet.
    QVERIFY(QTest::qWaitFor([&] {
        client.pump();
        return std::any_of(client.notifications.begin(), client.notifications.end(), [](const QJsonObject& n) {
            return n.value(QStringLiteral("method")).toString() == QLatin1String("notifications/progress")
                && n.value(QStringLiteral("params")).toObject().value(QStringLiteral("progressToken")).toString()
                == QLatin1String("approval-1");
        });
    }, 20'000));
    const QJsonObject progress = client.notifications.last().value(QStringLiteral("params")).toObject();
    QVERIFY(progress.value(QStringLiteral("message")).toString().contains(Person));
    QVERIFY(client.responses.isEmpty()); // still waiting

    QVERIFY(m_device.decide(request->authReqId, true));
    const QJsonObject response = client.waitFor(id);
    const QJsonObject result = resultOf(response);
    QVERIFY2(!result.value(QStringLiteral("isError")).toBool(), QJsonDocument(response).toJson().constData());
    const QJsonObject structured = result.value(QStringLiteral("structuredContent")).toObject();
    QCOMPARE(structured.value(QStringLiteral("outcome")).toString(), QStringLiteral("approved"));
    QCOMPARE(structured.value(QStringLiteral("auth_req_id")).toString(), request->authReqId);
    QCOMPARE(structured.value(QStringLiteral("scope")).toString(), QStringLiteral("openid payments"));
    QCOMPARE(structured.value(QStringLiteral("expires_in")).toInt(), 300);
    QVERIFY(structured.value(QStringLiteral("message")).toString().contains(message));
    // The text content mirrors the structured content (MCP 2025-06-18).
    const QString text = result.value(QStringLiteral("content")).toArray().first().toObject().value(QStringLiteral("text")).toString();
    QCOMPARE(QJsonDocument::fromJson(text.toUtf8()).object(), structured);
    // No token of any kind reaches the model: JWTs start with eyJ.
    const QByteArray raw = QJsonDocument(response).toJson();
    QVERIFY(!raw.contains("eyJ"));
    QVERIFY(!raw.contains("access_token"));
    QVERIFY(!raw.contains(m_client.secret.toUtf8()));
    // The tokens were redeemed by the agent: a second redemption fails.
    QCOMPARE(redeem(m_server, m_client, request->authReqId).status, 400);
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
    QCOMPARE(client.process().exitCode(), 0);
}

void TestMcpApproval::deniedWithCredentialsFromTheCommandLine()
{
    McpClient client;
    QVERIFY(startClient(client, false, {QStringLiteral("--client-id"), m_client.id, QStringLiteral("--client-secret"), m_client.secret}));
    const QString message = QStringLiteral("Email the customer list to partner@example.net");
    const qint64 id = client.request(QStringLiteral("tools/call"),
                                     callParams(QJsonObject{{QStringLiteral("binding_message"), message},
                                                            {QStringLiteral("login_hint"), Person},
                                                            {QStringLiteral("expiry_seconds"), 120}}));
    const std::optional<device::ApprovalRequest> request = m_device.waitForRequest(message);
    QVERIFY(request);
    QVERIFY(m_device.decide(request->authReqId, false));
    const QJsonObject result = resultOf(client.waitFor(id));
    QVERIFY(!result.value(QStringLiteral("isError")).toBool());
    const QJsonObject structured = result.value(QStringLiteral("structuredContent")).toObject();
    QCOMPARE(structured.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
    QCOMPARE(structured.value(QStringLiteral("auth_req_id")).toString(), request->authReqId);
    QVERIFY(structured.value(QStringLiteral("message")).toString().contains(QStringLiteral("do not perform the action")));
    QVERIFY(!structured.contains(QStringLiteral("scope")));
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
}

void TestMcpApproval::badArguments_data()
{
    QTest::addColumn<QJsonObject>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no binding_message") << QJsonObject{{QStringLiteral("login_hint"), Person}}
                                        << QStringLiteral("binding_message is required");
    QTest::newRow("blank binding_message")
        << QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("   ")}, {QStringLiteral("login_hint"), Person}}
        << QStringLiteral("binding_message is required");
    QTest::newRow("binding_message too long")
        << QJsonObject{{QStringLiteral("binding_message"), QString(141, u'x')}, {QStringLiteral("login_hint"), Person}}
        << QStringLiteral("at most 140");
    QTest::newRow("binding_message not text")
        << QJsonObject{{QStringLiteral("binding_message"), 42}, {QStringLiteral("login_hint"), Person}}
        << QStringLiteral("binding_message is required");
    QTest::newRow("no login_hint") << QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("Pay")}}
                                   << QStringLiteral("login_hint is required");
    QTest::newRow("scope not text")
        << QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("Pay")}, {QStringLiteral("login_hint"), Person},
                       {QStringLiteral("scope"), QJsonArray{QStringLiteral("openid")}}}
        << QStringLiteral("scope must be text");
    QTest::newRow("expiry zero")
        << QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("Pay")}, {QStringLiteral("login_hint"), Person},
                       {QStringLiteral("expiry_seconds"), 0}}
        << QStringLiteral("expiry_seconds must be");
    QTest::newRow("expiry fraction")
        << QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("Pay")}, {QStringLiteral("login_hint"), Person},
                       {QStringLiteral("expiry_seconds"), 2.5}}
        << QStringLiteral("expiry_seconds must be");
    QTest::newRow("expiry text")
        << QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("Pay")}, {QStringLiteral("login_hint"), Person},
                       {QStringLiteral("expiry_seconds"), QStringLiteral("60")}}
        << QStringLiteral("expiry_seconds must be");
    // The server's own checks come back as tool errors with its words.
    QTest::newRow("unknown person")
        << QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("Pay")},
                       {QStringLiteral("login_hint"), QStringLiteral("nobody@example.com")}}
        << QStringLiteral("unknown_user_id");
    QTest::newRow("control character in the message")
        << QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("Pay\u202e$1")}, {QStringLiteral("login_hint"), Person}}
        << QStringLiteral("invalid_binding_message");
}

void TestMcpApproval::badArguments()
{
    QFETCH(QJsonObject, arguments);
    QFETCH(QString, message);
    McpClient client;
    QVERIFY(startClient(client));
    const QJsonObject result = resultOf(client.waitFor(client.request(QStringLiteral("tools/call"), callParams(arguments))));
    QVERIFY(result.value(QStringLiteral("isError")).toBool());
    const QString text = result.value(QStringLiteral("content")).toArray().first().toObject().value(QStringLiteral("text")).toString();
    QVERIFY2(text.contains(message), qPrintable(text));
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
}

void TestMcpApproval::withoutClientCredentials()
{
    McpClient client;
    QVERIFY(startClient(client, false));
    const QJsonObject result = resultOf(client.waitFor(client.request(
        QStringLiteral("tools/call"),
        callParams(QJsonObject{{QStringLiteral("binding_message"), QStringLiteral("Pay")}, {QStringLiteral("login_hint"), Person},
                               // The model cannot bring its own: these are not parameters of the tool.
                               {QStringLiteral("client_id"), m_client.id},
                               {QStringLiteral("client_secret"), m_client.secret}}))));
    QVERIFY(result.value(QStringLiteral("isError")).toBool());
    const QString text = result.value(QStringLiteral("content")).toArray().first().toObject().value(QStringLiteral("text")).toString();
    QVERIFY2(text.contains(QStringLiteral("HANDOFF_CLIENT_ID")), qPrintable(text));
    QVERIFY(m_device.waitForRequest(QStringLiteral("Pay"), 500) == std::nullopt);
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
}

void TestMcpApproval::clientCancelStopsPolling()
{
    McpClient client;
    QVERIFY(startClient(client));
    const QString message = QStringLiteral("Close account 5566");
    const qint64 id = client.request(QStringLiteral("tools/call"),
                                     callParams(QJsonObject{{QStringLiteral("binding_message"), message},
                                                            {QStringLiteral("login_hint"), Person},
                                                            {QStringLiteral("expiry_seconds"), 60}},
                                                QStringLiteral("approval-cancel")));
    const std::optional<device::ApprovalRequest> request = m_device.waitForRequest(message);
    QVERIFY(request);
    client.send(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                            {QStringLiteral("method"), QStringLiteral("notifications/cancelled")},
                            {QStringLiteral("params"), QJsonObject{{QStringLiteral("requestId"), id},
                                                                   {QStringLiteral("reason"), QStringLiteral("user gave up")}}}});
    // The agent still answers, and the cancelled call gets no response.
    QVERIFY(client.waitFor(client.request(QStringLiteral("ping"), {})).contains(QStringLiteral("result")));

    // The person approves after all. An agent still polling every second would
    // redeem the tokens within a second or two; this one stopped, so they are
    // still there for the client to take.
    QVERIFY(m_device.decide(request->authReqId, true));
    QTest::qWait(3000);
    client.pump();
    for (const QJsonObject& response : std::as_const(client.responses)) {
        QVERIFY2(response.value(QStringLiteral("id")).toInteger() != id, "the cancelled call was answered");
    }
    const qsizetype progressBefore = client.notifications.size();
    QTest::qWait(600);
    client.pump();
    QCOMPARE(client.notifications.size(), progressBefore); // no more progress for it either
    QCOMPARE(redeem(m_server, m_client, request->authReqId).status, 200);
    client.closeInput();
    QVERIFY(client.process().waitForFinished(15000));
    QCOMPARE(client.process().exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestMcpApproval)
#include "tst_McpApproval.moc"
