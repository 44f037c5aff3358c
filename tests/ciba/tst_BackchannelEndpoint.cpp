// POST /bc-authorize (CIBA Core 7 and 13) on a real handoff-server: a good
// request, and every error code the endpoint can give, each provoked:
// invalid_request, invalid_scope, unknown_user_id, missing_user_code,
// invalid_user_code, invalid_binding_message, invalid_client (401) and
// access_denied (no device; too many pending requests for one person). The new
// request reaches the user's online device as an approval_request.

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceClient.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/support/CibaCli.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace handoff;
using namespace handoff::test;

namespace {

using Parameters = QList<QPair<QString, QString>>;

struct Reply final {
    int status = 0;
    QJsonObject json;
    QByteArray wwwAuthenticate;
    QString error() const { return json.value(QStringLiteral("error")).toString(); }
};

} // namespace

class tst_BackchannelEndpoint final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    QNetworkAccessManager m_network;
    PairedDevice m_device;
    QString m_clientId;
    QString m_secret;
    QString m_pingId;
    QString m_pingSecret;

    Reply post(const QList<QPair<QString, QString>>& parameters, bool basic = true, const QString& id = {},
               const QString& secret = {}, const QByteArray& contentType = "application/x-www-form-urlencoded")
    {
        QUrlQuery form;
        for (const auto& [name, value] : parameters) {
            form.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        }
        QNetworkRequest request(m_server.url(QStringLiteral("/bc-authorize")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        const QString clientId = id.isNull() ? m_clientId : id;
        const QString clientSecret = secret.isNull() ? m_secret : secret;
        if (basic) {
            request.setRawHeader("Authorization", "Basic " + (clientId + QLatin1Char(':') + clientSecret).toUtf8().toBase64());
        }
        QNetworkReply* reply = m_network.post(request, form.query(QUrl::FullyEncoded).toUtf8());
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(15'000);
        Reply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.json = QJsonDocument::fromJson(reply->readAll()).object();
        result.wwwAuthenticate = reply->rawHeader("WWW-Authenticate");
        reply->deleteLater();
        return result;
    }

    static QList<QPair<QString, QString>> base(const QString& hint = QStringLiteral("erin@example.com"))
    {
        return {{QStringLiteral("scope"), QStringLiteral("openid payments")}, {QStringLiteral("login_hint"), hint}};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        for (const QString& email : {QStringLiteral("erin@example.com"), QStringLiteral("lonely@example.com")}) {
            QCOMPARE(runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), email}).exitCode, 0);
        }
        QCOMPARE(runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("coded@example.com"),
                                   QStringLiteral("--user-code"), QStringLiteral("2468")})
                     .exitCode,
                 0);
        const CliResult poll = runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                                 QStringLiteral("Refund bot"), QStringLiteral("--mode"), QStringLiteral("poll")});
        m_clientId = clientFieldFrom(poll.out, QStringLiteral("client_id"));
        m_secret = clientFieldFrom(poll.out, QStringLiteral("client_secret"));
        QVERIFY(!m_secret.isEmpty());
        const CliResult ping = runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                                 QStringLiteral("Pinger"), QStringLiteral("--mode"), QStringLiteral("ping"),
                                                 QStringLiteral("--notification-endpoint"), QStringLiteral("http://127.0.0.1:9/cb")});
        m_pingId = clientFieldFrom(ping.out, QStringLiteral("client_id"));
        m_pingSecret = clientFieldFrom(ping.out, QStringLiteral("client_secret"));

        QVERIFY2(m_device.pair(m_server, QStringLiteral("erin@example.com"),
                               {.deviceName = QStringLiteral("Laptop"), .addUser = false}),
                 qPrintable(m_device.errorString()));
        // The user with a user code has a device too, never online.
        Result<crypto::SigningKey> codedKey = crypto::SigningKey::generate();
        QVERIFY(codedKey.ok());
        QVERIFY(!pairHandDevice(m_server, *codedKey, QStringLiteral("coded@example.com"), QStringLiteral("Laptop"))
                     .isEmpty());
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        QVERIFY(!m_server.output().contains(m_secret));
    }

    void discoveryCarriesWhatOpenIdConnectRequires()
    {
        // OpenID Connect Discovery 1.0, 3: the REQUIRED provider metadata.
        QNetworkRequest request(m_server.url(QStringLiteral("/.well-known/openid-configuration")));
        QNetworkReply* reply = m_network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(15'000));
        const QJsonObject metadata = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        const QString issuer = m_server.baseUrl().toString();
        QCOMPARE(metadata.value(QStringLiteral("issuer")).toString(), issuer);
        QCOMPARE(metadata.value(QStringLiteral("authorization_endpoint")).toString(), issuer + QStringLiteral("/authorize"));
        QCOMPARE(metadata.value(QStringLiteral("token_endpoint")).toString(), issuer + QStringLiteral("/token"));
        QCOMPARE(metadata.value(QStringLiteral("jwks_uri")).toString(), issuer + QStringLiteral("/jwks"));
        for (const char* list : {"response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported"}) {
            QVERIFY2(metadata.value(QLatin1String(list)).isArray(), list);
        }
        // There is no front channel: no response type is served, and the
        // authorization endpoint says why instead of redirecting anyone anywhere.
        QCOMPARE(metadata.value(QStringLiteral("response_types_supported")).toArray(), QJsonArray());
        QNetworkRequest authorize(m_server.url(QStringLiteral("/authorize")));
        authorize.setUrl(QUrl(issuer + QStringLiteral("/authorize?response_type=code&client_id=x&redirect_uri=https%3A%2F%2Fevil.example")));
        QNetworkReply* front = m_network.get(authorize);
        QSignalSpy answered(front, &QNetworkReply::finished);
        QVERIFY(answered.wait(15'000));
        QCOMPARE(front->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        QVERIFY(front->rawHeader("Location").isEmpty());
        QCOMPARE(QJsonDocument::fromJson(front->readAll()).object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("unsupported_response_type"));
        front->deleteLater();
    }

    void goodRequestReachesTheDevice()
    {
        QSignalSpy requests(&m_device.client(), &device::DeviceClient::approvalRequested);
        QList<QPair<QString, QString>> parameters = base();
        parameters.append({QStringLiteral("binding_message"), QStringLiteral("Refund $120.00 to ACME Corp, order 1234")});
        parameters.append({QStringLiteral("requested_expiry"), QStringLiteral("120")});
        const Reply reply = post(parameters);
        QCOMPARE(reply.status, 200);
        const QString id = reply.json.value(QStringLiteral("auth_req_id")).toString();
        QVERIFY(id.size() >= 27); // at least 160 bits of base64url
        QCOMPARE(reply.json.value(QStringLiteral("expires_in")).toInt(), 120);
        QCOMPARE(reply.json.value(QStringLiteral("interval")).toInt(), 5);
        QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, 15'000);
        const auto request = requests.first().first().value<device::ApprovalRequest>();
        QCOMPARE(request.authReqId, id);
        QCOMPARE(request.clientName, QStringLiteral("Refund bot"));
        QCOMPARE(request.bindingMessage, QStringLiteral("Refund $120.00 to ACME Corp, order 1234"));
        QCOMPARE(request.scope, QStringLiteral("openid payments"));
        QCOMPARE(request.requestedAtTime().secsTo(request.expiresAtTime()), 120);
        // The binding message is not in the server's log.
        QVERIFY(!m_server.output().contains(QStringLiteral("ACME Corp")));

        // client_secret_post works too; requested_expiry is capped.
        QList<QPair<QString, QString>> viaPost = base();
        viaPost.append({QStringLiteral("client_id"), m_clientId});
        viaPost.append({QStringLiteral("client_secret"), m_secret});
        viaPost.append({QStringLiteral("requested_expiry"), QStringLiteral("999999")});
        const Reply posted = post(viaPost, false);
        QCOMPARE(posted.status, 200);
        QCOMPARE(posted.json.value(QStringLiteral("expires_in")).toInt(), 1800);
        QVERIFY(posted.json.value(QStringLiteral("auth_req_id")).toString() != id);
    }

    void invalidClient()
    {
        Reply reply = post(base(), true, m_clientId, QStringLiteral("wrong"));
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.error(), QStringLiteral("invalid_client"));
        QVERIFY(reply.wwwAuthenticate.startsWith("Basic"));
        reply = post(base(), false);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.error(), QStringLiteral("invalid_client"));
        reply = post(base(), true, QStringLiteral("cl_unknown"), m_secret);
        QCOMPARE(reply.status, 401);
        QList<QPair<QString, QString>> mismatch = base();
        mismatch.append({QStringLiteral("client_id"), m_pingId});
        reply = post(mismatch);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.error(), QStringLiteral("invalid_client"));
    }

    void invalidRequest_data()
    {
        QTest::addColumn<Parameters>("parameters");
        const auto with = [](QList<QPair<QString, QString>> list, const QString& name, const QString& value) {
            list.append({name, value});
            return list;
        };
        QTest::newRow("no scope") << QList<QPair<QString, QString>>{{QStringLiteral("login_hint"), QStringLiteral("erin@example.com")}};
        QTest::newRow("no hint") << QList<QPair<QString, QString>>{{QStringLiteral("scope"), QStringLiteral("openid")}};
        QTest::newRow("login_hint_token") << with(base(), QStringLiteral("login_hint_token"), QStringLiteral("x"));
        QTest::newRow("id_token_hint") << with(base(), QStringLiteral("id_token_hint"), QStringLiteral("x"));
        QTest::newRow("expiry zero") << with(base(), QStringLiteral("requested_expiry"), QStringLiteral("0"));
        QTest::newRow("expiry text") << with(base(), QStringLiteral("requested_expiry"), QStringLiteral("soon"));
        QTest::newRow("expiry negative") << with(base(), QStringLiteral("requested_expiry"), QStringLiteral("-5"));
        QTest::newRow("repeated parameter") << with(base(), QStringLiteral("scope"), QStringLiteral("openid"));
        QTest::newRow("both auth methods") << with(base(), QStringLiteral("client_secret"), QStringLiteral("x"));
    }

    void invalidRequest()
    {
        QFETCH(Parameters, parameters);
        const Reply reply = post(parameters);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.error(), QStringLiteral("invalid_request"));
        QVERIFY(!reply.json.value(QStringLiteral("error_description")).toString().isEmpty());
    }

    void invalidRequestOtherShapes()
    {
        Reply reply = post(base(), true, {}, {}, "application/json");
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.error(), QStringLiteral("invalid_request"));
        // Ping clients must send a client_notification_token of at most 1024 characters.
        reply = post(base(), true, m_pingId, m_pingSecret);
        QCOMPARE(reply.error(), QStringLiteral("invalid_request"));
        QList<QPair<QString, QString>> tooLong = base();
        tooLong.append({QStringLiteral("client_notification_token"), QString(1025, QLatin1Char('a'))});
        reply = post(tooLong, true, m_pingId, m_pingSecret);
        QCOMPARE(reply.error(), QStringLiteral("invalid_request"));
        QList<QPair<QString, QString>> ok = base(QStringLiteral("coded@example.com"));
        ok.append({QStringLiteral("client_notification_token"), QString(1024, QLatin1Char('a'))});
        ok.append({QStringLiteral("user_code"), QStringLiteral("2468")});
        reply = post(ok, true, m_pingId, m_pingSecret);
        QCOMPARE(reply.status, 200);
    }

    void invalidScope()
    {
        Reply reply = post({{QStringLiteral("scope"), QStringLiteral("payments")}, {QStringLiteral("login_hint"), QStringLiteral("erin@example.com")}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.error(), QStringLiteral("invalid_scope"));
        reply = post({{QStringLiteral("scope"), QStringLiteral("openid pay\"ments")}, {QStringLiteral("login_hint"), QStringLiteral("erin@example.com")}});
        QCOMPARE(reply.error(), QStringLiteral("invalid_scope"));
    }

    void unknownUser()
    {
        const Reply reply = post(base(QStringLiteral("nobody@example.com")));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.error(), QStringLiteral("unknown_user_id"));
    }

    void userCode()
    {
        Reply reply = post(base(QStringLiteral("coded@example.com")));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.error(), QStringLiteral("missing_user_code"));
        QList<QPair<QString, QString>> wrong = base(QStringLiteral("coded@example.com"));
        wrong.append({QStringLiteral("user_code"), QStringLiteral("1357")});
        reply = post(wrong);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.error(), QStringLiteral("invalid_user_code"));
        QList<QPair<QString, QString>> right = base(QStringLiteral("coded@example.com"));
        right.append({QStringLiteral("user_code"), QStringLiteral("2468")});
        reply = post(right);
        QCOMPARE(reply.status, 200);
    }

    void invalidBindingMessage_data()
    {
        QTest::addColumn<QString>("message");
        QTest::newRow("141 characters") << QString(141, QLatin1Char('x'));
        QTest::newRow("blank") << QStringLiteral("   ");
        QTest::newRow("newline") << QStringLiteral("Pay 5 EUR\nto Bob");
        QTest::newRow("bidi override") << QStringLiteral("Pay \u202e0021 EUR");
        QTest::newRow("zero width") << QStringLiteral("Pay\u200b 5 EUR");
        QTest::newRow("private use") << QStringLiteral("Pay \ue000");
    }

    void invalidBindingMessage()
    {
        QFETCH(QString, message);
        QList<QPair<QString, QString>> parameters = base();
        parameters.append({QStringLiteral("binding_message"), message});
        const Reply reply = post(parameters);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.error(), QStringLiteral("invalid_binding_message"));
    }

    void bindingMessageOf140CharactersIsFine()
    {
        QList<QPair<QString, QString>> parameters = base();
        parameters.append({QStringLiteral("binding_message"), QString(139, QChar(0x00e9)) + QStringLiteral("\u20ac")});
        // erin already has two pending requests (goodRequestReachesTheDevice); this is the third.
        QCOMPARE(post(parameters).status, 200);
    }

    void accessDenied()
    {
        // No paired device to ask.
        Reply reply = post(base(QStringLiteral("lonely@example.com")));
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.error(), QStringLiteral("access_denied"));
        // erin has three requests waiting: a fourth is denied without asking her.
        reply = post(base());
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.error(), QStringLiteral("access_denied"));
    }
};

QTEST_GUILESS_MAIN(tst_BackchannelEndpoint)
#include "tst_BackchannelEndpoint.moc"
