// Token introspection (RFC 7662, POST /introspect) and revocation (RFC 7009,
// POST /revoke) on a real handoff-server, with access tokens from the real flow
// (bc-authorize, approval by the app's real DeviceClient, /token) and tokens the
// test signs with the server's own key read from its database: an active token
// shows its claims; expired, revoked, forged, other-issuer, ID tokens and another
// client's tokens are {"active":false}; missing token is invalid_request, bad
// client credentials invalid_client (401); revocation of unknown tokens is 200,
// of another client's token invalid_grant; discovery names both endpoints.

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceClient.h"
#include "server/ciba/ServerKey.h"
#include "server/store/Database.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestServer.h"

#include <QJsonArray>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_TokenIntrospection final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    PairedDevice m_device;
    CibaClient m_client;
    CibaClient m_other;
    QString m_issuer;

    // A fresh access token for `client` through the whole CIBA flow; the token response.
    QJsonObject freshTokens(const CibaClient& client)
    {
        const OAuthReply asked = bcAuthorize(m_server, client, QStringLiteral("kim@example.com"), QStringLiteral("Read the ledger"));
        const QString id = asked.json.value(QStringLiteral("auth_req_id")).toString();
        if (id.isEmpty() || !m_device.decide(id, true)) {
            return {};
        }
        const OAuthReply tokens = redeem(m_server, client, id);
        return tokens.status == 200 ? tokens.json : QJsonObject();
    }
    OAuthReply introspect(const QString& token, const CibaClient& client)
    {
        return oauthPost(m_server, QStringLiteral("/introspect"), "token=" + QUrl::toPercentEncoding(token), client.id,
                         client.secret);
    }
    OAuthReply revoke(const QString& token, const CibaClient& client, const QByteArray& extra = {})
    {
        return oauthPost(m_server, QStringLiteral("/revoke"), "token=" + QUrl::toPercentEncoding(token) + extra, client.id,
                         client.secret);
    }
    bool isInactive(const OAuthReply& reply)
    {
        return reply.status == 200 && reply.json == QJsonObject{{QStringLiteral("active"), false}};
    }
    // A token signed with the server's own key (read from its database, as only the server could).
    QString serverSigned(const QJsonObject& header, const QJsonObject& claims)
    {
        Result<std::unique_ptr<server::Database>> database =
            server::Database::open(m_server.dataDir() + QStringLiteral("/handoff-server.sqlite"));
        if (!database) {
            return {};
        }
        Result<std::unique_ptr<server::ServerKey>> key = server::ServerKey::loadOrCreate(**database);
        return key ? (*key)->signJwt(header, claims).value() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_issuer = m_server.baseUrl().toString();
        QVERIFY2(m_device.pair(m_server, QStringLiteral("kim@example.com"),
                               {.deviceName = QStringLiteral("Kim's desk")}),
                 qPrintable(m_device.errorString()));
        m_client = createClient(m_server, QStringLiteral("Ledger reader"));
        m_other = createClient(m_server, QStringLiteral("Someone else"));
        QVERIFY(!m_client.secret.isEmpty() && !m_other.secret.isEmpty());
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void discoveryNamesTheEndpoints()
    {
        HttpTestClient http;
        const QJsonObject metadata = http.get(m_server.url(QStringLiteral("/.well-known/openid-configuration"))).json();
        QCOMPARE(metadata.value(QStringLiteral("introspection_endpoint")).toString(), m_issuer + QStringLiteral("/introspect"));
        QCOMPARE(metadata.value(QStringLiteral("revocation_endpoint")).toString(), m_issuer + QStringLiteral("/revoke"));
        const QJsonArray methods{QStringLiteral("client_secret_basic"), QStringLiteral("client_secret_post")};
        QCOMPARE(metadata.value(QStringLiteral("introspection_endpoint_auth_methods_supported")).toArray(), methods);
        QCOMPARE(metadata.value(QStringLiteral("revocation_endpoint_auth_methods_supported")).toArray(), methods);
    }

    void activeTokenShowsItsClaims()
    {
        const QJsonObject tokens = freshTokens(m_client);
        const QString accessToken = tokens.value(QStringLiteral("access_token")).toString();
        QVERIFY(!accessToken.isEmpty());
        const QJsonObject issued = jwtPart(accessToken, 1);
        const OAuthReply reply = introspect(accessToken, m_client);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(reply.json.value(QStringLiteral("scope")).toString(), QStringLiteral("openid payments"));
        QCOMPARE(reply.json.value(QStringLiteral("client_id")).toString(), m_client.id);
        QCOMPARE(reply.json.value(QStringLiteral("aud")).toString(), m_client.id);
        QCOMPARE(reply.json.value(QStringLiteral("iss")).toString(), m_issuer);
        QCOMPARE(reply.json.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QVERIFY(reply.json.value(QStringLiteral("sub")).toString().startsWith(QStringLiteral("usr_")));
        for (const char* claim : {"sub", "jti", "iat", "exp"}) {
            QCOMPARE(reply.json.value(QLatin1String(claim)), issued.value(QLatin1String(claim)));
        }
        // client_secret_post works as well.
        const OAuthReply posted = oauthPost(m_server, QStringLiteral("/introspect"),
                                            "token=" + QUrl::toPercentEncoding(accessToken) + "&client_id=" + m_client.id.toUtf8()
                                                + "&client_secret=" + QUrl::toPercentEncoding(m_client.secret),
                                            {}, {});
        QCOMPARE(posted.json.value(QStringLiteral("active")).toBool(), true);

        // Only the client the token was issued to learns anything about it.
        QVERIFY(isInactive(introspect(accessToken, m_other)));
        // The ID token is not an access token.
        QVERIFY(isInactive(introspect(tokens.value(QStringLiteral("id_token")).toString(), m_client)));
    }

    void revokedTokenIsInactive()
    {
        const QString accessToken = freshTokens(m_client).value(QStringLiteral("access_token")).toString();
        QVERIFY(!accessToken.isEmpty());
        QCOMPARE(introspect(accessToken, m_client).json.value(QStringLiteral("active")).toBool(), true);

        // Another client may not revoke it (RFC 7009 2.1)...
        const OAuthReply refused = revoke(accessToken, m_other);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.error(), QStringLiteral("invalid_grant"));
        QCOMPARE(introspect(accessToken, m_client).json.value(QStringLiteral("active")).toBool(), true);

        // ...its own client may, with any hint.
        const OAuthReply revoked = revoke(accessToken, m_client, "&token_type_hint=refresh_token");
        QCOMPARE(revoked.status, 200);
        QVERIFY(isInactive(introspect(accessToken, m_client)));
        // Revoking again changes nothing and is still 200.
        QCOMPARE(revoke(accessToken, m_client).status, 200);
        QVERIFY(isInactive(introspect(accessToken, m_client)));
        // A server restart does not bring it back.
        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_device.client().state(), device::DeviceClient::State::Online, 60'000);
        QVERIFY(isInactive(introspect(accessToken, m_client)));
    }

    void unknownTokensRevokeWith200()
    {
        for (const QString& token : {QStringLiteral("not-a-token"), QStringLiteral("a.b.c"),
                                     QStringLiteral("eyJhbGciOiJFUzI1NiJ9.e30.AAAA")}) {
            const OAuthReply reply = revoke(token, m_client);
            QCOMPARE(reply.status, 200);
            QVERIFY(reply.json.isEmpty());
        }
    }

    void expiredForgedAndForeignTokensAreInactive()
    {
        // A real token first, so that the server has made its signing key.
        const QString real = freshTokens(m_client).value(QStringLiteral("access_token")).toString();
        QVERIFY(!real.isEmpty());
        const QJsonObject header{{QStringLiteral("typ"), QStringLiteral("at+jwt")}};
        QJsonObject claims = jwtPart(real, 1);
        const qint64 nowSeconds = QDateTime::currentSecsSinceEpoch();

        // The server's key and claims, but expired.
        QJsonObject expired = claims;
        expired.insert(QStringLiteral("jti"), QStringLiteral("expired-one"));
        expired.insert(QStringLiteral("iat"), nowSeconds - 600);
        expired.insert(QStringLiteral("exp"), nowSeconds - 300);
        const QString expiredToken = serverSigned(header, expired);
        QVERIFY(!expiredToken.isEmpty());
        QVERIFY(isInactive(introspect(expiredToken, m_client)));
        QCOMPARE(revoke(expiredToken, m_client).status, 200);
        // The same claims within their lifetime are active: only the expiry made the difference.
        QJsonObject valid = expired;
        valid.insert(QStringLiteral("iat"), nowSeconds);
        valid.insert(QStringLiteral("exp"), nowSeconds + 120);
        QCOMPARE(introspect(serverSigned(header, valid), m_client).json.value(QStringLiteral("active")).toBool(), true);

        // Another issuer, signed by the right key.
        QJsonObject foreign = valid;
        foreign.insert(QStringLiteral("iss"), QStringLiteral("https://other-issuer.example.com"));
        QVERIFY(isInactive(introspect(serverSigned(header, foreign), m_client)));

        // Forged: the payload widened under the real signature, and a stranger's key.
        const QStringList parts = real.split(QLatin1Char('.'));
        QJsonObject widened = claims;
        widened.insert(QStringLiteral("scope"), QStringLiteral("openid payments admin"));
        const QString tampered =
            parts.at(0) + QLatin1Char('.')
            + QString::fromLatin1(QJsonDocument(widened).toJson(QJsonDocument::Compact).toBase64(
                QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
            + QLatin1Char('.') + parts.at(2);
        QVERIFY(isInactive(introspect(tampered, m_client)));
        Result<crypto::SigningKey> stranger = crypto::SigningKey::generate();
        QVERIFY(stranger.ok());
        const QByteArray input = parts.at(0).toLatin1() + '.' + parts.at(1).toLatin1();
        const QString strangerSigned = QString::fromLatin1(input) + QLatin1Char('.')
                                       + b64url(*stranger->sign(input));
        QVERIFY(isInactive(introspect(strangerSigned, m_client)));
        // The untouched original is still active.
        QCOMPARE(introspect(real, m_client).json.value(QStringLiteral("active")).toBool(), true);
    }

    void missingTokenAndBadClient()
    {
        for (const QString& path : {QStringLiteral("/introspect"), QStringLiteral("/revoke")}) {
            const OAuthReply missing = oauthPost(m_server, path, "token_type_hint=access_token", m_client.id, m_client.secret);
            QCOMPARE(missing.status, 400);
            QCOMPARE(missing.error(), QStringLiteral("invalid_request"));
            const OAuthReply empty = oauthPost(m_server, path, "token=", m_client.id, m_client.secret);
            QCOMPARE(empty.status, 400);
            QCOMPARE(empty.error(), QStringLiteral("invalid_request"));

            const OAuthReply wrongSecret = oauthPost(m_server, path, "token=abc", m_client.id, QStringLiteral("wrong"));
            QCOMPARE(wrongSecret.status, 401);
            QCOMPARE(wrongSecret.error(), QStringLiteral("invalid_client"));
            QVERIFY(wrongSecret.wwwAuthenticate.startsWith("Basic"));
            const OAuthReply unknown = oauthPost(m_server, path, "token=abc", QStringLiteral("cl_nobody"), QStringLiteral("x"));
            QCOMPARE(unknown.status, 401);
            QCOMPARE(unknown.error(), QStringLiteral("invalid_client"));
            const OAuthReply none = oauthPost(m_server, path, "token=abc", {}, {});
            QCOMPARE(none.status, 401);
            QCOMPARE(none.error(), QStringLiteral("invalid_client"));
        }
    }
};

QTEST_GUILESS_MAIN(tst_TokenIntrospection)
#include "tst_TokenIntrospection.moc"
