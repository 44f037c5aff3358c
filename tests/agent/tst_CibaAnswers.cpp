// CibaAnswers: the answers of a CIBA provider as a poll-mode client reads them.
// Table-driven: good backchannel and token answers, and many more malformed
// ones (missing, mistyped, out-of-range and oversized fields, non-JSON,
// unexpected statuses, hostile error descriptions), each mapped to the right
// outcome and a clear error; the ID token claim checks likewise.

#include "agent/approval/CibaAnswers.h"
#include "tests/support/FuzzSeed.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace handoff;
using namespace handoff::agent;

Q_DECLARE_METATYPE(TokenAnswer::Kind)

namespace {

QByteArray json(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString b64url(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString jwt(const QJsonObject& header, const QJsonObject& claims, const QString& signature = QStringLiteral("c2ln"))
{
    return b64url(json(header)) + QLatin1Char('.') + b64url(json(claims)) + QLatin1Char('.') + signature;
}

const QString Issuer = QStringLiteral("https://handoff.example.com");
const QString ClientId = QStringLiteral("cl_abc");
const QString AuthReqId = QStringLiteral("req-1");
constexpr qint64 Now = 1'700'000'000;

QJsonObject goodClaims()
{
    return QJsonObject{{QStringLiteral("iss"), Issuer},
                       {QStringLiteral("sub"), QStringLiteral("usr_1")},
                       {QStringLiteral("aud"), ClientId},
                       {QStringLiteral("iat"), Now},
                       {QStringLiteral("exp"), Now + 300},
                       {QStringLiteral("urn:openid:params:jwt:claim:auth_req_id"), AuthReqId}};
}

QJsonObject es256()
{
    return QJsonObject{{QStringLiteral("alg"), QStringLiteral("ES256")}, {QStringLiteral("typ"), QStringLiteral("JWT")}};
}

QJsonObject goodTokens()
{
    return QJsonObject{{QStringLiteral("access_token"), QStringLiteral("eyJ.access.token")},
                       {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                       {QStringLiteral("expires_in"), 300},
                       {QStringLiteral("id_token"), jwt(es256(), goodClaims())},
                       {QStringLiteral("scope"), QStringLiteral("openid payments")}};
}

QJsonObject with(QJsonObject object, const QString& key, const QJsonValue& value)
{
    if (value.isUndefined()) {
        object.remove(key);
    } else {
        object.insert(key, value);
    }
    return object;
}

QByteArray oauthError(const QString& code, const QString& description = {})
{
    QJsonObject object{{QStringLiteral("error"), code}};
    if (!description.isNull()) {
        object.insert(QStringLiteral("error_description"), description);
    }
    return json(object);
}

} // namespace

class TestCibaAnswers final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void authenticationGood_data();
    void authenticationGood();
    void authenticationBad_data();
    void authenticationBad();
    void token_data();
    void token();
    void grantedTokens();
    void oauthErrorText_data();
    void oauthErrorText();
    void idToken_data();
    void idToken();
};

void TestCibaAnswers::authenticationGood_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("authReqId");
    QTest::addColumn<int>("expiresIn");
    QTest::addColumn<int>("interval");
    const QJsonObject base{{QStringLiteral("auth_req_id"), QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1")},
                           {QStringLiteral("expires_in"), 120},
                           {QStringLiteral("interval"), 2}};
    QTest::newRow("all fields") << json(base) << QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1") << 120 << 2;
    QTest::newRow("no interval") << json(with(base, QStringLiteral("interval"), QJsonValue::Undefined))
                                 << QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1") << 120 << 0;
    QTest::newRow("numbers as strings") << json(with(with(base, QStringLiteral("expires_in"), QStringLiteral("300")),
                                                     QStringLiteral("interval"), QStringLiteral("5")))
                                        << QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1") << 300 << 5;
    QTest::newRow("whole number as float") << json(with(base, QStringLiteral("expires_in"), 60.0))
                                           << QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1") << 60 << 2;
    QTest::newRow("extra fields ignored") << json(with(base, QStringLiteral("x-extra"), QJsonArray{1, 2}))
                                          << QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1") << 120 << 2;
    QTest::newRow("longest id") << json(with(base, QStringLiteral("auth_req_id"), QString(1024, u'a')))
                                << QString(1024, u'a') << 120 << 2;
}

void TestCibaAnswers::authenticationGood()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, authReqId);
    QFETCH(int, expiresIn);
    QFETCH(int, interval);
    handoff::testutil::recordFuzzSeed("ciba_answers", body);
    const Result<BackchannelGrant> grant = CibaAnswers::parseAuthentication(200, body);
    QVERIFY2(grant.ok(), qPrintable(grant.ok() ? QString() : grant.error().message));
    QCOMPARE(grant->authReqId, authReqId);
    QCOMPARE(grant->expiresIn, expiresIn);
    QCOMPARE(grant->interval, interval);
}

void TestCibaAnswers::authenticationBad_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    const QJsonObject base{{QStringLiteral("auth_req_id"), QStringLiteral("abc")},
                           {QStringLiteral("expires_in"), 120},
                           {QStringLiteral("interval"), 2}};
    const auto field = [&](const QString& name, const QJsonValue& value) { return json(with(base, name, value)); };
    const QString bad = QStringLiteral("bad_server_answer");
    QTest::newRow("no answer") << 0 << QByteArray() << QStringLiteral("server_unreachable");
    QTest::newRow("empty body") << 200 << QByteArray() << bad;
    QTest::newRow("not json") << 200 << QByteArray("<html>hello</html>") << bad;
    QTest::newRow("json array") << 200 << QByteArray("[1,2]") << bad;
    QTest::newRow("json string") << 200 << QByteArray("\"abc\"") << bad;
    QTest::newRow("truncated json") << 200 << QByteArray("{\"auth_req_id\":\"abc\",\"expires_in\":") << bad;
    QTest::newRow("empty object") << 200 << QByteArray("{}") << bad;
    QTest::newRow("no auth_req_id") << 200 << field(QStringLiteral("auth_req_id"), QJsonValue::Undefined) << bad;
    QTest::newRow("auth_req_id number") << 200 << field(QStringLiteral("auth_req_id"), 12345) << bad;
    QTest::newRow("auth_req_id null") << 200 << field(QStringLiteral("auth_req_id"), QJsonValue::Null) << bad;
    QTest::newRow("auth_req_id empty") << 200 << field(QStringLiteral("auth_req_id"), QString()) << bad;
    QTest::newRow("auth_req_id too long") << 200 << field(QStringLiteral("auth_req_id"), QString(1025, u'a')) << bad;
    QTest::newRow("auth_req_id with space") << 200 << field(QStringLiteral("auth_req_id"), QStringLiteral("a b")) << bad;
    QTest::newRow("auth_req_id with newline") << 200 << field(QStringLiteral("auth_req_id"), QStringLiteral("a\nb")) << bad;
    QTest::newRow("auth_req_id not ascii") << 200 << field(QStringLiteral("auth_req_id"), QStringLiteral("r\u00e9q")) << bad;
    QTest::newRow("no expires_in") << 200 << field(QStringLiteral("expires_in"), QJsonValue::Undefined) << bad;
    QTest::newRow("expires_in zero") << 200 << field(QStringLiteral("expires_in"), 0) << bad;
    QTest::newRow("expires_in negative") << 200 << field(QStringLiteral("expires_in"), -10) << bad;
    QTest::newRow("expires_in fraction") << 200 << field(QStringLiteral("expires_in"), 1.5) << bad;
    QTest::newRow("expires_in huge") << 200 << field(QStringLiteral("expires_in"), 1e12) << bad;
    QTest::newRow("expires_in over a day") << 200 << field(QStringLiteral("expires_in"), 86401) << bad;
    QTest::newRow("expires_in text") << 200 << field(QStringLiteral("expires_in"), QStringLiteral("soon")) << bad;
    QTest::newRow("expires_in signed text") << 200 << field(QStringLiteral("expires_in"), QStringLiteral("-5")) << bad;
    QTest::newRow("expires_in bool") << 200 << field(QStringLiteral("expires_in"), true) << bad;
    QTest::newRow("expires_in object") << 200 << field(QStringLiteral("expires_in"), QJsonObject{}) << bad;
    QTest::newRow("interval zero") << 200 << field(QStringLiteral("interval"), 0) << bad;
    QTest::newRow("interval negative") << 200 << field(QStringLiteral("interval"), -1) << bad;
    QTest::newRow("interval fraction") << 200 << field(QStringLiteral("interval"), 0.5) << bad;
    QTest::newRow("interval too long") << 200 << field(QStringLiteral("interval"), 3601) << bad;
    QTest::newRow("interval null") << 200 << field(QStringLiteral("interval"), QJsonValue::Null) << bad;
    QTest::newRow("interval text") << 200 << field(QStringLiteral("interval"), QStringLiteral("fast")) << bad;
    QTest::newRow("too large") << 200 << (json(base) + QByteArray(70 * 1024, ' ')) << bad;
    QTest::newRow("invalid_client") << 401 << oauthError(QStringLiteral("invalid_client"), QStringLiteral("wrong secret"))
                                    << QStringLiteral("invalid_client");
    QTest::newRow("unknown_user_id") << 400 << oauthError(QStringLiteral("unknown_user_id")) << QStringLiteral("unknown_user_id");
    QTest::newRow("invalid_binding_message") << 400 << oauthError(QStringLiteral("invalid_binding_message"))
                                             << QStringLiteral("invalid_binding_message");
    QTest::newRow("access_denied 403") << 403 << oauthError(QStringLiteral("access_denied")) << QStringLiteral("access_denied");
    QTest::newRow("400 without body") << 400 << QByteArray() << QStringLiteral("http_400");
    QTest::newRow("400 html") << 400 << QByteArray("<h1>Bad</h1>") << QStringLiteral("http_400");
    QTest::newRow("400 error not text") << 400 << QByteArray("{\"error\":42}") << QStringLiteral("http_400");
    QTest::newRow("400 error with quote") << 400 << oauthError(QStringLiteral("bad\"code")) << QStringLiteral("http_400");
    QTest::newRow("400 error with newline") << 400 << oauthError(QStringLiteral("bad\ncode")) << QStringLiteral("http_400");
    QTest::newRow("400 error too long") << 400 << oauthError(QString(101, u'e')) << QStringLiteral("http_400");
    QTest::newRow("400 error empty") << 400 << oauthError(QString()) << QStringLiteral("http_400");
    QTest::newRow("404") << 404 << QByteArray("not found") << QStringLiteral("http_404");
    QTest::newRow("302") << 302 << QByteArray() << QStringLiteral("http_302");
    QTest::newRow("500 with oauth error") << 500 << oauthError(QStringLiteral("server_error")) << QStringLiteral("http_500");
    QTest::newRow("503") << 503 << QByteArray() << QStringLiteral("http_503");
    QTest::newRow("201") << 201 << json(base) << QStringLiteral("http_201");
}

void TestCibaAnswers::authenticationBad()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    handoff::testutil::recordFuzzSeed("ciba_answers", body);
    const Result<BackchannelGrant> grant = CibaAnswers::parseAuthentication(status, body, QStringLiteral("Connection refused"));
    QVERIFY(!grant.ok());
    QCOMPARE(grant.error().code, code);
    QVERIFY(!grant.error().message.isEmpty());
}

void TestCibaAnswers::token_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<TokenAnswer::Kind>("kind");
    QTest::addColumn<QString>("code");
    using Kind = TokenAnswer::Kind;
    const auto tokens = [](const QString& name, const QJsonValue& value) { return json(with(goodTokens(), name, value)); };
    const QString bad = QStringLiteral("bad_token_answer");

    QTest::newRow("granted") << 200 << json(goodTokens()) << Kind::Granted << QString();
    QTest::newRow("granted, lower-case bearer") << 200 << tokens(QStringLiteral("token_type"), QStringLiteral("bearer"))
                                                << Kind::Granted << QString();
    QTest::newRow("granted without scope") << 200 << tokens(QStringLiteral("scope"), QJsonValue::Undefined) << Kind::Granted
                                           << QString();
    QTest::newRow("granted without expires_in") << 200 << tokens(QStringLiteral("expires_in"), QJsonValue::Undefined)
                                                << Kind::Granted << QString();
    QTest::newRow("pending") << 400 << oauthError(QStringLiteral("authorization_pending")) << Kind::Pending
                             << QStringLiteral("authorization_pending");
    QTest::newRow("slow_down") << 400 << oauthError(QStringLiteral("slow_down"), QStringLiteral("poll at most every 10 s"))
                               << Kind::SlowDown << QStringLiteral("slow_down");
    QTest::newRow("denied") << 400 << oauthError(QStringLiteral("access_denied")) << Kind::Denied << QStringLiteral("access_denied");
    QTest::newRow("denied as 403") << 403 << oauthError(QStringLiteral("access_denied")) << Kind::Denied
                                   << QStringLiteral("access_denied");
    QTest::newRow("expired") << 400 << oauthError(QStringLiteral("expired_token")) << Kind::Expired
                             << QStringLiteral("expired_token");
    QTest::newRow("invalid_grant") << 400 << oauthError(QStringLiteral("invalid_grant")) << Kind::Failed
                                   << QStringLiteral("invalid_grant");
    QTest::newRow("invalid_client") << 401 << oauthError(QStringLiteral("invalid_client")) << Kind::Failed
                                    << QStringLiteral("invalid_client");
    QTest::newRow("unauthorized_client") << 400 << oauthError(QStringLiteral("unauthorized_client")) << Kind::Failed
                                         << QStringLiteral("unauthorized_client");
    QTest::newRow("unsupported_grant_type") << 400 << oauthError(QStringLiteral("unsupported_grant_type")) << Kind::Failed
                                            << QStringLiteral("unsupported_grant_type");
    QTest::newRow("unknown error code") << 400 << oauthError(QStringLiteral("something_new")) << Kind::Failed
                                        << QStringLiteral("something_new");

    QTest::newRow("no answer") << 0 << QByteArray() << Kind::Transient << QStringLiteral("server_unreachable");
    QTest::newRow("500") << 500 << oauthError(QStringLiteral("server_error")) << Kind::Transient << QStringLiteral("http_500");
    QTest::newRow("502 html") << 502 << QByteArray("<html>Bad gateway</html>") << Kind::Transient << QStringLiteral("http_502");
    QTest::newRow("503") << 503 << QByteArray() << Kind::Transient << QStringLiteral("http_503");
    QTest::newRow("429") << 429 << QByteArray() << Kind::Transient << QStringLiteral("http_429");
    QTest::newRow("408") << 408 << QByteArray() << Kind::Transient << QStringLiteral("http_408");

    QTest::newRow("400 not json") << 400 << QByteArray("nope") << Kind::Failed << QStringLiteral("http_400");
    QTest::newRow("400 empty object") << 400 << QByteArray("{}") << Kind::Failed << QStringLiteral("http_400");
    QTest::newRow("400 error array") << 400 << QByteArray("{\"error\":[\"slow_down\"]}") << Kind::Failed
                                     << QStringLiteral("http_400");
    QTest::newRow("404") << 404 << QByteArray() << Kind::Failed << QStringLiteral("http_404");
    QTest::newRow("301 redirect") << 301 << QByteArray() << Kind::Failed << QStringLiteral("http_301");
    QTest::newRow("204") << 204 << QByteArray() << Kind::Failed << QStringLiteral("http_204");
    QTest::newRow("too large error") << 400 << (oauthError(QStringLiteral("authorization_pending")) + QByteArray(65 * 1024, ' '))
                                     << Kind::Failed << bad;
    QTest::newRow("too large tokens") << 200 << (json(goodTokens()) + QByteArray(65 * 1024, ' ')) << Kind::Failed << bad;

    QTest::newRow("200 not json") << 200 << QByteArray("access_token=x") << Kind::Failed << bad;
    QTest::newRow("200 array") << 200 << QByteArray("[]") << Kind::Failed << bad;
    QTest::newRow("no access_token") << 200 << tokens(QStringLiteral("access_token"), QJsonValue::Undefined) << Kind::Failed << bad;
    QTest::newRow("empty access_token") << 200 << tokens(QStringLiteral("access_token"), QString()) << Kind::Failed << bad;
    QTest::newRow("access_token number") << 200 << tokens(QStringLiteral("access_token"), 7) << Kind::Failed << bad;
    QTest::newRow("access_token with space") << 200 << tokens(QStringLiteral("access_token"), QStringLiteral("a b"))
                                             << Kind::Failed << bad;
    QTest::newRow("access_token with escape") << 200 << tokens(QStringLiteral("access_token"), QStringLiteral("a\u001b[2Jb"))
                                              << Kind::Failed << bad;
    QTest::newRow("access_token too long") << 200 << tokens(QStringLiteral("access_token"), QString(16 * 1024 + 1, u'a'))
                                           << Kind::Failed << bad;
    QTest::newRow("no token_type") << 200 << tokens(QStringLiteral("token_type"), QJsonValue::Undefined) << Kind::Failed << bad;
    QTest::newRow("token_type mac") << 200 << tokens(QStringLiteral("token_type"), QStringLiteral("mac")) << Kind::Failed << bad;
    QTest::newRow("token_type DPoP") << 200 << tokens(QStringLiteral("token_type"), QStringLiteral("DPoP")) << Kind::Failed << bad;
    QTest::newRow("no id_token") << 200 << tokens(QStringLiteral("id_token"), QJsonValue::Undefined) << Kind::Failed << bad;
    QTest::newRow("id_token empty") << 200 << tokens(QStringLiteral("id_token"), QString()) << Kind::Failed << bad;
    QTest::newRow("id_token object") << 200 << tokens(QStringLiteral("id_token"), QJsonObject{}) << Kind::Failed << bad;
    QTest::newRow("expires_in zero") << 200 << tokens(QStringLiteral("expires_in"), 0) << Kind::Failed << bad;
    QTest::newRow("expires_in negative") << 200 << tokens(QStringLiteral("expires_in"), -300) << Kind::Failed << bad;
    QTest::newRow("expires_in text") << 200 << tokens(QStringLiteral("expires_in"), QStringLiteral("long")) << Kind::Failed << bad;
    QTest::newRow("scope number") << 200 << tokens(QStringLiteral("scope"), 1) << Kind::Failed << bad;
    QTest::newRow("scope too long") << 200 << tokens(QStringLiteral("scope"), QString(1001, u's')) << Kind::Failed << bad;
}

void TestCibaAnswers::token()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(TokenAnswer::Kind, kind);
    QFETCH(QString, code);
    handoff::testutil::recordFuzzSeed("ciba_answers", body);
    const TokenAnswer answer = CibaAnswers::parseToken(status, body, QStringLiteral("Operation timed out"));
    QCOMPARE(int(answer.kind), int(kind));
    if (kind != TokenAnswer::Kind::Granted) {
        QCOMPARE(answer.error.code, code);
        QVERIFY(!answer.error.message.isEmpty());
    }
}

void TestCibaAnswers::grantedTokens()
{
    const TokenAnswer answer = CibaAnswers::parseToken(200, json(goodTokens()));
    QCOMPARE(int(answer.kind), int(TokenAnswer::Kind::Granted));
    QCOMPARE(answer.tokens.accessToken, QStringLiteral("eyJ.access.token"));
    QCOMPARE(answer.tokens.tokenType, QStringLiteral("Bearer"));
    QCOMPARE(answer.tokens.scope, QStringLiteral("openid payments"));
    QCOMPARE(answer.tokens.expiresIn, 300);
    QVERIFY(answer.tokens.idToken.count(QLatin1Char('.')) == 2);

    const TokenAnswer slow = CibaAnswers::parseToken(400, oauthError(QStringLiteral("slow_down"), QStringLiteral("poll at most every 10 s")));
    QCOMPARE(slow.error.message, QStringLiteral("poll at most every 10 s"));
    const TokenAnswer unreachable = CibaAnswers::parseToken(0, {}, QStringLiteral("Connection refused"));
    QVERIFY(unreachable.error.message.contains(QStringLiteral("Connection refused")));
    const TokenAnswer busy = CibaAnswers::parseToken(503, oauthError(QStringLiteral("temporarily_unavailable"), QStringLiteral("busy")));
    QVERIFY(busy.error.message.contains(QStringLiteral("503")));
    QVERIFY(busy.error.message.contains(QStringLiteral("busy")));
}

void TestCibaAnswers::oauthErrorText_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("description as is") << oauthError(QStringLiteral("invalid_client"), QStringLiteral("unknown client or wrong secret"))
                                       << QStringLiteral("unknown client or wrong secret");
    QTest::newRow("no description: our words") << oauthError(QStringLiteral("invalid_client"))
                                               << QStringLiteral("the server rejected the client credentials");
    QTest::newRow("blank description: our words") << oauthError(QStringLiteral("unknown_user_id"), QStringLiteral("   "))
                                                  << QStringLiteral("the server knows no user with this login hint");
    QTest::newRow("description not text") << QByteArray("{\"error\":\"invalid_scope\",\"error_description\":{\"a\":1}}")
                                          << QStringLiteral("the server does not accept this scope");
    QTest::newRow("unknown code") << oauthError(QStringLiteral("x_custom")) << QStringLiteral("the server refused the request");
    QTest::newRow("terminal escapes neutralised")
        << oauthError(QStringLiteral("invalid_request"), QStringLiteral("bad\u001b[2J\u001b]0;pwned\u0007 request"))
        << QStringLiteral("bad\ufffd[2J\ufffd]0;pwned\ufffd request");
    QTest::newRow("newlines neutralised") << oauthError(QStringLiteral("invalid_request"), QStringLiteral("line1\nline2\rline3"))
                                          << QStringLiteral("line1\ufffdline2\ufffdline3");
    QTest::newRow("bidi override neutralised") << oauthError(QStringLiteral("invalid_request"), QStringLiteral("abc\u202edef"))
                                               << QStringLiteral("abc\ufffddef");
    QTest::newRow("long description cut") << oauthError(QStringLiteral("invalid_request"), QString(1000, u'x'))
                                          << (QString(300, u'x') + QStringLiteral("..."));
    QTest::newRow("unicode kept") << oauthError(QStringLiteral("invalid_request"), QStringLiteral("Fehler: \u00fcbersch\u00e4tzt"))
                                  << QStringLiteral("Fehler: \u00fcbersch\u00e4tzt");
}

void TestCibaAnswers::oauthErrorText()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    handoff::testutil::recordFuzzSeed("ciba_answers", body);
    const std::optional<Error> error = CibaAnswers::parseOAuthError(body);
    QVERIFY(error.has_value());
    QCOMPARE(error->message, message);
    QVERIFY(!CibaAnswers::parseOAuthError("not json").has_value());
    QVERIFY(!CibaAnswers::parseOAuthError("{\"error_description\":\"no code\"}").has_value());
}

void TestCibaAnswers::idToken_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<bool>("valid");
    const auto claim = [](const QString& name, const QJsonValue& value) { return jwt(es256(), with(goodClaims(), name, value)); };
    QTest::newRow("good") << jwt(es256(), goodClaims()) << true;
    QTest::newRow("aud as list with us") << claim(QStringLiteral("aud"), QJsonArray{ClientId}) << true;
    QTest::newRow("several audiences with azp us")
        << jwt(es256(), with(with(goodClaims(), QStringLiteral("aud"), QJsonArray{ClientId, QStringLiteral("other")}),
                             QStringLiteral("azp"), ClientId))
        << true;
    QTest::newRow("no auth_req_id claim") << claim(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id"), QJsonValue::Undefined)
                                          << true;
    QTest::newRow("expired within leeway") << claim(QStringLiteral("exp"), Now - 30) << true;

    QTest::newRow("other issuer") << claim(QStringLiteral("iss"), QStringLiteral("https://evil.example")) << false;
    QTest::newRow("issuer with slash") << claim(QStringLiteral("iss"), Issuer + QLatin1Char('/')) << false;
    QTest::newRow("no issuer") << claim(QStringLiteral("iss"), QJsonValue::Undefined) << false;
    QTest::newRow("other audience") << claim(QStringLiteral("aud"), QStringLiteral("cl_other")) << false;
    QTest::newRow("no audience") << claim(QStringLiteral("aud"), QJsonValue::Undefined) << false;
    QTest::newRow("audience number") << claim(QStringLiteral("aud"), 5) << false;
    QTest::newRow("audience list without us") << claim(QStringLiteral("aud"), QJsonArray{QStringLiteral("x")}) << false;
    QTest::newRow("several audiences, no azp") << claim(QStringLiteral("aud"), QJsonArray{ClientId, QStringLiteral("other")})
                                               << false;
    QTest::newRow("azp someone else") << claim(QStringLiteral("azp"), QStringLiteral("other")) << false;
    QTest::newRow("expired") << claim(QStringLiteral("exp"), Now - 120) << false;
    QTest::newRow("no exp") << claim(QStringLiteral("exp"), QJsonValue::Undefined) << false;
    QTest::newRow("exp text") << claim(QStringLiteral("exp"), QStringLiteral("tomorrow")) << false;
    QTest::newRow("other request") << claim(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id"), QStringLiteral("req-2"))
                                   << false;
    QTest::newRow("request claim not text") << claim(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id"), 1) << false;
    QTest::newRow("alg none") << jwt(QJsonObject{{QStringLiteral("alg"), QStringLiteral("none")}}, goodClaims()) << false;
    QTest::newRow("alg None") << jwt(QJsonObject{{QStringLiteral("alg"), QStringLiteral("None")}}, goodClaims()) << false;
    QTest::newRow("no alg") << jwt(QJsonObject{{QStringLiteral("typ"), QStringLiteral("JWT")}}, goodClaims()) << false;
    QTest::newRow("no signature") << jwt(es256(), goodClaims(), QString()) << false;
    QTest::newRow("two parts") << (b64url(json(es256())) + QLatin1Char('.') + b64url(json(goodClaims()))) << false;
    QTest::newRow("four parts") << (jwt(es256(), goodClaims()) + QStringLiteral(".x")) << false;
    QTest::newRow("encrypted, five parts") << QStringLiteral("a.b.c.d.e") << false;
    QTest::newRow("payload not base64url") << (b64url(json(es256())) + QStringLiteral(".@@@.c2ln")) << false;
    QTest::newRow("payload not json") << (b64url(json(es256())) + QLatin1Char('.') + b64url("hello") + QStringLiteral(".c2ln"))
                                      << false;
    QTest::newRow("payload json array") << (b64url(json(es256())) + QLatin1Char('.') + b64url("[1]") + QStringLiteral(".c2ln"))
                                        << false;
    QTest::newRow("header not json") << (b64url("x") + QLatin1Char('.') + b64url(json(goodClaims())) + QStringLiteral(".c2ln"))
                                     << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("garbage") << QStringLiteral("not a token") << false;
}

void TestCibaAnswers::idToken()
{
    QFETCH(QString, token);
    QFETCH(bool, valid);
    handoff::testutil::recordFuzzSeed("jwt", token, QByteArrayView("\0", 1));
    const Result<void> checked = CibaAnswers::checkIdToken(token, Issuer, ClientId, AuthReqId, Now);
    QCOMPARE(checked.ok(), valid);
    if (!valid) {
        QCOMPARE(checked.error().code, QStringLiteral("invalid_id_token"));
        QVERIFY(checked.error().message.startsWith(QStringLiteral("the ID token ")));
    }
}

QTEST_GUILESS_MAIN(TestCibaAnswers)
#include "tst_CibaAnswers.moc"
