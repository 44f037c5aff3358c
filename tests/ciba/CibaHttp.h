#pragma once

// The OAuth side of CIBA tests against a TestServer: clients made with the
// operator command; form-encoded POSTs to /bc-authorize, /token, /introspect and
// /revoke with client_secret_basic; checks of the ES256 JWTs the server issues
// against its /jwks; and pairing helpers: the app's real DeviceClient (the steps
// of tests/support/PairedDevice, which most tests use whole), or a device whose
// key the test holds.

#include "core/crypto/Digest.h"
#include "core/crypto/SigningKey.h"
#include "core/device/DeviceClient.h"
#include "core/device/DeviceStatements.h"
#include "core/device/PairingLink.h"
#include "tests/server/HttpTestClient.h"
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

#include <optional>

namespace handoff::test {

struct OAuthReply final {
    int status = 0;
    QJsonObject json;
    QByteArray body;
    QByteArray wwwAuthenticate;
    QString error() const { return json.value(QStringLiteral("error")).toString(); }
};

// A client's id and secret, as `clients create` printed them.
using CibaClient = ClientCredentials;

inline QString b64url(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

inline QByteArray unb64url(const QString& text)
{
    return QByteArray::fromBase64(text.toLatin1(), QByteArray::Base64UrlEncoding);
}

// An empty `clientId` sends no client authentication at all.
inline OAuthReply oauthPost(const TestServer& server, const QString& path, const QByteArray& body,
                            const QString& clientId, const QString& secret)
{
    QNetworkAccessManager network;
    QNetworkRequest request(server.url(path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    if (!clientId.isEmpty()) {
        request.setRawHeader("Authorization", "Basic " + (clientId + QLatin1Char(':') + secret).toUtf8().toBase64());
    }
    QNetworkReply* reply = network.post(request, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished()) {
        finished.wait(15'000);
    }
    OAuthReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    result.wwwAuthenticate = reply->rawHeader("WWW-Authenticate");
    reply->deleteLater();
    return result;
}

inline OAuthReply postForm(const TestServer& server, const QString& path, const QByteArray& body, const CibaClient& client)
{
    return oauthPost(server, path, body, client.id, client.secret);
}

// `clients create --name NAME --mode MODE [--notification-endpoint URL] --interval 1`.
inline CibaClient createClient(const TestServer& server, const QString& name, const QString& mode = QStringLiteral("poll"),
                               const QUrl& endpoint = {})
{
    QStringList extra{QStringLiteral("--mode"), mode, QStringLiteral("--interval"), QStringLiteral("1")};
    if (!endpoint.isEmpty()) {
        extra << QStringLiteral("--notification-endpoint") << endpoint.toString();
    }
    return createClient(server, name, extra);
}

// POST /bc-authorize for `loginHint`.
inline OAuthReply bcAuthorize(const TestServer& server, const CibaClient& client, const QString& loginHint,
                              const QString& bindingMessage, int expirySeconds = 300, const QString& notificationToken = {})
{
    QByteArray body = "scope=openid%20payments&login_hint=" + QUrl::toPercentEncoding(loginHint)
                      + "&binding_message=" + QUrl::toPercentEncoding(bindingMessage)
                      + "&requested_expiry=" + QByteArray::number(expirySeconds);
    if (!notificationToken.isEmpty()) {
        body += "&client_notification_token=" + QUrl::toPercentEncoding(notificationToken);
    }
    return postForm(server, QStringLiteral("/bc-authorize"), body, client);
}

// The same; the auth_req_id, or empty.
inline QString authorize(const TestServer& server, const CibaClient& client, const QString& loginHint,
                         const QString& bindingMessage, int expirySeconds = 300, const QString& notificationToken = {})
{
    return bcAuthorize(server, client, loginHint, bindingMessage, expirySeconds, notificationToken)
        .json.value(QStringLiteral("auth_req_id"))
        .toString();
}

inline OAuthReply redeem(const TestServer& server, const CibaClient& client, const QString& authReqId)
{
    return postForm(server, QStringLiteral("/token"),
                    "grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=" + QUrl::toPercentEncoding(authReqId),
                    client);
}

inline QJsonObject jwtPart(const QString& jwt, int index)
{
    return QJsonDocument::fromJson(unb64url(jwt.split(QLatin1Char('.')).value(index))).object();
}

// True when `jwt` is ES256, names the server's key and its signature verifies with it.
inline bool verifiesWithJwks(const TestServer& server, const QString& jwt)
{
    HttpTestClient http;
    const QJsonObject jwk =
        http.get(server.url(QStringLiteral("/jwks"))).json().value(QStringLiteral("keys")).toArray().first().toObject();
    const QByteArray point = QByteArray(1, '\x04') + unb64url(jwk.value(QStringLiteral("x")).toString())
                             + unb64url(jwk.value(QStringLiteral("y")).toString());
    const QStringList parts = jwt.split(QLatin1Char('.'));
    if (parts.size() != 3) {
        return false;
    }
    const QJsonObject header = jwtPart(jwt, 0);
    return header.value(QStringLiteral("alg")).toString() == QLatin1String("ES256")
           && header.value(QStringLiteral("kid")).toString() == jwk.value(QStringLiteral("kid")).toString()
           && crypto::SigningKey::verify(point, (parts.at(0) + QLatin1Char('.') + parts.at(1)).toLatin1(), unb64url(parts.at(2)));
}

// OpenID Connect Core 3.1.3.6: base64url of the left half of SHA-256 of the token.
inline QString atHash(const QString& accessToken)
{
    return b64url(crypto::Digest::sha256(accessToken.toLatin1()).first(16));
}

// A sample of /metrics, e.g. metric(server, "handoff_ciba_notifications_total{mode=\"ping\",result=\"retry\"}").
inline qint64 metric(const TestServer& server, const QByteArray& sample)
{
    HttpTestClient http;
    return http.metric(server.url(QStringLiteral("/metrics")), sample);
}

// Pairs the app's real DeviceClient (key into the real keychain); the account, or nothing.
inline std::optional<device::DeviceAccount> pairRealDevice(const TestServer& server, device::DeviceClient& client,
                                                           const QString& email, const QString& deviceName)
{
    Result<device::DeviceAccount> account = pairClient(server, client, email, deviceName);
    return account ? std::optional<device::DeviceAccount>(*account) : std::nullopt;
}

// Pairs a device whose key the test holds, over POST /device/pair; its device id, or empty.
inline QString pairHandDevice(const TestServer& server, const crypto::SigningKey& key, const QString& email,
                              const QString& deviceName)
{
    Result<device::PairingLink> link = device::PairingLink::parse(
        pairingLinkFrom(runCli(server, {QStringLiteral("devices"), QStringLiteral("pair"), email}).out));
    if (!link) {
        return {};
    }
    const QString identity = device::DeviceStatements::serverIdentity(server.baseUrl());
    const QByteArray publicKey = key.publicPoint().toBase64();
    Result<QByteArray> signature = key.sign(device::DeviceStatements::pairing(identity, link->token, publicKey, deviceName));
    if (!signature) {
        return {};
    }
    HttpTestClient http;
    const HttpResult paired = http.postJson(server.url(QStringLiteral("/device/pair")), {},
                                            QJsonObject{{QStringLiteral("pairing_token"), link->token},
                                                        {QStringLiteral("public_key"), QString::fromLatin1(publicKey)},
                                                        {QStringLiteral("name"), deviceName},
                                                        {QStringLiteral("signature"), b64url(*signature)}});
    return paired.status == 201 ? paired.json().value(QStringLiteral("device_id")).toString() : QString();
}

// Waits until the real client holds the request, decides it, and waits for the
// server's verdict; true when the server accepted the decision.
inline bool decideOn(device::DeviceClient& device, const QString& authReqId, bool approve)
{
    return decideWhenPending(device, authReqId, approve, 15'000);
}

} // namespace handoff::test
