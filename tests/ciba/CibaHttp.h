#pragma once

// The OAuth side of CIBA tests against a TestServer: clients made with the
// operator command, POST /bc-authorize and /token with client_secret_basic, and
// checks of the ES256 JWTs the server issues against its /jwks.

#include "core/crypto/Digest.h"
#include "core/crypto/SigningKey.h"
#include "tests/ciba/CibaCli.h"
#include "tests/server/HttpTestClient.h"
#include "tests/support/TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace handoff::test {

struct OAuthReply final {
    int status = 0;
    QJsonObject json;
    QString error() const { return json.value(QStringLiteral("error")).toString(); }
};

struct CibaClient final {
    QString id;
    QString secret;
};

inline QString b64url(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

inline QByteArray unb64url(const QString& text)
{
    return QByteArray::fromBase64(text.toLatin1(), QByteArray::Base64UrlEncoding);
}

// `clients create --name NAME --mode MODE [--notification-endpoint URL] --interval 1`.
inline CibaClient createClient(const TestServer& server, const QString& name, const QString& mode,
                               const QUrl& endpoint = {})
{
    QStringList arguments{QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"), name,
                          QStringLiteral("--mode"), mode, QStringLiteral("--interval"), QStringLiteral("1")};
    if (!endpoint.isEmpty()) {
        arguments << QStringLiteral("--notification-endpoint") << endpoint.toString();
    }
    const CliResult created = runCli(server, arguments);
    return {clientFieldFrom(created.out, QStringLiteral("client_id")), clientFieldFrom(created.out, QStringLiteral("client_secret"))};
}

inline OAuthReply postForm(const TestServer& server, const QString& path, const QByteArray& body, const CibaClient& client)
{
    QNetworkRequest request(server.url(path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Authorization", "Basic " + (client.id + QLatin1Char(':') + client.secret).toUtf8().toBase64());
    QNetworkAccessManager network;
    QNetworkReply* reply = network.post(request, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(15'000, &loop, &QEventLoop::quit);
    loop.exec();
    OAuthReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.json = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return result;
}

// POST /bc-authorize for `loginHint`; the auth_req_id, or empty.
inline QString authorize(const TestServer& server, const CibaClient& client, const QString& loginHint,
                         const QString& bindingMessage, int expirySeconds = 300, const QString& notificationToken = {})
{
    QByteArray body = "scope=openid%20payments&login_hint=" + QUrl::toPercentEncoding(loginHint)
                      + "&binding_message=" + QUrl::toPercentEncoding(bindingMessage)
                      + "&requested_expiry=" + QByteArray::number(expirySeconds);
    if (!notificationToken.isEmpty()) {
        body += "&client_notification_token=" + QUrl::toPercentEncoding(notificationToken);
    }
    return postForm(server, QStringLiteral("/bc-authorize"), body, client).json.value(QStringLiteral("auth_req_id")).toString();
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
    const QList<QByteArray> lines = http.get(server.url(QStringLiteral("/metrics"))).body.split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith(sample + ' ')) {
            return line.mid(sample.size() + 1).toLongLong();
        }
    }
    return -1;
}

} // namespace handoff::test
