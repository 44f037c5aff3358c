// The body of POST /session, field by field: table-driven, bad cases included.

#include "server/session/CreateSessionRequest.h"

#include <QJsonDocument>
#include <QTest>

using namespace handoff::server;

class tst_CreateSessionRequest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errorField"); // empty: valid
        const auto ok = [](const char* name, const char* body) {
            QTest::newRow(name) << QByteArray(body) << QString();
        };
        const auto bad = [](const char* name, const char* body, const char* field) {
            QTest::newRow(name) << QByteArray(body) << QString::fromLatin1(field);
        };
        ok("minimal", "{\"service\":\"Bank\"}");
        ok("authloop sdk body", "{\"service\":\"GitHub\",\"cdp_url\":\"ws://127.0.0.1:9222/devtools/browser/x\",\"ttl\":300,"
                                "\"context\":{\"url\":\"https://github.com/login\",\"blocker_type\":\"otp\",\"hint\":\"6 digits\"}}");
        ok("nulls are absent", "{\"service\":\"Bank\",\"cdp_url\":null,\"ttl\":null,\"context\":null,\"login_hint\":null}");
        ok("context nulls", "{\"service\":\"Bank\",\"context\":{\"url\":null,\"blocker_type\":null,\"hint\":null}}");
        ok("ttl at minimum", "{\"service\":\"Bank\",\"ttl\":30}");
        ok("ttl at maximum", "{\"service\":\"Bank\",\"ttl\":3600}");
        ok("ttl as 60.0", "{\"service\":\"Bank\",\"ttl\":60.0}");
        ok("unknown fields ignored", "{\"service\":\"Bank\",\"future\":{\"x\":1}}");
        ok("service of 100 chars", QByteArray("{\"service\":\"" + QByteArray(100, 'a') + "\"}").constData());
        ok("hint of 200 chars", QByteArray("{\"service\":\"B\",\"context\":{\"hint\":\"" + QByteArray(200, 'h') + "\"}}").constData());
        ok("unicode service", "{\"service\":\"Banque d’épargne 🏦\"}");
        ok("every blocker type", "{\"service\":\"B\",\"context\":{\"blocker_type\":\"document_upload\"}}");
        ok("login hint", "{\"service\":\"B\",\"login_hint\":\"alice@example.com\"}");
        ok("e2e link values", "{\"service\":\"B\",\"login_hint\":\"a@b.c\",\"e2e\":{\"k\":\"iGEU9k6p8-Ak0-phKS3DGQ\","
                              "\"s\":\"SeCrEtAwQFBgcICQoLDA0A\"}}");
        ok("markup is plain text", "{\"service\":\"A<b>B</b>\",\"context\":{\"hint\":\"<a href=x>y</a>\"}}");

        bad("empty body", "", "body");
        bad("not json", "service=Bank", "body");
        bad("truncated json", "{\"service\":\"Bank\"", "body");
        bad("array", "[\"service\"]", "body");
        bad("string", "\"Bank\"", "body");
        bad("missing service", "{\"ttl\":60}", "service");
        bad("null service", "{\"service\":null}", "service");
        bad("numeric service", "{\"service\":42}", "service");
        bad("empty service", "{\"service\":\"\"}", "service");
        bad("blank service", "{\"service\":\"   \"}", "service");
        bad("service of 101 chars", QByteArray("{\"service\":\"" + QByteArray(101, 'a') + "\"}").constData(), "service");
        bad("control char in service", "{\"service\":\"Ba\\u0007nk\"}", "service");
        bad("numeric cdp_url", "{\"service\":\"B\",\"cdp_url\":9222}", "cdp_url");
        bad("ttl as string", "{\"service\":\"B\",\"ttl\":\"600\"}", "ttl");
        bad("ttl fractional", "{\"service\":\"B\",\"ttl\":60.5}", "ttl");
        bad("ttl too small", "{\"service\":\"B\",\"ttl\":29}", "ttl");
        bad("ttl too large", "{\"service\":\"B\",\"ttl\":3601}", "ttl");
        bad("ttl negative", "{\"service\":\"B\",\"ttl\":-1}", "ttl");
        bad("ttl huge", "{\"service\":\"B\",\"ttl\":1e300}", "ttl");
        bad("ttl boolean", "{\"service\":\"B\",\"ttl\":true}", "ttl");
        bad("context string", "{\"service\":\"B\",\"context\":\"otp\"}", "context");
        bad("context array", "{\"service\":\"B\",\"context\":[]}", "context");
        bad("unknown blocker type", "{\"service\":\"B\",\"context\":{\"blocker_type\":\"fingerprint\"}}", "context.blocker_type");
        bad("numeric blocker type", "{\"service\":\"B\",\"context\":{\"blocker_type\":1}}", "context.blocker_type");
        bad("hint of 201 chars", QByteArray("{\"service\":\"B\",\"context\":{\"hint\":\"" + QByteArray(201, 'h') + "\"}}").constData(), "context.hint");
        bad("numeric hint", "{\"service\":\"B\",\"context\":{\"hint\":5}}", "context.hint");
        bad("numeric url", "{\"service\":\"B\",\"context\":{\"url\":5}}", "context.url");
        bad("numeric login hint", "{\"service\":\"B\",\"login_hint\":5}", "login_hint");
        // What a person reads must read as written: no overrides, invisible or private characters.
        bad("right-to-left override in service", "{\"service\":\"Bank\\u202Eknab\"}", "service");
        bad("zero-width space in service", "{\"service\":\"Ba\\u200Bnk\"}", "service");
        bad("line separator in service", "{\"service\":\"Bank\\u2028Team\"}", "service");
        bad("private use in service", "{\"service\":\"Bank\\uE000\"}", "service");
        bad("right-to-left override in hint", "{\"service\":\"B\",\"context\":{\"hint\":\"PIN \\u202E\"}}",
            "context.hint");
        bad("newline in hint", "{\"service\":\"B\",\"context\":{\"hint\":\"a\\nb\"}}", "context.hint");
        bad("left-to-right mark in url", "{\"service\":\"B\",\"context\":{\"url\":\"https://a\\u200E.b\"}}",
            "context.url");
        bad("e2e not an object", "{\"service\":\"B\",\"e2e\":\"k\"}", "e2e");
        bad("e2e without s", "{\"service\":\"B\",\"e2e\":{\"k\":\"iGEU9k6p8-Ak0-phKS3DGQ\"}}", "e2e.s");
        bad("e2e k short", "{\"service\":\"B\",\"e2e\":{\"k\":\"iGEU9k6p8\",\"s\":\"SeCrEtAwQFBgcICQoLDA0A\"}}", "e2e.k");
        bad("e2e s padded", "{\"service\":\"B\",\"e2e\":{\"k\":\"iGEU9k6p8-Ak0-phKS3DGQ\",\"s\":\"SeCrEtAwQFBgcICQoLDA0A==\"}}",
            "e2e.s");
        bad("e2e s not canonical", "{\"service\":\"B\",\"e2e\":{\"k\":\"iGEU9k6p8-Ak0-phKS3DGQ\",\"s\":\"SeCrEtAwQFBgcICQoLDA0B\"}}",
            "e2e.s");
    }

    void parse()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, errorField);
        const auto request = CreateSessionRequest::parse(body, {});
        QCOMPARE(request.ok(), errorField.isEmpty());
        if (!request.ok()) {
            QCOMPARE(request.error().code, errorField);
            QVERIFY(!request.error().message.isEmpty());
        }
    }

    void valuesAreKept()
    {
        const auto request = CreateSessionRequest::parse(
            "{\"service\":\"GitHub\",\"cdp_url\":\"ws://x\",\"ttl\":300,\"context\":{\"url\":\"https://g\",\"blocker_type\":\"otp\",\"hint\":\"h\",\"extra\":1}}",
            {});
        QVERIFY(request.ok());
        QCOMPARE(request->service, QStringLiteral("GitHub"));
        QCOMPARE(request->cdpUrl, QStringLiteral("ws://x"));
        QCOMPARE(request->ttlSeconds, 300);
        QCOMPARE(request->context.size(), 3); // the unknown context field is not kept
        QCOMPARE(request->context.value(QStringLiteral("blocker_type")).toString(), QStringLiteral("otp"));
    }

    void e2eValuesAreKeptAndNeverInAnError()
    {
        const auto request = CreateSessionRequest::parse(
            "{\"service\":\"B\",\"e2e\":{\"k\":\"iGEU9k6p8-Ak0-phKS3DGQ\",\"s\":\"SeCrEtAwQFBgcICQoLDA0A\"}}", {});
        QVERIFY(request.ok());
        QCOMPARE(request->agentKeyFingerprint, QStringLiteral("iGEU9k6p8-Ak0-phKS3DGQ"));
        QCOMPARE(request->viewerSecret, QStringLiteral("SeCrEtAwQFBgcICQoLDA0A"));
        const auto bad = CreateSessionRequest::parse(
            "{\"service\":\"B\",\"e2e\":{\"k\":\"iGEU9k6p8-Ak0-phKS3DGQ\",\"s\":\"SeCrEtAwQFBgcICQoLDA0AB\"}}", {});
        QVERIFY(!bad.ok());
        QVERIFY(!bad.error().message.contains(QStringLiteral("SeCrEt")));
    }

    void defaultTtlAndLimitsFromConfig()
    {
        CreateSessionRequest::TtlLimits limits{1, 10, 5};
        QCOMPARE(CreateSessionRequest::parse("{\"service\":\"B\"}", limits)->ttlSeconds, 5);
        QCOMPARE(CreateSessionRequest::parse("{\"service\":\"B\",\"ttl\":1}", limits)->ttlSeconds, 1);
        QVERIFY(!CreateSessionRequest::parse("{\"service\":\"B\",\"ttl\":11}", limits).ok());
    }
};

QTEST_GUILESS_MAIN(tst_CreateSessionRequest)
#include "tst_CreateSessionRequest.moc"
