// The prompt-bombing block on a real handoff-server, with the app's real
// DeviceClient (key in the real keychain): after the person denies three requests
// of one client, that client's next /bc-authorize for them is access_denied (403,
// with a clear error_description) and the device receives the client_blocked
// notice; another client may still ask; once the block period is over (a short
// one here, --denial-block-duration) the client may ask again, and a single new
// denial does not block it at once.

#include "core/device/DeviceClient.h"
#include "server/ciba/DenialBlockPolicy.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestServer.h"

#include <QSignalSpy>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

namespace {
constexpr int blockSeconds = 4;
const QString user = QStringLiteral("lee@example.com");
} // namespace

class tst_DenialBlock final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    PairedDevice m_device;
    CibaClient m_pushy;
    CibaClient m_polite;

    QString ask(const CibaClient& client, const QString& message)
    {
        return bcAuthorize(m_server, client, user, message).json.value(QStringLiteral("auth_req_id")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start({QStringLiteral("--denial-block-duration"), QStringLiteral("%1s").arg(blockSeconds)}),
                 qPrintable(m_server.errorString()));
        QVERIFY2(m_device.pair(m_server, user, {.deviceName = QStringLiteral("Lee's laptop")}),
                 qPrintable(m_device.errorString()));
        m_pushy = createClient(m_server, QStringLiteral("Pushy bot"));
        m_polite = createClient(m_server, QStringLiteral("Polite bot"));
        QVERIFY(!m_pushy.secret.isEmpty() && !m_polite.secret.isEmpty());
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void threeDenialsBlockTheClient()
    {
        QSignalSpy notices(&m_device.client(), &device::DeviceClient::noticeReceived);
        for (int i = 1; i <= server::DenialBlockPolicy::DefaultDenials; ++i) {
            const QString id = ask(m_pushy, QStringLiteral("Approve login %1").arg(i));
            QVERIFY2(!id.isEmpty(), qPrintable(QStringLiteral("request %1 was refused").arg(i)));
            QVERIFY(m_device.decide(id, false));
            if (i < server::DenialBlockPolicy::DefaultDenials) {
                QVERIFY(notices.isEmpty());
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(notices.size(), 1, 15'000);
        QCOMPARE(notices.first().at(0).toString(), QStringLiteral("client_blocked"));
        const QString message = notices.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("Pushy bot")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("denied 3 requests")), qPrintable(message));

        const OAuthReply refused = bcAuthorize(m_server, m_pushy, user, QStringLiteral("Approve login 4"));
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.error(), QStringLiteral("access_denied"));
        const QString description = refused.json.value(QStringLiteral("error_description")).toString();
        QVERIFY2(description.contains(QStringLiteral("denied 3")) && description.contains(QStringLiteral("again after")),
                 qPrintable(description));
        // The person was not asked.
        QTest::qWait(300);
        QCOMPARE(m_device.client().pendingRequests().size(), 0);
    }

    void anotherClientMayStillAsk()
    {
        const QString id = ask(m_polite, QStringLiteral("Approve the weekly report"));
        QVERIFY(!id.isEmpty());
        QVERIFY(m_device.decide(id, true));
        // ...and the blocked one still may not.
        QCOMPARE(bcAuthorize(m_server, m_pushy, user, QStringLiteral("Approve login 5")).status, 403);
    }

    void blockEnds()
    {
        QTest::qWait(blockSeconds * 1000 + 500);
        const QString id = ask(m_pushy, QStringLiteral("Approve login 6"));
        QVERIFY2(!id.isEmpty(), "the block did not end");
        QSignalSpy notices(&m_device.client(), &device::DeviceClient::noticeReceived);
        // One more denial after the block is one, not four.
        QVERIFY(m_device.decide(id, false));
        const QString next = ask(m_pushy, QStringLiteral("Approve login 7"));
        QVERIFY2(!next.isEmpty(), "one denial after a block blocked again");
        QVERIFY(notices.isEmpty());
        QVERIFY(m_device.decide(next, true));
    }

    void unansweredRequestsCountToo()
    {
        // Ignoring a flood of prompts is a refusal too: three left to expire block the client.
        const CibaClient ignored = createClient(m_server, QStringLiteral("Ignored bot"));
        QSignalSpy notices(&m_device.client(), &device::DeviceClient::noticeReceived);
        for (int i = 1; i <= server::DenialBlockPolicy::DefaultDenials; ++i) {
            const QString id = authorize(m_server, ignored, user, QStringLiteral("Approve export %1").arg(i), 1);
            QVERIFY2(!id.isEmpty(), qPrintable(QStringLiteral("request %1 was refused").arg(i)));
            QVERIFY(m_device.waitClosed(id));
            QCOMPARE(m_device.closedOutcome(id), QStringLiteral("expired"));
        }
        QTRY_COMPARE_WITH_TIMEOUT(notices.size(), 1, 15'000);
        QCOMPARE(notices.first().at(0).toString(), QStringLiteral("client_blocked"));
        const QString message = notices.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("Ignored bot")) && message.contains(QStringLiteral("did not answer 3 requests")),
                 qPrintable(message));
        const OAuthReply refused = bcAuthorize(m_server, ignored, user, QStringLiteral("Approve export 4"));
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.error(), QStringLiteral("access_denied"));
        QVERIFY2(refused.json.value(QStringLiteral("error_description")).toString().contains(QStringLiteral("did not answer")),
                 qPrintable(refused.json.value(QStringLiteral("error_description")).toString()));
    }
};

QTEST_GUILESS_MAIN(tst_DenialBlock)
#include "tst_DenialBlock.moc"
