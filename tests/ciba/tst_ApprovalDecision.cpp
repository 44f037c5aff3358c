// approval_decision on a real handoff-server: requests waiting while a device
// was offline arrive on reconnect; a decision with a bad signature, one signed for
// another request and one after expiry are refused; the first valid decision
// wins and the user's other devices get approval_closed naming who decided.
// Device A is the app's real DeviceClient (key in the real keychain); device B is
// driven by hand so that the test can sign whatever it likes.

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceClient.h"
#include "core/device/DeviceStatements.h"
#include "core/keystore/Keystore.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/server/HttpTestClient.h"
#include "tests/server/WsTestClient.h"
#include "tests/support/CibaCli.h"
#include "tests/support/FuzzSeed.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestServer.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_ApprovalDecision final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    keystore::Keystore m_keystore{device::DeviceClient::keychainService()};
    std::unique_ptr<device::DeviceClient> m_deviceA;
    device::DeviceAccount m_accountA;
    std::optional<crypto::SigningKey> m_keyB;
    QString m_deviceB;
    std::unique_ptr<WsTestClient> m_socketB;
    QString m_clientId;
    QString m_secret;
    QString m_identity;
    QString m_firstId;

    QString bcAuthorize(const QString& message, int expiry = 300)
    {
        const QByteArray body = "scope=openid&login_hint=frank%40example.com&requested_expiry=" + QByteArray::number(expiry)
                                + "&binding_message=" + QUrl::toPercentEncoding(message);
        return oauthPost(m_server, QStringLiteral("/bc-authorize"), body, m_clientId, m_secret)
            .json.value(QStringLiteral("auth_req_id"))
            .toString();
    }

    // Connects device B by hand; returns its welcome.
    QJsonObject connectB()
    {
        QUrl url = m_server.baseUrl();
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/device"));
        m_socketB = std::make_unique<WsTestClient>(url);
        if (!m_socketB->waitConnected() || !m_socketB->waitForCount(1)) {
            return {};
        }
        const QString nonce = m_socketB->messages.first().json().value(QStringLiteral("nonce")).toString();
        const QByteArray signature = *m_keyB->sign(device::DeviceStatements::deviceAuthentication(m_identity, m_deviceB, nonce));
        sendB(QJsonObject{{QStringLiteral("type"), QStringLiteral("authenticate")},
                          {QStringLiteral("device_id"), m_deviceB},
                          {QStringLiteral("signature"), b64url(signature)}});
        if (!m_socketB->waitForCount(2)) {
            return {};
        }
        return m_socketB->messages.at(1).json();
    }
    void sendB(const QJsonObject& message)
    {
        const QByteArray text = QJsonDocument(message).toJson(QJsonDocument::Compact);
        handoff::testutil::recordFuzzSeed("device_message", text);
        m_socketB->socket.sendTextMessage(QString::fromUtf8(text));
    }
    std::optional<QJsonObject> waitB(const QString& type, const QString& authReqId)
    {
        std::optional<QJsonObject> found;
        (void)QTest::qWaitFor([&] {
            for (const auto& message : std::as_const(m_socketB->messages)) {
                const QJsonObject json = message.json();
                if (json.value(QStringLiteral("type")).toString() == type
                    && json.value(QStringLiteral("auth_req_id")).toString() == authReqId) {
                    found = json;
                    return true;
                }
            }
            return false;
        }, 15'000);
        return found;
    }
    // B's decision on `request`, signed over `signedFor` (the same request, unless a test cheats).
    void decideB(const QString& authReqId, const device::ApprovalRequest& signedFor, const QString& decision)
    {
        const QString decidedAt = device::DeviceStatements::timestamp(QDateTime::currentMSecsSinceEpoch());
        const QByteArray signature = *m_keyB->sign(
            device::DeviceStatements::approvalDecision(m_identity, signedFor, m_deviceB, decision, decidedAt));
        sendB(QJsonObject{{QStringLiteral("type"), QStringLiteral("approval_decision")},
                          {QStringLiteral("auth_req_id"), authReqId},
                          {QStringLiteral("decision"), decision},
                          {QStringLiteral("decided_at"), decidedAt},
                          {QStringLiteral("signature"), b64url(signature)}});
    }
    device::ApprovalRequest requestSeenByB(const QString& authReqId)
    {
        const std::optional<QJsonObject> message = waitB(QStringLiteral("approval_request"), authReqId);
        return message ? *device::ApprovalRequest::fromJson(*message) : device::ApprovalRequest{};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_identity = device::DeviceStatements::serverIdentity(m_server.baseUrl());
        QCOMPARE(runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("frank@example.com")}).exitCode, 0);
        const CliResult client = runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                                   QStringLiteral("Deploy bot"), QStringLiteral("--mode"), QStringLiteral("poll")});
        m_clientId = clientFieldFrom(client.out, QStringLiteral("client_id"));
        m_secret = clientFieldFrom(client.out, QStringLiteral("client_secret"));

        // Device A: the real app client, paired but not online yet.
        m_deviceA = std::make_unique<device::DeviceClient>(m_keystore);
        Result<device::DeviceAccount> accountA =
            pairClient(m_server, *m_deviceA, QStringLiteral("frank@example.com"), QStringLiteral("Laptop A"));
        QVERIFY2(accountA.ok(), qPrintable(accountA ? QString() : accountA.error().message));
        m_accountA = *accountA;

        // Device B: paired by hand with a key the test holds.
        Result<crypto::SigningKey> generated = crypto::SigningKey::generate();
        QVERIFY(generated.ok());
        m_keyB.emplace(std::move(generated).value());
        m_deviceB = pairHandDevice(m_server, *m_keyB, QStringLiteral("frank@example.com"), QStringLiteral("Phone B"));
        QVERIFY(!m_deviceB.isEmpty());
    }

    void cleanupTestCase()
    {
        m_deviceA.reset();
        m_socketB.reset();
        m_keystore.remove(m_accountA.keyName, [](Result<void>) {});
        QTest::qWait(200);
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
    }

    void requestsWaitingWhileOfflineArriveOnConnect()
    {
        const QString id = bcAuthorize(QStringLiteral("Deploy release 4.2 to production"));
        QVERIFY(!id.isEmpty());
        m_firstId = id;
        QSignalSpy requests(m_deviceA.get(), &device::DeviceClient::approvalRequested);
        m_deviceA->start(m_accountA);
        QTRY_COMPARE_WITH_TIMEOUT(m_deviceA->state(), device::DeviceClient::State::Online, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, 15'000);
        QCOMPARE(requests.first().first().value<device::ApprovalRequest>().authReqId, id);

        const QJsonObject welcome = connectB();
        QCOMPARE(welcome.value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
        const QJsonArray pending = welcome.value(QStringLiteral("pending")).toArray();
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending.first().toObject().value(QStringLiteral("auth_req_id")).toString(), id);
        QCOMPARE(pending.first().toObject().value(QStringLiteral("binding_message")).toString(),
                 QStringLiteral("Deploy release 4.2 to production"));
    }

    void badSignatureAndOtherRequestAreRefused()
    {
        const QString first = m_firstId;
        const QString second = bcAuthorize(QStringLiteral("Rotate the API keys"));
        const device::ApprovalRequest secondSeen = requestSeenByB(second);
        QCOMPARE(secondSeen.authReqId, second);
        const device::ApprovalRequest firstSeen = *device::ApprovalRequest::fromJson(
            connectB().value(QStringLiteral("pending")).toArray().first().toObject());
        QCOMPARE(firstSeen.authReqId, first);

        // Signed over other text than the server holds.
        device::ApprovalRequest tampered = firstSeen;
        tampered.bindingMessage = QStringLiteral("Deploy release 4.3 to production");
        decideB(first, tampered, QStringLiteral("approve"));
        std::optional<QJsonObject> verdict = waitB(QStringLiteral("decision_result"), first);
        QVERIFY(verdict);
        QCOMPARE(verdict->value(QStringLiteral("accepted")).toBool(), false);
        QCOMPARE(verdict->value(QStringLiteral("error")).toString(), QStringLiteral("bad_signature"));

        // A valid signature for the first request, presented as a decision on the second.
        decideB(second, firstSeen, QStringLiteral("approve"));
        verdict = waitB(QStringLiteral("decision_result"), second);
        QVERIFY(verdict);
        QCOMPARE(verdict->value(QStringLiteral("accepted")).toBool(), false);
        QCOMPARE(verdict->value(QStringLiteral("error")).toString(), QStringLiteral("bad_signature"));

        // Unknown request.
        decideB(QStringLiteral("no-such-request"), firstSeen, QStringLiteral("deny"));
        verdict = waitB(QStringLiteral("decision_result"), QStringLiteral("no-such-request"));
        QVERIFY(verdict);
        QCOMPARE(verdict->value(QStringLiteral("error")).toString(), QStringLiteral("unknown_request"));
    }

    void firstDecisionWinsAndOthersAreTold()
    {
        const QString first = m_firstId;
        QSignalSpy results(m_deviceA.get(), &device::DeviceClient::decisionResult);
        // A approves through the real client.
        const device::ApprovalRequest requestA = *m_deviceA->pendingRequest(first);
        QVERIFY(m_deviceA->decide(first, true).ok());
        QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty(), 15'000);
        QCOMPARE(results.first().at(0).toString(), first);
        QCOMPARE(results.first().at(1).toBool(), true);

        const std::optional<QJsonObject> closed = waitB(QStringLiteral("approval_closed"), first);
        QVERIFY(closed);
        QCOMPARE(closed->value(QStringLiteral("outcome")).toString(), QStringLiteral("approved"));
        QCOMPARE(closed->value(QStringLiteral("by_device")).toString(), QStringLiteral("Laptop A"));

        // B's valid but late denial changes nothing.
        m_socketB->messages.clear();
        decideB(first, requestA, QStringLiteral("deny"));
        const std::optional<QJsonObject> verdict = waitB(QStringLiteral("decision_result"), first);
        QVERIFY(verdict);
        QCOMPARE(verdict->value(QStringLiteral("accepted")).toBool(), false);
        QCOMPARE(verdict->value(QStringLiteral("error")).toString(), QStringLiteral("already_decided"));
        QVERIFY(!m_deviceA->pendingRequest(first).has_value());
    }

    void decisionAfterExpiryIsRefused()
    {
        m_socketB->messages.clear();
        const QString id = bcAuthorize(QStringLiteral("Open the vault"), 2);
        const device::ApprovalRequest seen = requestSeenByB(id);
        QCOMPARE(seen.authReqId, id);
        QTRY_VERIFY_WITH_TIMEOUT(m_deviceA->pendingRequest(id).has_value(), 15'000);
        QSignalSpy closedOnA(m_deviceA.get(), &device::DeviceClient::approvalClosed);
        // The server ends it at its expiry and closes it on every device...
        const std::optional<QJsonObject> closed = waitB(QStringLiteral("approval_closed"), id);
        QVERIFY(closed);
        QCOMPARE(closed->value(QStringLiteral("outcome")).toString(), QStringLiteral("expired"));
        QTRY_COMPARE_WITH_TIMEOUT(closedOnA.size(), 1, 15'000);
        QCOMPARE(closedOnA.first().at(0).toString(), id);
        QCOMPARE(closedOnA.first().at(1).toString(), QStringLiteral("expired"));
        // ...so the app no longer holds it and will not try to approve it...
        QVERIFY(!m_deviceA->pendingRequest(id).has_value());
        QVERIFY(!m_deviceA->decide(id, true).ok());
        // ...and the server refuses a correctly signed one.
        decideB(id, seen, QStringLiteral("approve"));
        const std::optional<QJsonObject> verdict = waitB(QStringLiteral("decision_result"), id);
        QVERIFY(verdict);
        QCOMPARE(verdict->value(QStringLiteral("accepted")).toBool(), false);
        QCOMPARE(verdict->value(QStringLiteral("error")).toString(), QStringLiteral("expired"));
    }
};

QTEST_GUILESS_MAIN(tst_ApprovalDecision)
#include "tst_ApprovalDecision.moc"
