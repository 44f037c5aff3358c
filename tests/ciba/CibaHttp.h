#pragma once

// Form-encoded POSTs to a TestServer's OAuth endpoints (/bc-authorize, /token,
// /introspect, /revoke) with client_secret_basic, and pairing helpers shared by
// the CIBA tests: the app's real DeviceClient, or a device whose key the test holds.

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceClient.h"
#include "core/device/DeviceStatements.h"
#include "core/device/PairingLink.h"
#include "tests/ciba/CibaCli.h"
#include "tests/server/HttpTestClient.h"
#include "tests/support/TestServer.h"

#include <QJsonDocument>
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

inline QString base64UrlText(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
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

struct CibaClient final {
    QString id;
    QString secret;
};

inline CibaClient createClient(const TestServer& server, const QString& name)
{
    const CliResult created = runCli(server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                              name, QStringLiteral("--mode"), QStringLiteral("poll"),
                                              QStringLiteral("--interval"), QStringLiteral("1")});
    return CibaClient{clientFieldFrom(created.out, QStringLiteral("client_id")),
                      clientFieldFrom(created.out, QStringLiteral("client_secret"))};
}

inline OAuthReply bcAuthorize(const TestServer& server, const CibaClient& client, const QString& loginHint,
                              const QString& bindingMessage, int expirySeconds = 300)
{
    return oauthPost(server, QStringLiteral("/bc-authorize"),
                     "scope=openid%20payments&login_hint=" + QUrl::toPercentEncoding(loginHint)
                         + "&requested_expiry=" + QByteArray::number(expirySeconds)
                         + "&binding_message=" + QUrl::toPercentEncoding(bindingMessage),
                     client.id, client.secret);
}

// Pairs the app's real DeviceClient (key into the real keychain); the account, or nothing.
inline std::optional<device::DeviceAccount> pairRealDevice(const TestServer& server, device::DeviceClient& client,
                                                           const QString& email, const QString& deviceName)
{
    Result<device::PairingLink> link = device::PairingLink::parse(
        pairingLinkFrom(runCli(server, {QStringLiteral("devices"), QStringLiteral("pair"), email}).out));
    if (!link) {
        return std::nullopt;
    }
    QSignalSpy paired(&client, &device::DeviceClient::paired);
    QSignalSpy failed(&client, &device::DeviceClient::pairingFailed);
    client.pair(*link, deviceName);
    if (!QTest::qWaitFor([&] { return !paired.isEmpty() || !failed.isEmpty(); }, 30'000) || paired.isEmpty()) {
        return std::nullopt;
    }
    return paired.first().first().value<device::DeviceAccount>();
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
                                                        {QStringLiteral("signature"), base64UrlText(*signature)}});
    return paired.status == 201 ? paired.json().value(QStringLiteral("device_id")).toString() : QString();
}

} // namespace handoff::test

namespace handoff::test {

inline OAuthReply redeem(const TestServer& server, const CibaClient& client, const QString& authReqId)
{
    return oauthPost(server, QStringLiteral("/token"),
                     "grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=" + QUrl::toPercentEncoding(authReqId),
                     client.id, client.secret);
}

// Waits until the real client holds the request, decides it, and waits for the
// server's verdict; true when the server accepted the decision.
inline bool decideOn(device::DeviceClient& device, const QString& authReqId, bool approve)
{
    if (!QTest::qWaitFor([&] { return device.pendingRequest(authReqId).has_value(); }, 15'000)) {
        return false;
    }
    QSignalSpy results(&device, &device::DeviceClient::decisionResult);
    if (!device.decide(authReqId, approve).ok()) {
        return false;
    }
    return QTest::qWaitFor([&] { return !results.isEmpty(); }, 15'000) && results.first().at(1).toBool();
}

} // namespace handoff::test
