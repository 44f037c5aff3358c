// openid-client 6 (npm, unmodified) drives the CIBA flows against the real
// handoff-server; the approvals come from the app's real DeviceClient with its key
// in the real keychain:
// - poll (tests/interop/ciba-poll.mjs): discovery, backchannel authentication,
//   polling; openid-client validates the ID token (claims, and its ES256
//   signature against jwks_uri);
// - ping (ciba-ping.mjs): a Node HTTP receiver takes the ping (right Bearer
//   token), then openid-client redeems the grant once and validates the ID token;
// - push (ciba-push.mjs): a Node receiver takes the token response; it goes
//   through openid-client's token response validation (signature against jwks_uri
//   included) and WebCrypto checks of the signature, at_hash and the auth_req_id
//   claim.

#include "tests/ciba/CibaHttp.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_OpenIdClientInterop final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    PairedDevice m_device;

private Q_SLOTS:
    void initTestCase()
    {
        if (TestPaths::nodeExecutable().isEmpty()
            || !QFileInfo::exists(TestPaths::interopDir() + QStringLiteral("/node_modules/openid-client/package.json"))) {
            QSKIP("node or openid-client is missing: run npm install in tests/interop");
        }
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        QVERIFY2(m_device.pair(m_server, QStringLiteral("hana@example.com"),
                               {.deviceName = QStringLiteral("Workstation")}),
                 qPrintable(m_device.errorString()));
    }

    void cleanupTestCase()
    {
        if (m_server.isRunning()) {
            QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        }
    }

private:
    // Runs a Node script of tests/interop with the client and the person's details;
    // its stdout lines as JSON objects (empty on a crash, with the output in `log`).
    QList<QJsonObject> runNode(const QString& script, const CibaClient& client, const QString& message, QString* log,
                               int* exitCode, quint16 receiverPort)
    {
        QProcess node;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HANDOFF_ISSUER"), m_server.baseUrl().toString());
        environment.insert(QStringLiteral("CIBA_CLIENT_ID"), client.id);
        environment.insert(QStringLiteral("CIBA_CLIENT_SECRET"), client.secret);
        environment.insert(QStringLiteral("CIBA_LOGIN_HINT"), QStringLiteral("hana@example.com"));
        environment.insert(QStringLiteral("CIBA_BINDING_MESSAGE"), message);
        environment.insert(QStringLiteral("CIBA_RECEIVER_PORT"), QString::number(receiverPort));
        node.setProcessEnvironment(environment);
        node.setWorkingDirectory(TestPaths::interopDir());
        node.start(TestPaths::nodeExecutable(), {TestPaths::interopDir() + QLatin1Char('/') + script});
        if (!node.waitForStarted()) {
            return {};
        }
        (void)QTest::qWaitFor([&] { return node.state() == QProcess::NotRunning; }, 90'000);
        if (node.state() != QProcess::NotRunning) {
            node.kill();
            node.waitForFinished();
        }
        const QString output = QString::fromUtf8(node.readAllStandardOutput());
        *log = output + QString::fromUtf8(node.readAllStandardError());
        *exitCode = node.exitStatus() == QProcess::NormalExit ? node.exitCode() : -1;
        QList<QJsonObject> lines;
        for (const QString& line : output.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            lines.append(QJsonDocument::fromJson(line.toUtf8()).object());
        }
        return lines;
    }

    static quint16 freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost);
        return probe.serverPort();
    }

    struct Flow final {
        CibaClient client;
        QString authReqId;
        QJsonObject finished; // the script's last line
    };

    // Runs `script` for a new client of this delivery mode (ping and push to a
    // free port, where the script listens) while the person approves what shows
    // `message`: checks that the script succeeded and started the request that
    // the device approved.
    void runApprovedFlow(const QString& script, const QString& clientName, const QString& mode, const QString& message,
                         Flow* flow)
    {
        const quint16 port = mode == QLatin1String("poll") ? 0 : freePort();
        const QUrl endpoint = port == 0 ? QUrl() : QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(port).arg(mode));
        flow->client = createClient(m_server, clientName, mode, endpoint);
        QVERIFY(!flow->client.secret.isEmpty());
        m_device.answer(message, true);
        QString log;
        int exitCode = -1;
        const QList<QJsonObject> lines = runNode(script, flow->client, message, &log, &exitCode, port);
        QVERIFY2(lines.size() == 2 && !lines.at(1).contains(QStringLiteral("error")), qPrintable(log));
        QCOMPARE(exitCode, 0);
        flow->authReqId = lines.at(0).value(QStringLiteral("auth_req_id")).toString();
        const std::optional<device::ApprovalRequest> shown = m_device.waitForRequest(message);
        QVERIFY(shown);
        QCOMPARE(shown->authReqId, flow->authReqId);
        QVERIFY(m_device.waitDecided(flow->authReqId));
        flow->finished = lines.at(1);
    }

private Q_SLOTS:
    void pingFlowApprovedOnTheDevice()
    {
        Flow flow;
        runApprovedFlow(QStringLiteral("ciba-ping.mjs"), QStringLiteral("Interop pinger"), QStringLiteral("ping"),
                        QStringLiteral("Approve interop ping 8"), &flow);
        if (QTest::currentTestFailed()) {
            return;
        }
        const QJsonObject ping = flow.finished.value(QStringLiteral("ping")).toObject();
        QVERIFY(ping.value(QStringLiteral("contentType")).toString().startsWith(QStringLiteral("application/json")));
        QCOMPARE(ping.value(QStringLiteral("body")).toObject(),
                 (QJsonObject{{QStringLiteral("auth_req_id"), flow.authReqId}}));
        const QJsonObject claims = flow.finished.value(QStringLiteral("claims")).toObject();
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_server.baseUrl().toString());
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), flow.client.id);
        QCOMPARE(claims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), flow.authReqId);
        QCOMPARE(flow.finished.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
        // Single use holds in ping mode too.
        QCOMPARE(flow.finished.value(QStringLiteral("second")).toString(), QStringLiteral("invalid_grant"));
    }

    void pushFlowApprovedOnTheDevice()
    {
        Flow flow;
        runApprovedFlow(QStringLiteral("ciba-push.mjs"), QStringLiteral("Interop pusher"), QStringLiteral("push"),
                        QStringLiteral("Approve interop push 9"), &flow);
        if (QTest::currentTestFailed()) {
            return;
        }
        const QJsonObject checks = flow.finished.value(QStringLiteral("checks")).toObject();
        QVERIFY(!checks.isEmpty());
        for (auto it = checks.begin(); it != checks.end(); ++it) {
            QVERIFY2(it.value().toBool(), qPrintable(it.key()));
        }
        const QJsonObject claims = flow.finished.value(QStringLiteral("claims")).toObject();
        QCOMPARE(claims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), flow.authReqId);
        QCOMPARE(flow.finished.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
        QCOMPARE(flow.finished.value(QStringLiteral("fields")).toArray(),
                 (QJsonArray{QStringLiteral("access_token"), QStringLiteral("auth_req_id"), QStringLiteral("expires_in"),
                             QStringLiteral("id_token"), QStringLiteral("scope"), QStringLiteral("token_type")}));
    }

    void pollFlowApprovedOnTheDevice()
    {
        Flow flow;
        runApprovedFlow(QStringLiteral("ciba-poll.mjs"), QStringLiteral("Interop poller"), QStringLiteral("poll"),
                        QStringLiteral("Approve interop run 7"), &flow);
        if (QTest::currentTestFailed()) {
            return;
        }
        const QJsonObject claims = flow.finished.value(QStringLiteral("claims")).toObject();
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_server.baseUrl().toString());
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), flow.client.id);
        QVERIFY(claims.value(QStringLiteral("sub")).toString().startsWith(QStringLiteral("usr_")));
        QCOMPARE(claims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), flow.authReqId);
        QCOMPARE(flow.finished.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
    }
};

QTEST_GUILESS_MAIN(tst_OpenIdClientInterop)
#include "tst_OpenIdClientInterop.moc"
