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

#include "core/device/DeviceClient.h"
#include "core/keystore/Keystore.h"
#include "tests/ciba/CibaCli.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_OpenIdClientInterop final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    keystore::Keystore m_keystore{device::DeviceClient::keychainService()};
    std::unique_ptr<device::DeviceClient> m_device;
    device::DeviceAccount m_account;

private Q_SLOTS:
    void initTestCase()
    {
        if (TestPaths::nodeExecutable().isEmpty()
            || !QFileInfo::exists(TestPaths::interopDir() + QStringLiteral("/node_modules/openid-client/package.json"))) {
            QSKIP("node or openid-client is missing: run npm install in tests/interop");
        }
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        QCOMPARE(runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("hana@example.com")}).exitCode, 0);
        Result<device::PairingLink> link = device::PairingLink::parse(pairingLinkFrom(
            runCli(m_server, {QStringLiteral("devices"), QStringLiteral("pair"), QStringLiteral("hana@example.com")}).out));
        QVERIFY(link.ok());
        m_device = std::make_unique<device::DeviceClient>(m_keystore);
        QSignalSpy paired(m_device.get(), &device::DeviceClient::paired);
        m_device->pair(*link, QStringLiteral("Workstation"));
        QTRY_COMPARE_WITH_TIMEOUT(paired.size(), 1, 30'000);
        m_account = paired.first().first().value<device::DeviceAccount>();
        m_device->start(m_account);
        QTRY_COMPARE_WITH_TIMEOUT(m_device->state(), device::DeviceClient::State::Online, 30'000);
    }

    void cleanupTestCase()
    {
        m_device.reset();
        if (!m_account.keyName.isEmpty()) {
            m_keystore.remove(m_account.keyName, [](Result<void>) {});
            QTest::qWait(200);
        }
        if (m_server.isRunning()) {
            QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        }
    }

private:
    // Runs a Node script of tests/interop with the client and the person's details;
    // its stdout lines as JSON objects (empty on a crash, with the output in `log`).
    QList<QJsonObject> runNode(const QString& script, const QString& clientId, const QString& secret,
                               const QString& message, QString* log, int* exitCode, quint16 receiverPort = 0)
    {
        QProcess node;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HANDOFF_ISSUER"), m_server.baseUrl().toString());
        environment.insert(QStringLiteral("CIBA_CLIENT_ID"), clientId);
        environment.insert(QStringLiteral("CIBA_CLIENT_SECRET"), secret);
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

    // Disconnects when the test function ends, however it ends.
    struct ScopedConnection final {
        QMetaObject::Connection connection;
        ~ScopedConnection() { QObject::disconnect(connection); }
    };

    // The person approves what shows `message`; the id it approved lands in `seen`.
    [[nodiscard]] QMetaObject::Connection approveOnTheDevice(const QString& message, QString* seen)
    {
        return connect(m_device.get(), &device::DeviceClient::approvalRequested, this,
                [this, seen, message](const device::ApprovalRequest& request) {
                    if (request.bindingMessage == message) {
                        *seen = request.authReqId;
                        QVERIFY(m_device->decide(request.authReqId, true).ok());
                    }
                });
    }

    static quint16 freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost);
        return probe.serverPort();
    }

private Q_SLOTS:
    void pingFlowApprovedOnTheDevice()
    {
        const quint16 port = freePort();
        const CibaClient client = createClient(m_server, QStringLiteral("Interop pinger"), QStringLiteral("ping"),
                                              QUrl(QStringLiteral("http://127.0.0.1:%1/ping").arg(port)));
        QVERIFY(!client.secret.isEmpty());
        const QString message = QStringLiteral("Approve interop ping 8");
        QString seen;
        const ScopedConnection approving{approveOnTheDevice(message, &seen)};
        QString log;
        int exitCode = -1;
        const QList<QJsonObject> lines = runNode(QStringLiteral("ciba-ping.mjs"), client.id, client.secret, message, &log, &exitCode, port);
        QVERIFY2(lines.size() == 2 && !lines.at(1).contains(QStringLiteral("error")), qPrintable(log));
        QCOMPARE(exitCode, 0);
        const QString authReqId = lines.at(0).value(QStringLiteral("auth_req_id")).toString();
        QCOMPARE(seen, authReqId);
        const QJsonObject finished = lines.at(1);
        const QJsonObject ping = finished.value(QStringLiteral("ping")).toObject();
        QVERIFY(ping.value(QStringLiteral("contentType")).toString().startsWith(QStringLiteral("application/json")));
        QCOMPARE(ping.value(QStringLiteral("body")).toObject(), (QJsonObject{{QStringLiteral("auth_req_id"), authReqId}}));
        const QJsonObject claims = finished.value(QStringLiteral("claims")).toObject();
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_server.baseUrl().toString());
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), client.id);
        QCOMPARE(claims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), authReqId);
        QCOMPARE(finished.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
        // Single use holds in ping mode too.
        QCOMPARE(finished.value(QStringLiteral("second")).toString(), QStringLiteral("invalid_grant"));
    }

    void pushFlowApprovedOnTheDevice()
    {
        const quint16 port = freePort();
        const CibaClient client = createClient(m_server, QStringLiteral("Interop pusher"), QStringLiteral("push"),
                                              QUrl(QStringLiteral("http://127.0.0.1:%1/push").arg(port)));
        QVERIFY(!client.secret.isEmpty());
        const QString message = QStringLiteral("Approve interop push 9");
        QString seen;
        const ScopedConnection approving{approveOnTheDevice(message, &seen)};
        QString log;
        int exitCode = -1;
        const QList<QJsonObject> lines = runNode(QStringLiteral("ciba-push.mjs"), client.id, client.secret, message, &log, &exitCode, port);
        QVERIFY2(lines.size() == 2 && !lines.at(1).contains(QStringLiteral("error")), qPrintable(log));
        QCOMPARE(exitCode, 0);
        const QString authReqId = lines.at(0).value(QStringLiteral("auth_req_id")).toString();
        QCOMPARE(seen, authReqId);
        const QJsonObject finished = lines.at(1);
        const QJsonObject checks = finished.value(QStringLiteral("checks")).toObject();
        QVERIFY(!checks.isEmpty());
        for (auto it = checks.begin(); it != checks.end(); ++it) {
            QVERIFY2(it.value().toBool(), qPrintable(it.key()));
        }
        const QJsonObject claims = finished.value(QStringLiteral("claims")).toObject();
        QCOMPARE(claims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), authReqId);
        QCOMPARE(finished.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
        QCOMPARE(finished.value(QStringLiteral("fields")).toArray(),
                 (QJsonArray{QStringLiteral("access_token"), QStringLiteral("auth_req_id"), QStringLiteral("expires_in"),
                             QStringLiteral("id_token"), QStringLiteral("scope"), QStringLiteral("token_type")}));
    }

    void pollFlowApprovedOnTheDevice()
    {
        const CliResult created = runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                                    QStringLiteral("Interop poller"), QStringLiteral("--mode"),
                                                    QStringLiteral("poll"), QStringLiteral("--interval"), QStringLiteral("1")});
        const QString clientId = clientFieldFrom(created.out, QStringLiteral("client_id"));
        const QString secret = clientFieldFrom(created.out, QStringLiteral("client_secret"));
        const QString message = QStringLiteral("Approve interop run 7");

        // The person approves what shows the expected binding message.
        QString seen;
        connect(m_device.get(), &device::DeviceClient::approvalRequested, this,
                [this, &seen, message](const device::ApprovalRequest& request) {
                    if (request.bindingMessage == message) {
                        seen = request.authReqId;
                        QVERIFY(m_device->decide(request.authReqId, true).ok());
                    }
                });

        QProcess node;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HANDOFF_ISSUER"), m_server.baseUrl().toString());
        environment.insert(QStringLiteral("CIBA_CLIENT_ID"), clientId);
        environment.insert(QStringLiteral("CIBA_CLIENT_SECRET"), secret);
        environment.insert(QStringLiteral("CIBA_LOGIN_HINT"), QStringLiteral("hana@example.com"));
        environment.insert(QStringLiteral("CIBA_BINDING_MESSAGE"), message);
        node.setProcessEnvironment(environment);
        node.setWorkingDirectory(TestPaths::interopDir());
        node.start(TestPaths::nodeExecutable(), {TestPaths::interopDir() + QStringLiteral("/ciba-poll.mjs")});
        QVERIFY(node.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(node.state() == QProcess::NotRunning, 90'000);
        const QString output = QString::fromUtf8(node.readAllStandardOutput());
        const QStringList lines = output.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() == 2, qPrintable(output + QString::fromUtf8(node.readAllStandardError())));
        const QJsonObject started = QJsonDocument::fromJson(lines.at(0).toUtf8()).object();
        const QJsonObject finished = QJsonDocument::fromJson(lines.at(1).toUtf8()).object();
        QVERIFY2(!finished.contains(QStringLiteral("error")), qPrintable(lines.at(1)));
        QCOMPARE(node.exitCode(), 0);
        const QString authReqId = started.value(QStringLiteral("auth_req_id")).toString();
        QCOMPARE(seen, authReqId);
        const QJsonObject claims = finished.value(QStringLiteral("claims")).toObject();
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_server.baseUrl().toString());
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), clientId);
        QVERIFY(claims.value(QStringLiteral("sub")).toString().startsWith(QStringLiteral("usr_")));
        QCOMPARE(claims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), authReqId);
        QCOMPARE(finished.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
    }
};

QTEST_GUILESS_MAIN(tst_OpenIdClientInterop)
#include "tst_OpenIdClientInterop.moc"
