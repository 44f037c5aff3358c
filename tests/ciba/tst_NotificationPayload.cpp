// NotificationPayload: the bodies of ping and push notifications (CIBA Core 10.2,
// 10.3.1, 12) and the RFC 6750 b64token check of client notification tokens,
// table-driven; NotificationMetrics' Prometheus text.

#include "server/ciba/NotificationMetrics.h"
#include "server/ciba/NotificationPayload.h"
#include "server/ciba/TokenIssuer.h"

#include <QJsonObject>
#include <QTest>

using namespace handoff::server;

class tst_NotificationPayload final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bearerTokens_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<bool>("valid");
        QTest::newRow("letters and digits") << QStringLiteral("abcXYZ019") << true;
        QTest::newRow("all punctuation allowed") << QStringLiteral("a-b.c_d~e+f/g") << true;
        QTest::newRow("base64 padding") << QStringLiteral("dG9rZW4=") << true;
        QTest::newRow("double padding") << QStringLiteral("dG9rZQ==") << true;
        QTest::newRow("uuid") << QStringLiteral("8d67dc78-7faa-4d41-aabd-67707b37425c") << true;
        QTest::newRow("long") << QString(1024, QLatin1Char('x')) << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("only padding") << QStringLiteral("==") << false;
        QTest::newRow("padding inside") << QStringLiteral("ab=cd") << false;
        QTest::newRow("space") << QStringLiteral("ab cd") << false;
        QTest::newRow("tab") << QStringLiteral("ab\tcd") << false;
        QTest::newRow("CR LF header injection") << QStringLiteral("ab\r\nX-Other: 1") << false;
        QTest::newRow("LF") << QStringLiteral("ab\ncd") << false;
        QTest::newRow("NUL") << QStringLiteral("ab") + QChar(0) + QStringLiteral("cd") << false;
        QTest::newRow("comma") << QStringLiteral("a,b") << false;
        QTest::newRow("quote") << QStringLiteral("a\"b") << false;
        QTest::newRow("colon") << QStringLiteral("a:b") << false;
        QTest::newRow("non-ASCII letter") << QStringLiteral("t\u00e9st") << false;
        QTest::newRow("zero-width space") << QStringLiteral("ab\u200bcd") << false;
    }
    void bearerTokens()
    {
        QFETCH(QString, token);
        QFETCH(bool, valid);
        QCOMPARE(NotificationPayload::isBearerToken(token), valid);
    }

    void pingHoldsOnlyTheRequest()
    {
        QCOMPARE(NotificationPayload::ping(QStringLiteral("areq-1")), (QJsonObject{{QStringLiteral("auth_req_id"), QStringLiteral("areq-1")}}));
    }

    void pushOfTokens()
    {
        const IssuedTokens tokens{QStringLiteral("at.x.y"), QStringLiteral("id.x.y"), QStringLiteral("openid payments"), 300};
        const QJsonObject body = NotificationPayload::pushTokens(QStringLiteral("areq-2"), tokens);
        QCOMPARE(body, (QJsonObject{{QStringLiteral("auth_req_id"), QStringLiteral("areq-2")},
                                    {QStringLiteral("access_token"), QStringLiteral("at.x.y")},
                                    {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                    {QStringLiteral("expires_in"), 300},
                                    {QStringLiteral("id_token"), QStringLiteral("id.x.y")},
                                    {QStringLiteral("scope"), QStringLiteral("openid payments")}}));
        // The same fields as the token endpoint's answer, plus auth_req_id.
        QJsonObject fromTokenEndpoint = TokenIssuer::tokenResponse(tokens);
        fromTokenEndpoint.insert(QStringLiteral("auth_req_id"), QStringLiteral("areq-2"));
        QCOMPARE(body, fromTokenEndpoint);
    }

    void pushErrors_data()
    {
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("error");
        QTest::newRow("denied") << QStringLiteral("denied") << QStringLiteral("access_denied");
        QTest::newRow("expired") << QStringLiteral("expired") << QStringLiteral("expired_token");
        QTest::newRow("tokens could not be made") << QStringLiteral("failed") << QStringLiteral("transaction_failed");
        QTest::newRow("anything else") << QStringLiteral("approved?") << QStringLiteral("transaction_failed");
    }
    void pushErrors()
    {
        QFETCH(QString, outcome);
        QFETCH(QString, error);
        const QJsonObject body = NotificationPayload::pushError(QStringLiteral("areq-3"), outcome);
        QCOMPARE(body.size(), 3);
        QCOMPARE(body.value(QStringLiteral("auth_req_id")).toString(), QStringLiteral("areq-3"));
        QCOMPARE(body.value(QStringLiteral("error")).toString(), error);
        QVERIFY(!body.value(QStringLiteral("error_description")).toString().isEmpty());
    }

    void metricsText()
    {
        NotificationMetrics metrics;
        metrics.count(QStringLiteral("ping"), QStringLiteral("retry"));
        metrics.count(QStringLiteral("ping"), QStringLiteral("retry"));
        metrics.count(QStringLiteral("push"), QStringLiteral("delivered"));
        const QByteArray text = metrics.render({{QStringLiteral("pending"), 3}, {QStringLiteral("failed"), 1}});
        QVERIFY(text.contains("# TYPE handoff_ciba_notifications_total counter\n"));
        QVERIFY(text.contains("handoff_ciba_notifications_total{mode=\"ping\",result=\"retry\"} 2\n"));
        QVERIFY(text.contains("handoff_ciba_notifications_total{mode=\"push\",result=\"delivered\"} 1\n"));
        QVERIFY(text.contains("handoff_ciba_notifications_total{mode=\"push\",result=\"failed\"} 0\n"));
        QVERIFY(text.contains("# TYPE handoff_ciba_notifications gauge\n"));
        QVERIFY(text.contains("handoff_ciba_notifications{state=\"pending\"} 3\n"));
        QVERIFY(text.contains("handoff_ciba_notifications{state=\"delivered\"} 0\n"));
        QVERIFY(text.contains("handoff_ciba_notifications{state=\"failed\"} 1\n"));
    }
};

QTEST_GUILESS_MAIN(tst_NotificationPayload)
#include "tst_NotificationPayload.moc"
