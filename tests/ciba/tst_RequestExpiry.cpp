// The server's own expiry of CIBA requests on a real handoff-server, with the
// app's real DeviceClient (key in the real keychain) and a QTcpServer receiver as
// the notification endpoint: a request nobody answers is marked expired at its
// expires_at; the device's prompt is closed with approval_closed, outcome
// "expired"; a push client gets the expired_token error payload, a ping client
// its ping (and then expired_token at /token), a poll client expired_token; a
// request that expired while the server was down is ended, and its push sent,
// right after the start. (tst_ApprovalDecision: a signed decision that comes
// after the expiry is refused.)

#include "tests/ciba/CibaHttp.h"
#include "tests/support/NotificationReceiver.h"
#include "tests/support/PairedDevice.h"

#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_RequestExpiry final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    PairedDevice m_device;
    NotificationReceiver m_receiver;
    CibaClient m_poll;
    CibaClient m_ping;
    CibaClient m_push;
    const QString m_user = QStringLiteral("kim@example.com");

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_receiver.listen());
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        QVERIFY2(m_device.pair(m_server, m_user), qPrintable(m_device.errorString()));
        m_poll = createClient(m_server, QStringLiteral("Poll client"), QStringLiteral("poll"));
        m_ping = createClient(m_server, QStringLiteral("Ping client"), QStringLiteral("ping"), m_receiver.url(QStringLiteral("/ping")));
        m_push = createClient(m_server, QStringLiteral("Push client"), QStringLiteral("push"), m_receiver.url(QStringLiteral("/push")));
        QVERIFY(!m_poll.secret.isEmpty() && !m_ping.secret.isEmpty() && !m_push.secret.isEmpty());
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
    }

    void pushExpiredUnanswered()
    {
        const QString id = authorize(m_server, m_push, m_user, QStringLiteral("Nobody answers 1"), 2, QStringLiteral("expiry-push-1"));
        QVERIFY(!id.isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return m_device.saw(id); }, 15'000));
        // Closed on the device by the server, without anyone deciding.
        QVERIFY(m_device.waitClosed(id));
        QCOMPARE(m_device.closedOutcome(id), QStringLiteral("expired"));
        const auto push = m_receiver.waitFor(id, "/push");
        QVERIFY(push.has_value());
        QCOMPARE(push->header("authorization"), QByteArray("Bearer expiry-push-1"));
        const QJsonObject body = push->json();
        QCOMPARE(body.size(), 3);
        QCOMPARE(body.value(QStringLiteral("auth_req_id")).toString(), id);
        QCOMPARE(body.value(QStringLiteral("error")).toString(), QStringLiteral("expired_token"));
        QVERIFY(!body.value(QStringLiteral("error_description")).toString().isEmpty());
    }

    void pingExpiredUnanswered()
    {
        const QString id = authorize(m_server, m_ping, m_user, QStringLiteral("Nobody answers 2"), 1, QStringLiteral("expiry-ping-1"));
        QVERIFY(!id.isEmpty());
        const auto ping = m_receiver.waitFor(id, "/ping");
        QVERIFY(ping.has_value());
        QCOMPARE(ping->header("authorization"), QByteArray("Bearer expiry-ping-1"));
        QCOMPARE(ping->json(), (QJsonObject{{QStringLiteral("auth_req_id"), id}}));
        QCOMPARE(redeem(m_server, m_ping, id).error(), QStringLiteral("expired_token"));
        QVERIFY(m_device.waitClosed(id));
        QCOMPARE(m_device.closedOutcome(id), QStringLiteral("expired"));
    }

    void pollExpiredAndLateDecisionRefused()
    {
        const QString message = QStringLiteral("Nobody answers 3");
        const QString id = authorize(m_server, m_poll, m_user, message, 1);
        QVERIFY(!id.isEmpty());
        QVERIFY(m_device.waitClosed(id));
        QCOMPARE(m_device.closedOutcome(id), QStringLiteral("expired"));
        QCOMPARE(redeem(m_server, m_poll, id).error(), QStringLiteral("expired_token"));
        // The device forgot the request with the close: a decision is refused locally,
        // and poll clients get no notification.
        QVERIFY(!m_device.client().decide(id, false).ok());
        QCOMPARE(m_receiver.requestsTo({}).size(), 2);
    }

    void expiredWhileTheServerWasDown()
    {
        const QString id = authorize(m_server, m_push, m_user, QStringLiteral("Nobody answers 4"), 2, QStringLiteral("expiry-push-2"));
        QVERIFY(!id.isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return m_device.saw(id); }, 15'000));
        const qsizetype before = m_receiver.requestsTo("/push").size();
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        QTest::qWait(2500);
        QCOMPARE(m_receiver.requestsTo("/push").size(), before);
        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
        const auto push = m_receiver.waitFor(id, "/push");
        QVERIFY(push.has_value());
        QCOMPARE(m_receiver.requestsTo("/push").size(), before + 1);
        QCOMPARE(push->header("authorization"), QByteArray("Bearer expiry-push-2"));
        QCOMPARE(push->json().value(QStringLiteral("error")).toString(), QStringLiteral("expired_token"));
        // The device, back online, is not offered it again: it closes it as ended while away.
        QVERIFY(m_device.waitOnline());
        QVERIFY(m_device.waitClosed(id));
        QCOMPARE(m_device.closedOutcome(id), QStringLiteral("closed"));
    }
};

QTEST_GUILESS_MAIN(tst_RequestExpiry)
#include "tst_RequestExpiry.moc"
