// handoff_request_approval driven by the official MCP TypeScript SDK client
// (npm, unmodified; tests/interop/mcp-approval.mjs), which validates every
// result against the tool's outputSchema: one call approved on the real
// DeviceClient (with progress notifications while it waits), one denied, and
// one cancelled by the client (no result, and the tokens stay unredeemed when
// the person approves late).

#include "tests/ciba/CibaHttp.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class TestMcpSdkApproval final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sdkClient();
};

void TestMcpSdkApproval::sdkClient()
{
    const QString agent = TestPaths::program(QStringLiteral("handoff-agent"));
    const QString node = TestPaths::nodeExecutable();
    const QString sdk = QDir(TestPaths::interopDir()).filePath(QStringLiteral("node_modules/@modelcontextprotocol/sdk"));
    if (agent.isEmpty() || node.isEmpty() || !QFileInfo::exists(sdk) || TestServer::program().isEmpty()) {
        QSKIP("needs handoff-agent, handoff-server, node and the MCP SDK in tests/interop/node_modules");
    }
    const QString person = QStringLiteral("sam@example.com");
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    PairedDevice device;
    QVERIFY2(device.pair(server, person), qPrintable(device.errorString()));
    const CibaClient credentials = createClient(server, QStringLiteral("SDK agent"));
    QVERIFY(credentials.isValid());

    QProcess client;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HANDOFF_SERVER"), server.baseUrl().toString());
    env.insert(QStringLiteral("HANDOFF_CLIENT_ID"), credentials.id);
    env.insert(QStringLiteral("HANDOFF_CLIENT_SECRET"), credentials.secret);
    client.setProcessEnvironment(env);
    client.setWorkingDirectory(TestPaths::interopDir());
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    client.start(node, {QStringLiteral("mcp-approval.mjs"), agent, person});
    QVERIFY(client.waitForStarted());

    const QString approveMe = QStringLiteral("SDK: refund $42.00 to Umbrella Corp");
    const QString denyMe = QStringLiteral("SDK: wire $9,999.00 to an unknown account");
    QSet<QString> decided;
    QList<QJsonObject> results;
    QString cancelledMessage;
    bool listed = false;
    const QDeadlineTimer deadline(120'000);
    while (!deadline.hasExpired() && client.state() != QProcess::NotRunning) {
        client.waitForReadyRead(50);
        QCoreApplication::processEvents();
        std::optional<device::ApprovalRequest> next;
        for (const device::ApprovalRequest& request : device.requests()) {
            if (!decided.contains(request.authReqId) && (request.bindingMessage == approveMe || request.bindingMessage == denyMe)) {
                next = request; // a copy: deciding turns the event loop, and more requests may arrive
                break;
            }
        }
        if (next) {
            const bool approve = next->bindingMessage == approveMe;
            if (approve) {
                QTest::qWait(800); // let a few progress notifications go out first
            }
            QVERIFY(device.decide(next->authReqId, approve));
            decided.insert(next->authReqId);
        }
        while (client.canReadLine()) {
            const QJsonObject e = QJsonDocument::fromJson(client.readLine()).object();
            const QString event = e.value(QStringLiteral("event")).toString();
            if (event == QLatin1String("tools")) {
                QVERIFY(e.value(QStringLiteral("listed")).toBool());
                QVERIFY(e.value(QStringLiteral("output_schema")).toBool());
                listed = true;
            } else if (event == QLatin1String("result")) {
                results.append(e);
            } else if (event == QLatin1String("cancelled")) {
                cancelledMessage = e.value(QStringLiteral("binding_message")).toString();
            }
        }
    }
    QVERIFY(client.state() == QProcess::NotRunning || client.waitForFinished(30000));
    QCOMPARE(client.exitStatus(), QProcess::NormalExit);
    QCOMPARE(client.exitCode(), 0); // the SDK found every result valid against the output schema
    QVERIFY(listed);
    QCOMPARE(results.size(), 2);

    const QJsonObject approved = results.at(0).value(QStringLiteral("structured")).toObject();
    QCOMPARE(results.at(0).value(QStringLiteral("binding_message")).toString(), approveMe);
    QCOMPARE(approved.value(QStringLiteral("outcome")).toString(), QStringLiteral("approved"));
    QCOMPARE(approved.value(QStringLiteral("scope")).toString(), QStringLiteral("openid payments"));
    QVERIFY(!approved.contains(QStringLiteral("access_token")));
    QVERIFY(!results.at(0).value(QStringLiteral("is_error")).toBool());
    QVERIFY(results.at(0).value(QStringLiteral("progress")).toInt() > 0);

    const QJsonObject denied = results.at(1).value(QStringLiteral("structured")).toObject();
    QCOMPARE(denied.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
    QVERIFY(!results.at(1).value(QStringLiteral("is_error")).toBool());

    // The cancelled one: the person approves late; nobody redeems it but us.
    QVERIFY(!cancelledMessage.isEmpty());
    const std::optional<device::ApprovalRequest> late = device.waitForRequest(cancelledMessage);
    QVERIFY(late);
    QVERIFY(device.decide(late->authReqId, true));
    QTest::qWait(2500);
    QNetworkAccessManager network;
    QNetworkRequest request(server.url(QStringLiteral("/token")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Authorization", "Basic " + (credentials.id + QLatin1Char(':') + credentials.secret).toUtf8().toBase64());
    QNetworkReply* reply = network.post(request, "grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id="
                                                     + QUrl::toPercentEncoding(late->authReqId));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(15'000));
    reply->deleteLater();
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
}

QTEST_GUILESS_MAIN(TestMcpSdkApproval)
#include "tst_McpSdkApproval.moc"
