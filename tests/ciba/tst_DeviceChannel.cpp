// The device channel, WebSocket /device, on a real handoff-server: the app's real
// DeviceClient (key in the real keychain) answers the challenge and comes online,
// reconnects after a server restart, and stops for good once its device is
// revoked; hand-made connections with a wrong signature, an unknown device or no
// authentication are closed with 4401. A session created with a login_hint
// reaches the user's online device as a session_request.

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceClient.h"
#include "core/device/DeviceStatements.h"
#include "core/keystore/Keystore.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/SessionLinkParser.h"
#include "tests/support/CibaCli.h"
#include "tests/server/HttpTestClient.h"
#include "tests/server/WsTestClient.h"
#include "tests/support/TestServer.h"

#include <QSignalSpy>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_DeviceChannel final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    keystore::Keystore m_keystore{device::DeviceClient::keychainService()};
    device::DeviceAccount m_account;

    QUrl channelUrl() const
    {
        QUrl url = m_server.baseUrl();
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/device"));
        return url;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        QCOMPARE(runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("dana@example.com")}).exitCode, 0);
        const CliResult pairing = runCli(m_server, {QStringLiteral("devices"), QStringLiteral("pair"), QStringLiteral("dana@example.com")});
        QCOMPARE(pairing.exitCode, 0);
        Result<device::PairingLink> link = device::PairingLink::parse(pairingLinkFrom(pairing.out));
        QVERIFY(link.ok());
        device::DeviceClient client(m_keystore);
        QSignalSpy paired(&client, &device::DeviceClient::paired);
        QSignalSpy failed(&client, &device::DeviceClient::pairingFailed);
        client.pair(*link, QStringLiteral("Desk"));
        QTRY_VERIFY_WITH_TIMEOUT(paired.size() + failed.size() > 0, 30'000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().value<Error>().message));
        m_account = paired.first().first().value<device::DeviceAccount>();
    }

    void cleanupTestCase()
    {
        m_keystore.remove(m_account.keyName, [](Result<void>) {});
        QTest::qWait(200);
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
    }

    void wrongSignatureIsRefused()
    {
        WsTestClient socket(channelUrl());
        QVERIFY(socket.waitConnected());
        QVERIFY(socket.waitForCount(1));
        const QJsonObject challenge = socket.messages.first().json();
        QCOMPARE(challenge.value(QStringLiteral("type")).toString(), QStringLiteral("challenge"));
        const QString nonce = challenge.value(QStringLiteral("nonce")).toString();
        QVERIFY(nonce.size() >= 43);
        // Signed by a key that is not the device's.
        Result<crypto::SigningKey> stranger = crypto::SigningKey::generate();
        const QByteArray signature = *stranger->sign(device::DeviceStatements::deviceAuthentication(
            device::DeviceStatements::serverIdentity(m_server.baseUrl()), m_account.deviceId, nonce));
        socket.socket.sendTextMessage(QString::fromUtf8(QJsonDocument(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("authenticate")},
            {QStringLiteral("device_id"), m_account.deviceId},
            {QStringLiteral("signature"),
             QString::fromLatin1(signature.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))},
        }).toJson(QJsonDocument::Compact)));
        QVERIFY(socket.waitClosed());
        QCOMPARE(int(socket.closeCode), 4401);
    }

    void unknownDeviceAndSilenceAreRefused()
    {
        WsTestClient unknown(channelUrl());
        QVERIFY(unknown.waitConnected());
        QVERIFY(unknown.waitForCount(1));
        unknown.socket.sendTextMessage(QStringLiteral(R"({"type":"authenticate","device_id":"dev_nobody","signature":"AAAA"})"));
        QVERIFY(unknown.waitClosed());
        QCOMPARE(int(unknown.closeCode), 4401);

        WsTestClient early(channelUrl());
        QVERIFY(early.waitConnected());
        early.socket.sendTextMessage(QStringLiteral(R"({"type":"approval_decision"})"));
        QVERIFY(early.waitClosed());
        QCOMPARE(int(early.closeCode), 4401);
    }

    void deviceClientComesOnlineAndReconnects()
    {
        device::DeviceClient client(m_keystore);
        client.setReconnectDelays(std::chrono::milliseconds(200), std::chrono::milliseconds(1000));
        QSignalSpy failures(&client, &device::DeviceClient::failed);
        client.start(m_account);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), device::DeviceClient::State::Online, 30'000);

        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(client.state() != device::DeviceClient::State::Online, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), device::DeviceClient::State::Online, 30'000);
        QVERIFY(failures.isEmpty());
        client.stop();
        QCOMPARE(client.state(), device::DeviceClient::State::Idle);
    }

    void sessionWithLoginHintReachesTheDevice()
    {
        device::DeviceClient client(m_keystore);
        QSignalSpy requests(&client, &device::DeviceClient::sessionRequested);
        client.start(m_account);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), device::DeviceClient::State::Online, 30'000);

        HttpTestClient http;
        // A hint naming nobody here, and no hint at all, reach no device.
        QCOMPARE(http.post(m_server.url(QStringLiteral("/session")), m_server.apiKey(),
                           R"({"service":"Example Bank","login_hint":"someone@else.example"})")
                     .status,
                 201);
        QCOMPARE(http.post(m_server.url(QStringLiteral("/session")), m_server.apiKey(), R"({"service":"Example Bank"})").status,
                 201);
        const HttpResult created = http.post(
            m_server.url(QStringLiteral("/session")), m_server.apiKey(),
            R"({"service":"Example Bank","login_hint":"DANA@example.com","context":{"blocker_type":"otp","hint":"code by SMS"}})");
        QCOMPARE(created.status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, 15'000);
        QTest::qWait(300);
        QCOMPARE(requests.size(), 1);
        const auto notice = requests.first().first().value<device::SessionRequestNotice>();
        QCOMPARE(notice.sessionId, created.json().value(QStringLiteral("session_id")).toString());
        QCOMPARE(notice.sessionUrl, created.json().value(QStringLiteral("session_url")).toString());
        QCOMPARE(notice.service, QStringLiteral("Example Bank"));
        QCOMPARE(notice.hint, QStringLiteral("code by SMS"));
        // The viewer token travels only inside the authenticated channel, never into the log.
        const QString fragment = QUrl(notice.sessionUrl).fragment();
        QVERIFY(fragment.startsWith(QStringLiteral("t=")));
        QVERIFY(!m_server.output().contains(fragment.mid(2)));
        client.stop();
    }

    // The agent's k and s (e2e) go into the link the device gets, and nowhere else:
    // not into the agent's answer, not into the log.
    void sessionRequestCarriesTheAgentsLinkValues()
    {
        device::DeviceClient client(m_keystore);
        QSignalSpy requests(&client, &device::DeviceClient::sessionRequested);
        client.start(m_account);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), device::DeviceClient::State::Online, 30'000);

        const QString k = QStringLiteral("iGEU9k6p8-Ak0-phKS3DGQ");
        const QString secret = QStringLiteral("SeCrEtAwQFBgcICQoLDA0A");
        HttpTestClient http;
        const HttpResult created = http.post(m_server.url(QStringLiteral("/session")), m_server.apiKey(),
                                             QStringLiteral(R"({"service":"Example Bank","login_hint":"dana@example.com",)"
                                                            R"("e2e":{"k":"%1","s":"%2"}})")
                                                 .arg(k, secret)
                                                 .toUtf8());
        QCOMPARE(created.status, 201);
        QVERIFY(!created.json().value(QStringLiteral("session_url")).toString().contains(secret));
        QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, 15'000);
        const auto notice = requests.first().first().value<device::SessionRequestNotice>();
        const auto link = protocol::SessionLinkParser::parse(notice.sessionUrl);
        QVERIFY2(link.ok(), qPrintable(link.ok() ? QString() : link.error().code));
        QCOMPARE(link->sessionId(), created.json().value(QStringLiteral("session_id")).toString());
        QCOMPARE(*link->keyFingerprint(), *protocol::SecureChannelV2::parseLinkValue(k.toLatin1()));
        QCOMPARE(*link->viewerSecret(), *protocol::SecureChannelV2::parseLinkValue(secret.toLatin1()));
        QVERIFY(!m_server.output().contains(secret));
        client.stop();
    }

    void revokedDeviceStops()
    {
        QCOMPARE(runCli(m_server, {QStringLiteral("devices"), QStringLiteral("revoke"), m_account.deviceId}).exitCode, 0);
        device::DeviceClient client(m_keystore);
        QSignalSpy failures(&client, &device::DeviceClient::failed);
        client.start(m_account);
        QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty(), 30'000);
        QCOMPARE(failures.first().first().value<Error>().code, QStringLiteral("device_revoked"));
        QCOMPARE(client.state(), device::DeviceClient::State::Failed);
    }

    void missingKeyIsShownNotHidden()
    {
        device::DeviceAccount ghost = m_account;
        ghost.keyName = QStringLiteral("device/none/missing");
        device::DeviceClient client(m_keystore);
        QSignalSpy failures(&client, &device::DeviceClient::failed);
        client.start(ghost);
        QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty(), 30'000);
        QCOMPARE(failures.first().first().value<Error>().code, QStringLiteral("key_missing"));
    }
};

QTEST_GUILESS_MAIN(tst_DeviceChannel)
#include "tst_DeviceChannel.moc"
