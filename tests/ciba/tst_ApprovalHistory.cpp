// history_request on the device channel of a real handoff-server, through the
// app's real DeviceClient (key in the real keychain): after one request was
// approved, one denied, one left to expire and one still waits, historyReceived
// lists them newest first with the right outcome, times and deciding device name,
// and nothing of another user's requests.

#include "core/device/DeviceClient.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestServer.h"

#include <QSignalSpy>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_ApprovalHistory final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    PairedDevice m_device;
    CibaClient m_client;

    QString request(const QString& message, int expiry = 300, const QString& user = QStringLiteral("hana@example.com"))
    {
        const OAuthReply reply = bcAuthorize(m_server, m_client, user, message, expiry);
        return reply.json.value(QStringLiteral("auth_req_id")).toString();
    }

    QList<device::ApprovalHistoryEntry> history()
    {
        QSignalSpy received(&m_device.client(), &device::DeviceClient::historyReceived);
        m_device.client().requestHistory();
        if (!received.wait(15'000)) {
            return {};
        }
        return received.first().first().value<QList<device::ApprovalHistoryEntry>>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        for (const char* email : {"hana@example.com", "ivan@example.com"}) {
            QCOMPARE(runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QString::fromLatin1(email)}).exitCode, 0);
        }
        m_client = createClient(m_server, QStringLiteral("Billing bot"));
        QVERIFY(!m_client.secret.isEmpty());
        QVERIFY2(m_device.pair(m_server, QStringLiteral("hana@example.com"),
                               {.deviceName = QStringLiteral("Hana's laptop"), .addUser = false}),
                 qPrintable(m_device.errorString()));
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void emptyHistory()
    {
        QSignalSpy received(&m_device.client(), &device::DeviceClient::historyReceived);
        m_device.client().requestHistory();
        QVERIFY(received.wait(15'000));
        QVERIFY(received.first().first().value<QList<device::ApprovalHistoryEntry>>().isEmpty());
    }

    void outcomesNewestFirst()
    {
        // Another user's request must never show up in this user's history.
        Result<crypto::SigningKey> otherKey = crypto::SigningKey::generate();
        QVERIFY(otherKey.ok());
        QVERIFY(!pairHandDevice(m_server, *otherKey, QStringLiteral("ivan@example.com"), QStringLiteral("Ivan's phone")).isEmpty());
        const QString others = request(QStringLiteral("Ivan's own request"), 300, QStringLiteral("ivan@example.com"));
        QVERIFY(!others.isEmpty());

        const QString approved = request(QStringLiteral("Pay invoice 1001"));
        QVERIFY(!approved.isEmpty());
        QVERIFY(m_device.decide(approved, true));
        const QString denied = request(QStringLiteral("Pay invoice 1002"));
        QVERIFY(!denied.isEmpty());
        QVERIFY(m_device.decide(denied, false));
        const QString expired = request(QStringLiteral("Pay invoice 1003"), 1);
        QVERIFY(!expired.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_device.client().pendingRequest(expired).has_value(), 15'000);
        QTest::qWait(2100); // past its one-second expiry by the server's clock
        const QString pending = request(QStringLiteral("Pay invoice 1004"));
        QVERIFY(!pending.isEmpty());

        const QList<device::ApprovalHistoryEntry> entries = history();
        QCOMPARE(entries.size(), 4);
        QCOMPARE(entries.at(0).authReqId, pending);
        QCOMPARE(entries.at(1).authReqId, expired);
        QCOMPARE(entries.at(2).authReqId, denied);
        QCOMPARE(entries.at(3).authReqId, approved);

        QCOMPARE(entries.at(0).outcome, QStringLiteral("pending"));
        QCOMPARE(entries.at(1).outcome, QStringLiteral("expired"));
        QCOMPARE(entries.at(2).outcome, QStringLiteral("denied"));
        QCOMPARE(entries.at(3).outcome, QStringLiteral("approved"));

        QCOMPARE(entries.at(0).bindingMessage, QStringLiteral("Pay invoice 1004"));
        QCOMPARE(entries.at(3).bindingMessage, QStringLiteral("Pay invoice 1001"));
        for (const device::ApprovalHistoryEntry& entry : entries) {
            QCOMPARE(entry.clientName, QStringLiteral("Billing bot"));
            QCOMPARE(entry.scope, QStringLiteral("openid payments"));
            QVERIFY(QDateTime::fromString(entry.requestedAt, Qt::ISODate).isValid());
        }
        // Undecided ones name no device and no decision time.
        QVERIFY(entries.at(0).deviceName.isEmpty() && entries.at(0).decidedAt.isEmpty());
        QVERIFY(entries.at(1).deviceName.isEmpty() && entries.at(1).decidedAt.isEmpty());
        for (const int i : {2, 3}) {
            QCOMPARE(entries.at(i).deviceName, QStringLiteral("Hana's laptop"));
            const QDateTime decidedAt = QDateTime::fromString(entries.at(i).decidedAt, Qt::ISODate);
            QVERIFY(decidedAt.isValid());
            QVERIFY(decidedAt >= QDateTime::fromString(entries.at(i).requestedAt, Qt::ISODate));
        }
    }
};

QTEST_GUILESS_MAIN(tst_ApprovalHistory)
#include "tst_ApprovalHistory.moc"
