// ProviderMetadata: the discovery document of a CIBA provider, table-driven.
// The issuer must be exactly the base URL it came from; endpoints must be
// https or loopback http; poll delivery, the CIBA grant and
// client_secret_basic must be offered when the document lists what it offers;
// and every malformed document is refused with a clear error.

#include "agent/approval/ProviderMetadata.h"
#include "tests/support/FuzzSeed.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace handoff;
using namespace handoff::agent;

namespace {

const QString Issuer = QStringLiteral("https://handoff.example.com");

QJsonObject goodDocument()
{
    return QJsonObject{
        {QStringLiteral("issuer"), Issuer},
        {QStringLiteral("backchannel_authentication_endpoint"), Issuer + QStringLiteral("/bc-authorize")},
        {QStringLiteral("token_endpoint"), Issuer + QStringLiteral("/token")},
        {QStringLiteral("jwks_uri"), Issuer + QStringLiteral("/jwks")},
        {QStringLiteral("backchannel_token_delivery_modes_supported"), QJsonArray{QStringLiteral("poll")}},
        {QStringLiteral("backchannel_user_code_parameter_supported"), true},
        {QStringLiteral("grant_types_supported"), QJsonArray{QStringLiteral("urn:openid:params:grant-type:ciba")}},
        {QStringLiteral("token_endpoint_auth_methods_supported"),
         QJsonArray{QStringLiteral("client_secret_basic"), QStringLiteral("client_secret_post")}},
    };
}

QByteArray document(const QString& key, const QJsonValue& value)
{
    QJsonObject object = goodDocument();
    if (value.isUndefined()) {
        object.remove(key);
    } else {
        object.insert(key, value);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestProviderMetadata final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void good();
    void optionalListsMayBeAbsent();
    void bad_data();
    void bad();
    void issuerFor_data();
    void issuerFor();
};

void TestProviderMetadata::good()
{
    const Result<ProviderMetadata> m = ProviderMetadata::parse(QJsonDocument(goodDocument()).toJson(), Issuer);
    QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message));
    QCOMPARE(m->issuer, Issuer);
    QCOMPARE(m->backchannelAuthenticationEndpoint, QUrl(Issuer + QStringLiteral("/bc-authorize")));
    QCOMPARE(m->tokenEndpoint, QUrl(Issuer + QStringLiteral("/token")));
    QVERIFY(m->userCodeSupported);
    QCOMPARE(ProviderMetadata::discoveryUrl(Issuer), QUrl(Issuer + QStringLiteral("/.well-known/openid-configuration")));
}

void TestProviderMetadata::optionalListsMayBeAbsent()
{
    QJsonObject object = goodDocument();
    for (const char* key : {"backchannel_token_delivery_modes_supported", "grant_types_supported",
                            "token_endpoint_auth_methods_supported", "backchannel_user_code_parameter_supported"}) {
        object.remove(QLatin1String(key));
    }
    const Result<ProviderMetadata> m = ProviderMetadata::parse(QJsonDocument(object).toJson(), Issuer);
    QVERIFY(m.ok());
    QVERIFY(!m->userCodeSupported);
    // Endpoints on another host are fine (a provider may split them), as long as they are https.
    const Result<ProviderMetadata> split = ProviderMetadata::parse(
        document(QStringLiteral("token_endpoint"), QStringLiteral("https://tokens.example.net/oauth/token")), Issuer);
    QVERIFY(split.ok());
}

void TestProviderMetadata::bad_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    const QString bad = QStringLiteral("bad_discovery");
    const QString unsupported = QStringLiteral("unsupported_server");
    QTest::newRow("empty") << QByteArray() << bad;
    QTest::newRow("html") << QByteArray("<html>Welcome</html>") << bad;
    QTest::newRow("array") << QByteArray("[]") << bad;
    QTest::newRow("truncated") << QByteArray("{\"issuer\":\"https://handoff.example.com\",") << bad;
    QTest::newRow("too large") << (QJsonDocument(goodDocument()).toJson() + QByteArray(64 * 1024, ' ')) << bad;
    QTest::newRow("no issuer") << document(QStringLiteral("issuer"), QJsonValue::Undefined) << bad;
    QTest::newRow("issuer number") << document(QStringLiteral("issuer"), 1) << bad;
    QTest::newRow("issuer empty") << document(QStringLiteral("issuer"), QString()) << bad;
    QTest::newRow("other issuer") << document(QStringLiteral("issuer"), QStringLiteral("https://evil.example.com"))
                                  << QStringLiteral("issuer_mismatch");
    QTest::newRow("issuer with trailing slash") << document(QStringLiteral("issuer"), Issuer + QLatin1Char('/'))
                                                << QStringLiteral("issuer_mismatch");
    QTest::newRow("issuer other case") << document(QStringLiteral("issuer"), QStringLiteral("https://HANDOFF.example.com"))
                                       << QStringLiteral("issuer_mismatch");
    QTest::newRow("issuer http") << document(QStringLiteral("issuer"), QStringLiteral("http://handoff.example.com"))
                                 << QStringLiteral("issuer_mismatch");
    QTest::newRow("no backchannel endpoint")
        << document(QStringLiteral("backchannel_authentication_endpoint"), QJsonValue::Undefined) << unsupported;
    QTest::newRow("no token endpoint") << document(QStringLiteral("token_endpoint"), QJsonValue::Undefined) << unsupported;
    QTest::newRow("token endpoint number") << document(QStringLiteral("token_endpoint"), 443) << bad;
    QTest::newRow("token endpoint empty") << document(QStringLiteral("token_endpoint"), QString()) << bad;
    QTest::newRow("token endpoint relative") << document(QStringLiteral("token_endpoint"), QStringLiteral("/token")) << bad;
    QTest::newRow("token endpoint http remote")
        << document(QStringLiteral("token_endpoint"), QStringLiteral("http://handoff.example.com/token")) << bad;
    QTest::newRow("token endpoint ftp") << document(QStringLiteral("token_endpoint"), QStringLiteral("ftp://handoff.example.com/t"))
                                        << bad;
    QTest::newRow("token endpoint javascript") << document(QStringLiteral("token_endpoint"), QStringLiteral("javascript:alert(1)"))
                                               << bad;
    QTest::newRow("token endpoint with user info")
        << document(QStringLiteral("token_endpoint"), QStringLiteral("https://user:pw@handoff.example.com/token")) << bad;
    QTest::newRow("token endpoint with fragment")
        << document(QStringLiteral("token_endpoint"), QStringLiteral("https://handoff.example.com/token#x")) << bad;
    QTest::newRow("token endpoint too long")
        << document(QStringLiteral("token_endpoint"), Issuer + QLatin1Char('/') + QString(2100, u'a')) << bad;
    QTest::newRow("backchannel endpoint with spaces")
        << document(QStringLiteral("backchannel_authentication_endpoint"), QStringLiteral("https://exa mple.com/bc")) << bad;
    QTest::newRow("no poll mode") << document(QStringLiteral("backchannel_token_delivery_modes_supported"),
                                              QJsonArray{QStringLiteral("ping"), QStringLiteral("push")})
                                  << unsupported;
    QTest::newRow("modes not a list") << document(QStringLiteral("backchannel_token_delivery_modes_supported"),
                                                  QStringLiteral("poll"))
                                      << bad;
    QTest::newRow("modes with a number") << document(QStringLiteral("backchannel_token_delivery_modes_supported"),
                                                     QJsonArray{QStringLiteral("poll"), 1})
                                         << bad;
    QTest::newRow("no ciba grant") << document(QStringLiteral("grant_types_supported"),
                                               QJsonArray{QStringLiteral("authorization_code")})
                                   << unsupported;
    QTest::newRow("grants not a list") << document(QStringLiteral("grant_types_supported"), QJsonObject{}) << bad;
    QTest::newRow("no client_secret_basic") << document(QStringLiteral("token_endpoint_auth_methods_supported"),
                                                        QJsonArray{QStringLiteral("private_key_jwt")})
                                            << unsupported;
    QTest::newRow("empty auth methods") << document(QStringLiteral("token_endpoint_auth_methods_supported"), QJsonArray{})
                                        << unsupported;
    QTest::newRow("user code flag not bool") << document(QStringLiteral("backchannel_user_code_parameter_supported"),
                                                         QStringLiteral("true"))
                                             << bad;
}

void TestProviderMetadata::bad()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    handoff::testutil::recordFuzzSeed("ciba_answers", body);
    const Result<ProviderMetadata> m = ProviderMetadata::parse(body, Issuer);
    QVERIFY(!m.ok());
    QCOMPARE(m.error().code, code);
    QVERIFY(!m.error().message.isEmpty());
}

void TestProviderMetadata::issuerFor_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("issuer");
    QTest::newRow("plain") << QStringLiteral("https://handoff.example.com") << QStringLiteral("https://handoff.example.com");
    QTest::newRow("trailing slash dropped") << QStringLiteral("https://handoff.example.com/")
                                            << QStringLiteral("https://handoff.example.com");
    QTest::newRow("with port") << QStringLiteral("http://127.0.0.1:8080") << QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("with path") << QStringLiteral("https://example.com/handoff/") << QStringLiteral("https://example.com/handoff");
    QTest::newRow("query refused") << QStringLiteral("https://example.com/?a=b") << QString();
    QTest::newRow("fragment refused") << QStringLiteral("https://example.com/#x") << QString();
    QTest::newRow("user info refused") << QStringLiteral("https://me@example.com") << QString();
    QTest::newRow("ftp refused") << QStringLiteral("ftp://example.com") << QString();
    QTest::newRow("no host refused") << QStringLiteral("https://") << QString();
    QTest::newRow("not a url") << QStringLiteral("handoff") << QString();
}

void TestProviderMetadata::issuerFor()
{
    QFETCH(QString, url);
    QFETCH(QString, issuer);
    QCOMPARE(ProviderMetadata::issuerFor(QUrl(url)), issuer);
}

QTEST_GUILESS_MAIN(TestProviderMetadata)
#include "tst_ProviderMetadata.moc"
