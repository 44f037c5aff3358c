// Retries of CIBA ping and push notifications on a real handoff-server, approvals
// from the app's real DeviceClient, a QTcpServer receiver as the endpoint:
// - a receiver that answers 500, then closes the socket unanswered, then
//   redirects (never followed) gets the same notification again on later attempts
//   until it answers 2xx;
// - a push retried mints fresh tokens for each attempt, each consistent;
// - an endpoint that never answers is given up after the retry period, recorded as
//   failed and visible in /metrics and the log;
// - a ping whose auth_req_id the client redeemed at /token meanwhile is not
//   retried any more (superseded in the outbox);
// - a delivery cut off by a server stop is delivered after the restart.

#include "tests/ciba/CibaHttp.h"
#include "tests/support/NotificationReceiver.h"
#include "tests/support/PairedDevice.h"

#include <QTcpServer>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_NotificationRetries final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    PairedDevice m_device;
    NotificationReceiver m_receiver;
    CibaClient m_ping;
    CibaClient m_push;
    const QString m_user = QStringLiteral("jay@example.com");
    QString m_deadClient;

    bool waitNotifications(const QString& authReqId, const QByteArray& path, qsizetype count) const
    {
        return QTest::qWaitFor([&] { return m_receiver.requestsFor(authReqId, path).size() >= count; }, 30'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_receiver.listen());
        QVERIFY2(m_server.start({QStringLiteral("--notification-retry-initial"), QStringLiteral("200ms"),
                                 QStringLiteral("--notification-retry-max"), QStringLiteral("400ms"),
                                 QStringLiteral("--notification-retry-period"), QStringLiteral("4s")}),
                 qPrintable(m_server.errorString()));
        QVERIFY2(m_device.pair(m_server, m_user), qPrintable(m_device.errorString()));
        m_ping = createClient(m_server, QStringLiteral("Ping client"), QStringLiteral("ping"), m_receiver.url(QStringLiteral("/ping")));
        m_push = createClient(m_server, QStringLiteral("Push client"), QStringLiteral("push"), m_receiver.url(QStringLiteral("/push")));
        QVERIFY(!m_ping.secret.isEmpty() && !m_push.secret.isEmpty());
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        QVERIFY(m_server.output().contains(QStringLiteral("resuming 1 pending notification(s)")));
        QVERIFY(!m_server.output().contains(QStringLiteral("retry-secret")));
    }

    void pingRetriedUntilAnswered()
    {
        m_receiver.script({NotificationReceiver::Action::respond(500), NotificationReceiver::Action::close(),
                           NotificationReceiver::Action::respond(302)});
        const QString message = QStringLiteral("Retry ping 1");
        m_device.answer(message, true);
        const QString id = authorize(m_server, m_ping, m_user, message, 300, QStringLiteral("retry-secret-1"));
        QVERIFY(!id.isEmpty());
        QVERIFY(waitNotifications(id, "/ping", 4));
        const auto attempts = m_receiver.requestsFor(id, "/ping");
        for (const auto& attempt : attempts) {
            QCOMPARE(attempt.header("authorization"), QByteArray("Bearer retry-secret-1"));
            QCOMPARE(attempt.json(), (QJsonObject{{QStringLiteral("auth_req_id"), id}}));
        }
        QVERIFY(m_receiver.requestsTo("/elsewhere").isEmpty()); // the redirect was not followed
        QVERIFY(QTest::qWaitFor([&] {
            return metric(m_server, R"(handoff_ciba_notifications_total{mode="ping",result="delivered"})") == 1;
        }, 10'000));
        QVERIFY(metric(m_server, R"(handoff_ciba_notifications_total{mode="ping",result="retry"})") >= 2);
        // Delivered: no further attempts, and the grant is redeemable.
        QTest::qWait(800);
        QCOMPARE(m_receiver.requestsFor(id, "/ping").size(), attempts.size());
        QCOMPARE(redeem(m_server, m_ping, id).status, 200);
    }

    void pushRetriedWithFreshTokens()
    {
        m_receiver.script({NotificationReceiver::Action::respond(503)});
        const QString message = QStringLiteral("Retry push 1");
        m_device.answer(message, true);
        const QString id = authorize(m_server, m_push, m_user, message, 300, QStringLiteral("retry-secret-2"));
        QVERIFY(waitNotifications(id, "/push", 2));
        const auto attempts = m_receiver.requestsFor(id, "/push");
        const QString first = attempts.at(0).json().value(QStringLiteral("access_token")).toString();
        const QString second = attempts.at(1).json().value(QStringLiteral("access_token")).toString();
        QVERIFY(!first.isEmpty() && first != second);
        for (const auto& attempt : attempts) {
            const QJsonObject body = attempt.json();
            const QString idToken = body.value(QStringLiteral("id_token")).toString();
            QVERIFY(verifiesWithJwks(m_server, idToken));
            QCOMPARE(jwtPart(idToken, 1).value(QStringLiteral("at_hash")).toString(),
                     atHash(body.value(QStringLiteral("access_token")).toString()));
        }
    }

    void givenUpAfterThePeriod()
    {
        // An endpoint where nothing listens: every attempt is refused.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        QUrl endpoint(QStringLiteral("http://127.0.0.1/dead"));
        endpoint.setPort(closed.serverPort());
        closed.close();
        const CibaClient dead = createClient(m_server, QStringLiteral("Dead endpoint"), QStringLiteral("ping"), endpoint);
        const QString message = QStringLiteral("Retry dead 1");
        m_device.answer(message, true);
        const QString id = authorize(m_server, dead, m_user, message, 300, QStringLiteral("retry-secret-3"));
        QVERIFY(!id.isEmpty());
        QVERIFY(QTest::qWaitFor([&] {
            return metric(m_server, R"(handoff_ciba_notifications{state="failed"})") == 1;
        }, 30'000));
        QCOMPARE(metric(m_server, R"(handoff_ciba_notifications_total{mode="ping",result="failed"})"), 1);
        m_deadClient = dead.id;
        // The client can still redeem the approved grant itself.
        QCOMPARE(redeem(m_server, dead, id).status, 200);
    }

    void pingStopsOnceRedeemed()
    {
        m_receiver.script(QList<NotificationReceiver::Action>(100, NotificationReceiver::Action::respond(500)));
        const QString message = QStringLiteral("Retry redeemed 1");
        m_device.answer(message, true);
        const QString id = authorize(m_server, m_ping, m_user, message, 300, QStringLiteral("retry-secret-5"));
        QVERIFY(!id.isEmpty());
        QVERIFY(waitNotifications(id, "/ping", 2)); // being retried
        // The client did not wait for the ping: it polled and got its tokens.
        QCOMPARE(redeem(m_server, m_ping, id).status, 200);
        QCOMPARE(metric(m_server, R"(handoff_ciba_notifications{state="superseded"})"), qint64(1));
        const qsizetype attempts = m_receiver.requestsFor(id, "/ping").size();
        QTest::qWait(1500); // several retry delays (200-400 ms)
        // At most the one attempt already under way when it was redeemed.
        QVERIFY2(m_receiver.requestsFor(id, "/ping").size() <= attempts + 1,
                 qPrintable(QStringLiteral("%1 attempts, then %2").arg(attempts).arg(m_receiver.requestsFor(id, "/ping").size())));
        m_receiver.script({});
    }

    void deliveredAfterRestart()
    {
        m_receiver.script({NotificationReceiver::Action::hold()});
        const QString message = QStringLiteral("Retry restart 1");
        m_device.answer(message, true);
        const QString id = authorize(m_server, m_ping, m_user, message, 300, QStringLiteral("retry-secret-4"));
        QVERIFY(waitNotifications(id, "/ping", 1)); // under way, never answered
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        QCOMPARE(m_receiver.requestsFor(id, "/ping").size(), 1);
        // The log of the run so far tells each failure and the final one, never the token.
        const QString log = m_server.output();
        QVERIFY(log.contains(QStringLiteral("failed on attempt 1 (HTTP 500)")));
        QVERIFY(log.contains(QStringLiteral("(HTTP 302 (redirects are not followed))")));
        QVERIFY(log.contains(QStringLiteral("gave up on the ping notification to client %1").arg(m_deadClient)));
        QVERIFY(log.contains(QStringLiteral("last error: connection refused")));
        QVERIFY(!log.contains(QStringLiteral("retry-secret")));
        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
        QVERIFY(waitNotifications(id, "/ping", 2));
        QCOMPARE(m_receiver.requestsFor(id, "/ping").at(1).header("authorization"), QByteArray("Bearer retry-secret-4"));
        QVERIFY(QTest::qWaitFor([&] {
            return metric(m_server, R"(handoff_ciba_notifications_total{mode="ping",result="delivered"})") == 1;
        }, 10'000));
        QCOMPARE(metric(m_server, R"(handoff_ciba_notifications{state="pending"})"), 0);
        QCOMPARE(metric(m_server, R"(handoff_ciba_notifications{state="failed"})"), 1); // kept across the restart
    }
};

QTEST_GUILESS_MAIN(tst_NotificationRetries)
#include "tst_NotificationRetries.moc"
