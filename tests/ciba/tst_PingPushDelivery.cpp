// CIBA ping and push delivery (CIBA Core 10.2, 10.3, 12) on a real handoff-server,
// with the approvals from the app's real DeviceClient (key in the real keychain)
// and a QTcpServer receiver as the clients' notification endpoint:
// - discovery advertises poll, ping and push;
// - ping: after an approval the endpoint gets {"auth_req_id"} with the client's
//   Bearer token; the grant is then redeemable at /token exactly once; after a
//   denial the ping comes too and /token answers access_denied;
// - push: the endpoint gets the token response whose ID token carries at_hash of
//   the access token and the auth_req_id claim, signed with the key of /jwks; the
//   request is redeemed; a denial pushes the access_denied error payload;
// - a malformed client_notification_token is refused at /bc-authorize;
// - /metrics counts the deliveries.

#include "tests/ciba/CibaHttp.h"
#include "tests/support/NotificationReceiver.h"
#include "tests/support/PairedDevice.h"

#include <QDateTime>
#include <QSet>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_PingPushDelivery final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    PairedDevice m_device;
    NotificationReceiver m_receiver;
    CibaClient m_ping;
    CibaClient m_push;
    const QString m_user = QStringLiteral("ivy@example.com");

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_receiver.listen());
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        QVERIFY2(m_device.pair(m_server, m_user), qPrintable(m_device.errorString()));
        m_ping = createClient(m_server, QStringLiteral("Ping client"), QStringLiteral("ping"), m_receiver.url(QStringLiteral("/ping")));
        m_push = createClient(m_server, QStringLiteral("Push client"), QStringLiteral("push"), m_receiver.url(QStringLiteral("/push")));
        QVERIFY(!m_ping.secret.isEmpty() && !m_push.secret.isEmpty());
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        // The notification token never reaches the log.
        QVERIFY(!m_server.output().contains(QStringLiteral("ping-secret-")));
        QVERIFY(!m_server.output().contains(QStringLiteral("push-secret-")));
    }

    void discoveryAdvertisesAllModes()
    {
        HttpTestClient http;
        const QJsonArray modes = http.get(m_server.url(QStringLiteral("/.well-known/openid-configuration")))
                                     .json()
                                     .value(QStringLiteral("backchannel_token_delivery_modes_supported"))
                                     .toArray();
        QCOMPARE(modes, (QJsonArray{QStringLiteral("poll"), QStringLiteral("ping"), QStringLiteral("push")}));
    }

    void malformedNotificationTokenRefused()
    {
        // It would be sent back in an Authorization header: CR/LF or spaces must never get there.
        for (const QString& token : {QStringLiteral("a b"), QStringLiteral("tok\r\nX-Evil: 1"), QStringLiteral("=abc"),
                                     QStringLiteral("t\u00e9")}) {
            const OAuthReply reply = postForm(m_server, QStringLiteral("/bc-authorize"),
                                              "scope=openid&login_hint=ivy%40example.com&client_notification_token="
                                                  + QUrl::toPercentEncoding(token),
                                              m_ping);
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.error(), QStringLiteral("invalid_request"));
        }
    }

    void pingApprovedThenRedeemedOnce()
    {
        const QString message = QStringLiteral("Ping approve 1");
        m_device.answer(message, true);
        const QString token = QStringLiteral("ping-secret-") + QString::number(QDateTime::currentMSecsSinceEpoch());
        const QString id = authorize(m_server, m_ping, m_user, message, 300, token);
        QVERIFY(!id.isEmpty());
        QVERIFY(m_device.waitDecided(id));
        const auto ping = m_receiver.waitFor(id, "/ping");
        QVERIFY(ping.has_value());
        QCOMPARE(ping->method, QByteArray("POST"));
        QCOMPARE(ping->header("authorization"), "Bearer " + token.toLatin1());
        QVERIFY(ping->header("content-type").startsWith("application/json"));
        QCOMPARE(ping->json(), (QJsonObject{{QStringLiteral("auth_req_id"), id}}));

        const OAuthReply granted = redeem(m_server, m_ping, id);
        QCOMPARE(granted.status, 200);
        const QString accessToken = granted.json.value(QStringLiteral("access_token")).toString();
        const QString idToken = granted.json.value(QStringLiteral("id_token")).toString();
        QVERIFY(verifiesWithJwks(m_server, idToken));
        QCOMPARE(jwtPart(idToken, 1).value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), id);
        QCOMPARE(jwtPart(idToken, 1).value(QStringLiteral("at_hash")).toString(), atHash(accessToken));
        QCOMPARE(redeem(m_server, m_ping, id).error(), QStringLiteral("invalid_grant"));
        // Exactly one ping for the request.
        QTest::qWait(300);
        QCOMPARE(m_receiver.requestsFor(id, "/ping").size(), 1);
    }

    void pingDenied()
    {
        const QString message = QStringLiteral("Ping deny 1");
        m_device.answer(message, false);
        const QString id = authorize(m_server, m_ping, m_user, message, 300, QStringLiteral("ping-secret-deny"));
        const auto ping = m_receiver.waitFor(id, "/ping");
        QVERIFY(ping.has_value());
        QCOMPARE(ping->header("authorization"), QByteArray("Bearer ping-secret-deny"));
        QCOMPARE(ping->json(), (QJsonObject{{QStringLiteral("auth_req_id"), id}}));
        QCOMPARE(redeem(m_server, m_ping, id).error(), QStringLiteral("access_denied"));
    }

    void pushApprovedDeliversTokens()
    {
        const QString message = QStringLiteral("Push approve 1");
        m_device.answer(message, true);
        const QString id = authorize(m_server, m_push, m_user, message, 300, QStringLiteral("push-secret-1"));
        QVERIFY(!id.isEmpty());
        const auto push = m_receiver.waitFor(id, "/push");
        QVERIFY(push.has_value());
        QCOMPARE(push->method, QByteArray("POST"));
        QCOMPARE(push->header("authorization"), QByteArray("Bearer push-secret-1"));
        const QJsonObject body = push->json();
        const QStringList fields = body.keys();
        QCOMPARE(QSet<QString>(fields.begin(), fields.end()),
                 (QSet<QString>{QStringLiteral("auth_req_id"), QStringLiteral("access_token"), QStringLiteral("token_type"),
                                QStringLiteral("expires_in"), QStringLiteral("id_token"), QStringLiteral("scope")}));
        QCOMPARE(body.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(body.value(QStringLiteral("expires_in")).toInt(), 300);
        QCOMPARE(body.value(QStringLiteral("scope")).toString(), QStringLiteral("openid payments"));

        const QString accessToken = body.value(QStringLiteral("access_token")).toString();
        const QString idToken = body.value(QStringLiteral("id_token")).toString();
        QVERIFY(verifiesWithJwks(m_server, accessToken));
        QVERIFY(verifiesWithJwks(m_server, idToken));
        const QJsonObject claims = jwtPart(idToken, 1);
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_server.baseUrl().toString());
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), m_push.id);
        QCOMPARE(claims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), id);
        QCOMPARE(claims.value(QStringLiteral("at_hash")).toString(), atHash(accessToken));
        QVERIFY(!claims.contains(QStringLiteral("urn:openid:params:jwt:claim:rt_hash"))); // no refresh token
        const QJsonObject access = jwtPart(accessToken, 1);
        QCOMPARE(access.value(QStringLiteral("client_id")).toString(), m_push.id);
        QCOMPARE(access.value(QStringLiteral("sub")).toString(), claims.value(QStringLiteral("sub")).toString());
        // Push clients never poll, before or after.
        QCOMPARE(redeem(m_server, m_push, id).error(), QStringLiteral("unauthorized_client"));
    }

    void pushDeniedDeliversError()
    {
        const QString message = QStringLiteral("Push deny 1");
        m_device.answer(message, false);
        const QString id = authorize(m_server, m_push, m_user, message, 300, QStringLiteral("push-secret-2"));
        const auto push = m_receiver.waitFor(id, "/push");
        QVERIFY(push.has_value());
        QCOMPARE(push->header("authorization"), QByteArray("Bearer push-secret-2"));
        const QJsonObject body = push->json();
        QCOMPARE(body.size(), 3);
        QCOMPARE(body.value(QStringLiteral("auth_req_id")).toString(), id);
        QCOMPARE(body.value(QStringLiteral("error")).toString(), QStringLiteral("access_denied"));
        QVERIFY(!body.value(QStringLiteral("error_description")).toString().isEmpty());
    }

    void metricsCountDeliveries()
    {
        QVERIFY(QTest::qWaitFor([&] {
            return metric(m_server, R"(handoff_ciba_notifications_total{mode="push",result="delivered"})") >= 2;
        }, 10'000));
        QVERIFY(metric(m_server, R"(handoff_ciba_notifications_total{mode="ping",result="delivered"})") >= 2);
        QCOMPARE(metric(m_server, R"(handoff_ciba_notifications{state="pending"})"), 0);
        QCOMPARE(metric(m_server, R"(handoff_ciba_notifications{state="failed"})"), 0);
        QCOMPARE(metric(m_server, R"(handoff_ciba_notifications{state="delivered"})"), 4);
    }
};

QTEST_GUILESS_MAIN(tst_PingPushDelivery)
#include "tst_PingPushDelivery.moc"
