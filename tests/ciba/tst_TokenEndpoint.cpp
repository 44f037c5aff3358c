// POST /token with grant urn:openid:params:grant-type:ciba (CIBA Core 10-11) on a
// real handoff-server, every error code provoked: invalid_request,
// unsupported_grant_type, invalid_client, unauthorized_client (push client),
// invalid_grant (unknown, another client's, redeemed twice),
// authorization_pending, slow_down (and the longer interval after it),
// expired_token and access_denied; an approval yields ES256 access and ID tokens
// that verify against /jwks. The approving device is driven by hand here.

#include "core/crypto/Digest.h"
#include "core/crypto/SigningKey.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceStatements.h"
#include "server/ciba/CibaApi.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/server/HttpTestClient.h"
#include "tests/server/WsTestClient.h"
#include "tests/support/CibaCli.h"
#include "tests/support/TestServer.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

using Reply = OAuthReply;

class tst_TokenEndpoint final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::optional<crypto::SigningKey> m_key;
    QString m_deviceId;
    std::unique_ptr<WsTestClient> m_socket;
    QString m_identity;
    QString m_pollId, m_pollSecret, m_otherId, m_otherSecret, m_pushId, m_pushSecret;

    Reply post(const QString& path, const QByteArray& body, const QString& id, const QString& secret)
    {
        return oauthPost(m_server, path, body, id, secret);
    }
    QString authorize(const QString& id, const QString& secret, int expiry = 300, const QByteArray& extra = {})
    {
        const Reply reply = post(QStringLiteral("/bc-authorize"),
                                 "scope=openid%20payments&login_hint=gina%40example.com&binding_message=Pay%20invoice%2042"
                                 "&requested_expiry=" + QByteArray::number(expiry) + extra,
                                 id, secret);
        return reply.json.value(QStringLiteral("auth_req_id")).toString();
    }
    Reply poll(const QString& authReqId, const QString& id, const QString& secret)
    {
        return post(QStringLiteral("/token"),
                    "grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=" + QUrl::toPercentEncoding(authReqId),
                    id, secret);
    }
    void decide(const QString& authReqId, bool approve)
    {
        QVERIFY(QTest::qWaitFor([&] {
            for (const auto& message : std::as_const(m_socket->messages)) {
                if (message.json().value(QStringLiteral("auth_req_id")).toString() == authReqId) {
                    return true;
                }
            }
            return false;
        }, 15'000));
        device::ApprovalRequest request;
        for (const auto& message : std::as_const(m_socket->messages)) {
            if (message.json().value(QStringLiteral("auth_req_id")).toString() == authReqId) {
                request = *device::ApprovalRequest::fromJson(message.json());
            }
        }
        const QString word = approve ? QStringLiteral("approve") : QStringLiteral("deny");
        const QString decidedAt = device::DeviceStatements::timestamp(QDateTime::currentMSecsSinceEpoch());
        const QByteArray signature =
            *m_key->sign(device::DeviceStatements::approvalDecision(m_identity, request, m_deviceId, word, decidedAt));
        const qsizetype before = m_socket->messages.size();
        m_socket->socket.sendTextMessage(QString::fromUtf8(QJsonDocument(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("approval_decision")},
            {QStringLiteral("auth_req_id"), authReqId},
            {QStringLiteral("decision"), word},
            {QStringLiteral("decided_at"), decidedAt},
            {QStringLiteral("signature"), b64url(signature)}}).toJson(QJsonDocument::Compact)));
        QVERIFY(m_socket->waitForCount(before + 1));
    }
    void client(const QStringList& extra, QString* id, QString* secret)
    {
        const CliResult created = runCli(m_server, QStringList{QStringLiteral("clients"), QStringLiteral("create")} + extra);
        *id = clientFieldFrom(created.out, QStringLiteral("client_id"));
        *secret = clientFieldFrom(created.out, QStringLiteral("client_secret"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_identity = device::DeviceStatements::serverIdentity(m_server.baseUrl());
        QCOMPARE(runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("gina@example.com")}).exitCode, 0);
        client({QStringLiteral("--name"), QStringLiteral("Poller"), QStringLiteral("--mode"), QStringLiteral("poll"),
                QStringLiteral("--interval"), QStringLiteral("1")},
               &m_pollId, &m_pollSecret);
        client({QStringLiteral("--name"), QStringLiteral("Other"), QStringLiteral("--mode"), QStringLiteral("poll")}, &m_otherId,
               &m_otherSecret);
        client({QStringLiteral("--name"), QStringLiteral("Pusher"), QStringLiteral("--mode"), QStringLiteral("push"),
                QStringLiteral("--notification-endpoint"), QStringLiteral("http://127.0.0.1:9/cb")},
               &m_pushId, &m_pushSecret);
        QVERIFY(!m_pollSecret.isEmpty() && !m_otherSecret.isEmpty() && !m_pushSecret.isEmpty());

        Result<crypto::SigningKey> generated = crypto::SigningKey::generate();
        QVERIFY(generated.ok());
        m_key.emplace(std::move(generated).value());
        m_deviceId = pairHandDevice(m_server, *m_key, QStringLiteral("gina@example.com"), QStringLiteral("Phone"));
        QVERIFY(!m_deviceId.isEmpty());
        QUrl url = m_server.baseUrl();
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/device"));
        m_socket = std::make_unique<WsTestClient>(url);
        QVERIFY(m_socket->waitConnected());
        QVERIFY(m_socket->waitForCount(1));
        const QString nonce = m_socket->messages.first().json().value(QStringLiteral("nonce")).toString();
        m_socket->socket.sendTextMessage(QString::fromUtf8(QJsonDocument(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("authenticate")},
            {QStringLiteral("device_id"), m_deviceId},
            {QStringLiteral("signature"),
             b64url(*m_key->sign(device::DeviceStatements::deviceAuthentication(m_identity, m_deviceId, nonce)))}})
                                                               .toJson(QJsonDocument::Compact)));
        QVERIFY(m_socket->waitForCount(2));
        QCOMPARE(m_socket->messages.at(1).type(), QStringLiteral("welcome"));
    }

    void cleanupTestCase()
    {
        m_socket.reset();
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
    }

    void requestShapeErrors()
    {
        const QString id = authorize(m_pollId, m_pollSecret);
        QVERIFY(!id.isEmpty());
        Reply reply = post(QStringLiteral("/token"), "auth_req_id=" + id.toLatin1(), m_pollId, m_pollSecret);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.error(), QStringLiteral("invalid_request"));
        reply = post(QStringLiteral("/token"), "grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba", m_pollId, m_pollSecret);
        QCOMPARE(reply.error(), QStringLiteral("invalid_request"));
        reply = post(QStringLiteral("/token"), "grant_type=authorization_code&code=x", m_pollId, m_pollSecret);
        QCOMPARE(reply.error(), QStringLiteral("unsupported_grant_type"));
        reply = poll(id, m_pollId, QStringLiteral("wrong"));
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.error(), QStringLiteral("invalid_client"));
        reply = poll(id, m_pushId, m_pushSecret);
        QCOMPARE(reply.error(), QStringLiteral("unauthorized_client"));
        reply = poll(QStringLiteral("not-a-request"), m_pollId, m_pollSecret);
        QCOMPARE(reply.error(), QStringLiteral("invalid_grant"));
        reply = poll(id, m_otherId, m_otherSecret);
        QCOMPARE(reply.error(), QStringLiteral("invalid_grant"));
    }

    void pendingSlowDownApprovedOnce()
    {
        const QString id = authorize(m_pollId, m_pollSecret);
        QCOMPARE(poll(id, m_pollId, m_pollSecret).error(), QStringLiteral("authorization_pending"));
        // Again at once: faster than the 1 s interval.
        QCOMPARE(poll(id, m_pollId, m_pollSecret).error(), QStringLiteral("slow_down"));
        // The interval is now 6 s: polling 1.5 s later is still too fast.
        QTest::qWait(1500);
        QCOMPARE(poll(id, m_pollId, m_pollSecret).error(), QStringLiteral("slow_down"));

        decide(id, true);
        const Reply granted = poll(id, m_pollId, m_pollSecret);
        QCOMPARE(granted.status, 200);
        QCOMPARE(granted.json.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(granted.json.value(QStringLiteral("scope")).toString(), QStringLiteral("openid payments"));
        const QString accessToken = granted.json.value(QStringLiteral("access_token")).toString();
        const QString idToken = granted.json.value(QStringLiteral("id_token")).toString();

        // Both verify against /jwks, ES256.
        HttpTestClient http;
        const QJsonObject jwk = http.get(m_server.url(QStringLiteral("/jwks"))).json().value(QStringLiteral("keys")).toArray().first().toObject();
        QCOMPARE(jwk.value(QStringLiteral("alg")).toString(), QStringLiteral("ES256"));
        const QByteArray point = QByteArray(1, '\x04') + unb64url(jwk.value(QStringLiteral("x")).toString())
                                 + unb64url(jwk.value(QStringLiteral("y")).toString());
        for (const QString& jwt : {accessToken, idToken}) {
            const QStringList parts = jwt.split(QLatin1Char('.'));
            QCOMPARE(parts.size(), 3);
            QVERIFY(crypto::SigningKey::verify(point, (parts.at(0) + QLatin1Char('.') + parts.at(1)).toLatin1(), unb64url(parts.at(2))));
            const QJsonObject header = QJsonDocument::fromJson(unb64url(parts.at(0))).object();
            QCOMPARE(header.value(QStringLiteral("alg")).toString(), QStringLiteral("ES256"));
            QCOMPARE(header.value(QStringLiteral("kid")).toString(), jwk.value(QStringLiteral("kid")).toString());
        }
        const QJsonObject access = QJsonDocument::fromJson(unb64url(accessToken.split(QLatin1Char('.')).at(1))).object();
        QCOMPARE(access.value(QStringLiteral("client_id")).toString(), m_pollId);
        QCOMPARE(access.value(QStringLiteral("scope")).toString(), QStringLiteral("openid payments"));
        QVERIFY(!access.value(QStringLiteral("jti")).toString().isEmpty());
        QVERIFY(access.value(QStringLiteral("exp")).toInteger() - access.value(QStringLiteral("iat")).toInteger() <= 300);
        const QJsonObject claims = QJsonDocument::fromJson(unb64url(idToken.split(QLatin1Char('.')).at(1))).object();
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_server.baseUrl().toString());
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), m_pollId);
        QCOMPARE(claims.value(QStringLiteral("sub")).toString(), access.value(QStringLiteral("sub")).toString());
        QCOMPARE(claims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), id);
        QCOMPARE(claims.value(QStringLiteral("at_hash")).toString(),
                 b64url(crypto::Digest::sha256(accessToken.toLatin1()).first(16)));

        // Single use.
        QCOMPARE(poll(id, m_pollId, m_pollSecret).error(), QStringLiteral("invalid_grant"));
    }

    void deniedAndExpired()
    {
        const QString denied = authorize(m_pollId, m_pollSecret);
        decide(denied, false);
        QCOMPARE(poll(denied, m_pollId, m_pollSecret).error(), QStringLiteral("access_denied"));

        const QString expired = authorize(m_pollId, m_pollSecret, 1);
        QTest::qWait(1500);
        QCOMPARE(poll(expired, m_pollId, m_pollSecret).error(), QStringLiteral("expired_token"));
    }

    void slowDownPenaltyIsBounded()
    {
        // A client that keeps polling at once is slowed, 5 s each time, but never
        // to more than a minute over its own interval (1 s here).
        const QString id = authorize(m_otherId, m_otherSecret);
        QVERIFY(!id.isEmpty());
        QCOMPARE(poll(id, m_otherId, m_otherSecret).error(), QStringLiteral("authorization_pending"));
        QString last;
        for (int i = 0; i < 20; ++i) {
            const Reply reply = poll(id, m_otherId, m_otherSecret);
            QCOMPARE(reply.error(), QStringLiteral("slow_down"));
            last = reply.json.value(QStringLiteral("error_description")).toString();
        }
        QCOMPARE(last, QStringLiteral("poll at most every %1 s").arg(5 + server::CibaApi::MaxSlowDownSeconds));
    }
};

QTEST_GUILESS_MAIN(tst_TokenEndpoint)
#include "tst_TokenEndpoint.moc"
