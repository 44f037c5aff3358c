// PROTOCOL section 1 against a real handoff-server on loopback: every row of the
// table, its status codes and error codes, bad input, the landing page, /healthz,
// /metrics and the keys command.

#include "tests/server/HttpTestClient.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestServer.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace handoff::test;

class tst_SessionApi final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    HttpTestClient m_http;
    QByteArray m_key;

    QJsonObject create(const QByteArray& body = "{\"service\":\"Example Bank\"}", const QByteArray& key = {})
    {
        const HttpResult result = m_http.post(m_server.url(QStringLiteral("/session")), key.isEmpty() ? m_key : key, body);
        if (result.status != 201) {
            qWarning() << "create failed:" << result.status << result.body;
            return {};
        }
        return result.json();
    }
    QUrl sessionUrl(const QString& id, const QString& suffix = {}) const
    {
        return m_server.url(QStringLiteral("/session/") + id + suffix);
    }
    QByteArray newKey(const QString& name)
    {
        QString output;
        if (m_server.runKeys({QStringLiteral("create"), QStringLiteral("--name"), name}, &output) != 0) {
            return {};
        }
        static const QRegularExpression pattern(QStringLiteral("(hk_[A-Za-z0-9]+_[A-Za-z0-9]+)"));
        return pattern.match(output).captured(1).toLatin1();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start({QStringLiteral("--min-ttl"), QStringLiteral("1")}), qPrintable(m_server.errorString()));
        m_key = m_server.apiKey();
        QVERIFY(m_key.startsWith("hk_"));
        QVERIFY(m_server.output().contains(QStringLiteral("shown only this once")));
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        // No log line holds the API key.
        const QString log = m_server.output();
        QCOMPARE(log.count(QString::fromLatin1(m_key)), 1); // only the first-start note
    }

    void createReturnsTheDocumentedFields()
    {
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const HttpResult result = m_http.post(m_server.url(QStringLiteral("/session")), m_key,
                                              "{\"service\":\"Example Bank\",\"cdp_url\":\"ws://127.0.0.1:9222/devtools/browser/abc\",\"ttl\":120,"
                                              "\"context\":{\"url\":\"https://bank.example/login\",\"blocker_type\":\"otp\",\"hint\":\"6 digits\"}}");
        QCOMPARE(result.status, 201);
        QVERIFY(result.header("Content-Type").startsWith("application/json"));
        const QJsonObject json = result.json();
        QCOMPARE(json.keys().size(), 5);
        const QString id = json.value(QStringLiteral("session_id")).toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^sess_[0-9A-Za-z]{22,}$")).match(id).hasMatch(), qPrintable(id));

        const QString sessionUrl = json.value(QStringLiteral("session_url")).toString();
        const QString prefix = m_server.baseUrl().toString() + QStringLiteral("/s/") + id + QStringLiteral("#t=");
        QVERIFY2(sessionUrl.startsWith(prefix), qPrintable(sessionUrl));
        const QString viewerToken = sessionUrl.mid(prefix.size());
        QVERIFY2(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{22,}$")).match(viewerToken).hasMatch(), qPrintable(viewerToken));

        const QString streamToken = json.value(QStringLiteral("stream_token")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{22,}$")).match(streamToken).hasMatch());
        QVERIFY(streamToken != viewerToken);
        QCOMPARE(json.value(QStringLiteral("stream_url")).toString(),
                 QStringLiteral("ws://127.0.0.1:%1/stream/%2").arg(m_server.port()).arg(id));

        const QDateTime expires = QDateTime::fromString(json.value(QStringLiteral("expires_at")).toString(), Qt::ISODate);
        QVERIFY(expires.isValid());
        QCOMPARE(expires.timeSpec(), Qt::UTC);
        QVERIFY(expires.toSecsSinceEpoch() >= before + 120);
        QVERIFY(expires.toSecsSinceEpoch() <= QDateTime::currentSecsSinceEpoch() + 121);
        QCOMPARE(result.header("Location"), QByteArray("/session/" + id.toLatin1()));
    }

    void idsAndTokensAreFresh()
    {
        QSet<QString> seen;
        for (int i = 0; i < 5; ++i) {
            const QJsonObject json = create();
            for (const char* field : {"session_id", "stream_token", "session_url"}) {
                const QString value = json.value(QLatin1String(field)).toString();
                QVERIFY(!value.isEmpty());
                QVERIFY(!seen.contains(value));
                seen.insert(value);
            }
        }
    }

    void getReturnsTheDocumentedFields()
    {
        const QJsonObject created = create("{\"service\":\"GitHub\",\"context\":{\"blocker_type\":\"captcha\"}}");
        const QString id = created.value(QStringLiteral("session_id")).toString();
        const HttpResult result = m_http.get(sessionUrl(id), m_key);
        QCOMPARE(result.status, 200);
        const QJsonObject json = result.json();
        QCOMPARE(json.value(QStringLiteral("session_id")).toString(), id);
        QCOMPARE(json.value(QStringLiteral("status")).toString(), QStringLiteral("PENDING"));
        QCOMPARE(json.value(QStringLiteral("service")).toString(), QStringLiteral("GitHub"));
        QCOMPARE(json.value(QStringLiteral("context")).toObject().value(QStringLiteral("blocker_type")).toString(),
                 QStringLiteral("captcha"));
        QVERIFY(QDateTime::fromString(json.value(QStringLiteral("created_at")).toString(), Qt::ISODate).isValid());
        QCOMPARE(json.value(QStringLiteral("expires_at")).toString(), created.value(QStringLiteral("expires_at")).toString());
        // The secrets are never shown again.
        QVERIFY(!result.body.contains(created.value(QStringLiteral("stream_token")).toString().toLatin1()));
    }

    void deleteCancels()
    {
        const QString id = create().value(QStringLiteral("session_id")).toString();
        HttpResult result = m_http.del(sessionUrl(id), m_key);
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json(), QJsonObject({{QStringLiteral("cancelled"), true}}));
        QCOMPARE(m_http.get(sessionUrl(id), m_key).json().value(QStringLiteral("status")).toString(), QStringLiteral("CANCELLED"));
        // Repeating the cancel changes nothing and says so; resolving a cancelled session conflicts.
        QCOMPARE(m_http.del(sessionUrl(id), m_key).status, 200);
        result = m_http.post(sessionUrl(id, QStringLiteral("/resolve")), m_key);
        QCOMPARE(result.status, 409);
        QCOMPARE(result.errorCode(), QStringLiteral("conflict"));
        QCOMPARE(m_http.get(sessionUrl(id), m_key).json().value(QStringLiteral("status")).toString(), QStringLiteral("CANCELLED"));
    }

    void resolveResolves()
    {
        const QString id = create().value(QStringLiteral("session_id")).toString();
        HttpResult result = m_http.post(sessionUrl(id, QStringLiteral("/resolve")), m_key);
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json(), QJsonObject({{QStringLiteral("resolved"), true}}));
        QCOMPARE(m_http.get(sessionUrl(id), m_key).json().value(QStringLiteral("status")).toString(), QStringLiteral("RESOLVED"));
        QCOMPARE(m_http.post(sessionUrl(id, QStringLiteral("/resolve")), m_key).status, 200);
        result = m_http.del(sessionUrl(id), m_key);
        QCOMPARE(result.status, 409);
        QCOMPARE(result.errorCode(), QStringLiteral("conflict"));
        QCOMPARE(m_http.get(sessionUrl(id), m_key).json().value(QStringLiteral("status")).toString(), QStringLiteral("RESOLVED"));
    }

    void expiredIs410()
    {
        const QString id = create("{\"service\":\"Short\",\"ttl\":1}").value(QStringLiteral("session_id")).toString();
        QVERIFY(!id.isEmpty());
        QTest::qWait(2200);
        for (const auto& [method, suffix] : {std::pair{QByteArray("GET"), QString()}, std::pair{QByteArray("DELETE"), QString()},
                                             std::pair{QByteArray("POST"), QStringLiteral("/resolve")}}) {
            const HttpResult result = m_http.send(method, sessionUrl(id, suffix), m_key);
            QCOMPARE(result.status, 410);
            QCOMPARE(result.errorCode(), QStringLiteral("expired"));
            QVERIFY(!result.json().value(QStringLiteral("message")).toString().isEmpty());
        }
    }

    void missingOrWrongKeyIs401_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("empty bearer") << QByteArray("Bearer ");
        QTest::newRow("basic") << QByteArray("Basic dXNlcjpwYXNz");
        QTest::newRow("unknown key") << QByteArray("Bearer hk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
        QTest::newRow("garbage") << QByteArray("Bearer <script>");
        QTest::newRow("key with one char changed") << QByteArray();
    }

    void missingOrWrongKeyIs401()
    {
        QFETCH(QByteArray, authorization);
        if (QByteArray(QTest::currentDataTag()) == "key with one char changed") {
            QByteArray key = m_key;
            key[key.size() - 1] = key.at(key.size() - 1) == 'a' ? 'b' : 'a';
            authorization = "Bearer " + key;
        }
        const QString id = create().value(QStringLiteral("session_id")).toString();
        const QList<std::pair<QByteArray, QUrl>> calls = {{"POST", m_server.url(QStringLiteral("/session"))},
                                                          {"GET", sessionUrl(id)},
                                                          {"DELETE", sessionUrl(id)},
                                                          {"POST", sessionUrl(id, QStringLiteral("/resolve"))}};
        for (const auto& [method, url] : calls) {
            QNetworkAccessManager manager;
            QNetworkRequest request(url);
            if (!authorization.isEmpty()) {
                request.setRawHeader("Authorization", authorization);
            }
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            QNetworkReply* reply = manager.sendCustomRequest(request, method, QByteArray("{\"service\":\"x\"}"));
            QVERIFY(QTest::qWaitFor([reply] { return reply->isFinished(); }, 10'000));
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
            const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
            QCOMPARE(json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_api_key"));
            QVERIFY(!json.value(QStringLiteral("message")).toString().isEmpty());
            reply->deleteLater();
        }
        // The session is untouched by the refused calls.
        QCOMPARE(m_http.get(sessionUrl(id), m_key).json().value(QStringLiteral("status")).toString(), QStringLiteral("PENDING"));
    }

    void revokedKeyIs401()
    {
        const QByteArray key = newKey(QStringLiteral("short-lived"));
        QVERIFY(!key.isEmpty());
        QCOMPARE(m_http.post(m_server.url(QStringLiteral("/session")), key, "{\"service\":\"x\"}").status, 201);
        const QString id = QString::fromLatin1(key.mid(3, 12));
        QCOMPARE(m_server.runKeys({QStringLiteral("revoke"), id}), 0);
        const HttpResult result = m_http.post(m_server.url(QStringLiteral("/session")), key, "{\"service\":\"x\"}");
        QCOMPARE(result.status, 401);
        QCOMPARE(result.errorCode(), QStringLiteral("invalid_api_key"));
    }

    void anotherKeysSessionIs403()
    {
        const QByteArray other = newKey(QStringLiteral("other team"));
        QVERIFY(!other.isEmpty());
        const QString id = create().value(QStringLiteral("session_id")).toString();
        for (const auto& [method, suffix] : {std::pair{QByteArray("GET"), QString()}, std::pair{QByteArray("DELETE"), QString()},
                                             std::pair{QByteArray("POST"), QStringLiteral("/resolve")}}) {
            const HttpResult result = m_http.send(method, sessionUrl(id, suffix), other);
            QCOMPARE(result.status, 403);
            QCOMPARE(result.errorCode(), QStringLiteral("forbidden"));
        }
        QCOMPARE(m_http.get(sessionUrl(id), m_key).json().value(QStringLiteral("status")).toString(), QStringLiteral("PENDING"));
    }

    void unknownSessionIs404_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("well-formed") << QStringLiteral("sess_0000000000000000000000");
        QTest::newRow("malformed") << QStringLiteral("nope");
        QTest::newRow("sql-ish") << QStringLiteral("sess_x'%20OR%20'1'='1");
        QTest::newRow("very long") << QStringLiteral("sess_") + QString(300, QLatin1Char('a'));
    }

    void unknownSessionIs404()
    {
        QFETCH(QString, id);
        for (const auto& [method, suffix] : {std::pair{QByteArray("GET"), QString()}, std::pair{QByteArray("DELETE"), QString()},
                                             std::pair{QByteArray("POST"), QStringLiteral("/resolve")}}) {
            const HttpResult result = m_http.send(method, QUrl(m_server.baseUrl().toString() + QStringLiteral("/session/") + id + suffix), m_key);
            QCOMPARE(result.status, 404);
            QCOMPARE(result.errorCode(), QStringLiteral("not_found"));
        }
    }

    void badBodyIs400WithTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("malformed json") << QByteArray("{\"service\":") << QStringLiteral("body");
        QTest::newRow("not an object") << QByteArray("[1,2]") << QStringLiteral("body");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("body");
        QTest::newRow("no service") << QByteArray("{\"ttl\":60}") << QStringLiteral("service");
        QTest::newRow("service wrong type") << QByteArray("{\"service\":[\"a\"]}") << QStringLiteral("service");
        QTest::newRow("service too long") << QByteArray("{\"service\":\"" + QByteArray(101, 'x') + "\"}") << QStringLiteral("service");
        QTest::newRow("ttl wrong type") << QByteArray("{\"service\":\"a\",\"ttl\":\"60\"}") << QStringLiteral("ttl");
        QTest::newRow("ttl out of range") << QByteArray("{\"service\":\"a\",\"ttl\":3601}") << QStringLiteral("ttl");
        QTest::newRow("context wrong type") << QByteArray("{\"service\":\"a\",\"context\":1}") << QStringLiteral("context");
        QTest::newRow("bad blocker type") << QByteArray("{\"service\":\"a\",\"context\":{\"blocker_type\":\"sms\"}}") << QStringLiteral("context.blocker_type");
        QTest::newRow("hint too long") << QByteArray("{\"service\":\"a\",\"context\":{\"hint\":\"" + QByteArray(201, 'h') + "\"}}") << QStringLiteral("context.hint");
        QTest::newRow("invalid utf-8") << QByteArray("{\"service\":\"\xff\xfe\"}") << QStringLiteral("body");
    }

    void badBodyIs400WithTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const QString bystander = create().value(QStringLiteral("session_id")).toString();
        const HttpResult result = m_http.post(m_server.url(QStringLiteral("/session")), m_key, body);
        QCOMPARE(result.status, 400);
        QCOMPARE(result.errorCode(), QStringLiteral("invalid_request"));
        QCOMPARE(result.json().value(QStringLiteral("field")).toString(), field);
        QVERIFY(!result.json().value(QStringLiteral("message")).toString().isEmpty());
        QCOMPARE(m_http.get(sessionUrl(bystander), m_key).status, 200);
    }

    void oversizedBodyIs413()
    {
        const QByteArray body = "{\"service\":\"x\",\"cdp_url\":\"" + QByteArray(70 * 1024, 'a') + "\"}";
        const HttpResult result = m_http.post(m_server.url(QStringLiteral("/session")), m_key, body);
        QCOMPARE(result.status, 413);
        QCOMPARE(result.errorCode(), QStringLiteral("payload_too_large"));
        QCOMPARE(m_http.get(m_server.url(QStringLiteral("/healthz"))).status, 200);
    }

    void unknownRoutesAre404AndWrongMethods405()
    {
        HttpResult result = m_http.get(m_server.url(QStringLiteral("/nope")), m_key);
        QCOMPARE(result.status, 404);
        QCOMPARE(result.errorCode(), QStringLiteral("not_found"));
        result = m_http.get(m_server.url(QStringLiteral("/session/a/b/c")), m_key);
        QCOMPARE(result.status, 404);
        result = m_http.get(m_server.url(QStringLiteral("/session")), m_key);
        QCOMPARE(result.status, 405);
        QCOMPARE(result.errorCode(), QStringLiteral("method_not_allowed"));
        QCOMPARE(result.header("Allow"), QByteArray("POST"));
        result = m_http.send("PUT", m_server.url(QStringLiteral("/session/sess_0000000000000000000000")), m_key, "{}");
        QCOMPARE(result.status, 405);
        QVERIFY(result.header("Allow").contains("DELETE"));
        result = m_http.get(m_server.url(QStringLiteral("/stream/sess_0000000000000000000000")));
        QCOMPARE(result.status, 426);
    }

    void rateLimitIs429()
    {
        const QByteArray key = newKey(QStringLiteral("busy"));
        int created = 0;
        HttpResult limited;
        for (int i = 0; i < 70 && limited.status == 0; ++i) {
            const HttpResult result = m_http.post(m_server.url(QStringLiteral("/session")), key, "{\"service\":\"x\"}");
            if (result.status == 201) {
                ++created;
            } else {
                limited = result;
            }
        }
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.errorCode(), QStringLiteral("rate_limited"));
        QVERIFY(limited.header("Retry-After").toInt() >= 1);
        QVERIFY2(created >= 60, qPrintable(QString::number(created)));
        // Another key is not held back.
        QCOMPARE(m_http.post(m_server.url(QStringLiteral("/session")), m_key, "{\"service\":\"x\"}").status, 201);
    }

    void landingPage()
    {
        const QJsonObject created = create();
        const QString id = created.value(QStringLiteral("session_id")).toString();
        HttpResult result = m_http.get(m_server.url(QStringLiteral("/s/") + id));
        QCOMPARE(result.status, 200);
        QVERIFY(result.header("Content-Type").startsWith("text/html"));
        const QByteArray csp = result.header("Content-Security-Policy");
        QVERIFY2(csp.contains("default-src 'none'") && csp.contains("script-src 'nonce-"), csp.constData());
        QCOMPARE(result.header("Referrer-Policy"), QByteArray("no-referrer"));
        QVERIFY(result.body.contains("Open in Handoff"));
        QVERIFY(result.body.contains("handoff://s/"));
        QVERIFY(result.body.contains(id.toLatin1()));
        QVERIFY(result.body.contains(m_server.baseUrl().toString().toLatin1()));
        // The nonce in the header is the one in the page, and no script runs without it.
        const QByteArray nonce = QRegularExpression(QStringLiteral("'nonce-([^']+)'")).match(QString::fromLatin1(csp)).captured(1).toLatin1();
        QVERIFY(!nonce.isEmpty());
        QCOMPARE(result.body.count("<script"), result.body.count("<script nonce=\"" + nonce + "\""));
        // Tokens travel only in the fragment: the page holds none.
        const QString viewerToken = created.value(QStringLiteral("session_url")).toString().section(QStringLiteral("#t="), 1);
        QVERIFY(!result.body.contains(viewerToken.toLatin1()));
        QVERIFY(!result.body.contains(created.value(QStringLiteral("stream_token")).toString().toLatin1()));
        // It says truthfully what it can and cannot protect: its own script comes
        // from the server, so it points to the handoff:// link the agent printed.
        QVERIFY(!result.body.contains("never reaches"));
        QVERIFY(result.body.contains("come from the server"));
        QVERIFY(result.body.contains("open that\none in the app instead"));

        result = m_http.get(m_server.url(QStringLiteral("/s/sess_0000000000000000000000")));
        QCOMPARE(result.status, 404);
        QVERIFY(result.header("Content-Type").startsWith("text/html"));
        result = m_http.get(m_server.url(QStringLiteral("/s/%3Cscript%3Ealert(1)%3C%2Fscript%3E")));
        QCOMPARE(result.status, 404);
        QVERIFY(!result.body.contains("<script>alert"));

        QCOMPARE(m_http.del(sessionUrl(id), m_key).status, 200);
        result = m_http.get(m_server.url(QStringLiteral("/s/") + id));
        QCOMPARE(result.status, 410);
        QVERIFY(result.body.contains("ended"));
    }

    // The page's button carries the whole fragment on to the app: t, k and s. Run
    // in a real browser, which executes the page's script.
    void landingPageKeepsTheWholeFragment()
    {
        const QString chromium = ChromiumProcess::executable();
        if (chromium.isEmpty()) {
            QSKIP("no Chromium executable on this machine");
        }
        const QString id = create().value(QStringLiteral("session_id")).toString();
        const QString fragment = QStringLiteral("t=SeCrEt-tok_0123456789AB&k=iGEU9k6p8-Ak0-phKS3DGQ&s=SeCrEtAwQFBgcICQoLDA0A");
        QTemporaryDir profile;
        QProcess browser;
        browser.start(chromium, {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                                 QStringLiteral("--no-first-run"), QStringLiteral("--disable-background-networking"),
                                 QStringLiteral("--disable-component-update"), QStringLiteral("--disable-sync"),
                                 QStringLiteral("--user-data-dir=") + profile.path(), QStringLiteral("--dump-dom"),
                                 m_server.url(QStringLiteral("/s/") + id).toString() + QLatin1Char('#') + fragment});
        QVERIFY(browser.waitForFinished(60000));
        const QString dom = QString::fromUtf8(browser.readAllStandardOutput());
        const QRegularExpression open(QStringLiteral("id=\"open\" href=\"([^\"]+)\""));
        const QString href = open.match(dom).captured(1).replace(QStringLiteral("&amp;"), QStringLiteral("&"));
        QVERIFY2(href.startsWith(QStringLiteral("handoff://s/") + id + QStringLiteral("?server=")), qPrintable(dom.left(200)));
        QVERIFY(href.endsWith(QLatin1Char('#') + fragment));
    }

    void healthAndMetrics()
    {
        HttpResult result = m_http.get(m_server.url(QStringLiteral("/healthz")));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        result = m_http.get(m_server.url(QStringLiteral("/metrics")));
        QCOMPARE(result.status, 200);
        QVERIFY(result.header("Content-Type").startsWith("text/plain"));
        const QString text = QString::fromUtf8(result.body);
        for (const char* line : {"handoff_sessions{status=\"PENDING\"}", "handoff_sessions{status=\"CANCELLED\"}",
                                 "handoff_sessions{status=\"TIMEOUT\"}", "handoff_open_sockets{role=\"agent\"}",
                                 "handoff_open_sockets{role=\"viewer\"}", "handoff_relayed_bytes_total{direction=\"agent_to_viewer\"}",
                                 "handoff_relayed_messages_total{direction=\"viewer_to_agent\"}",
                                 "handoff_dropped_messages_total{reason=\"backpressure\"}", "# TYPE handoff_sessions gauge"}) {
            QVERIFY2(text.contains(QLatin1String(line)), line);
        }
        const auto match = QRegularExpression(QStringLiteral("handoff_sessions\\{status=\"PENDING\"\\} (\\d+)")).match(text);
        QVERIFY(match.captured(1).toInt() > 0);
    }

    void keysCommand()
    {
        QString output;
        QCOMPARE(m_server.runKeys({QStringLiteral("list")}, &output), 0);
        QVERIFY2(output.contains(QStringLiteral("default")), qPrintable(output));
        QVERIFY(!output.contains(QString::fromLatin1(m_key))); // keys are never shown again
        QVERIFY(!output.contains(QString::fromLatin1(m_key.mid(16))));
        QCOMPARE(m_server.runKeys({QStringLiteral("revoke"), QStringLiteral("doesnotexist")}), 3);
        QCOMPARE(m_server.runKeys({QStringLiteral("create")}), 2); // --name is required
        QCOMPARE(m_server.runKeys({QStringLiteral("frobnicate")}), 2);
    }

    // The admin commands open the data directory as the server does: created
    // owner-only when missing, and a clear error when it cannot be.
    void keysCommandDataDirectory()
    {
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const QString fresh = scratch.filePath(QStringLiteral("fresh"));
        QProcess keys;
        keys.start(TestServer::program(), {QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--data-dir"), fresh});
        QVERIFY(keys.waitForFinished(30000));
        QCOMPARE(keys.exitCode(), 0);
        QCOMPARE(QFile::permissions(fresh) & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                                               | QFileDevice::WriteOther | QFileDevice::ExeGroup | QFileDevice::ExeOther),
                 QFileDevice::Permissions());

        QFile blocker(scratch.filePath(QStringLiteral("a-file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const QString impossible = blocker.fileName() + QStringLiteral("/data");
        keys.start(TestServer::program(), {QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--data-dir"), impossible});
        QVERIFY(keys.waitForFinished(30000));
        QCOMPARE(keys.exitCode(), 1);
        const QString error = QString::fromUtf8(keys.readAllStandardError());
        QVERIFY2(error.contains(QStringLiteral("cannot create the data directory")) && error.contains(impossible),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_SessionApi)
#include "tst_SessionApi.moc"
