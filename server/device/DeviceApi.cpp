#include "server/device/DeviceApi.h"

#include "core/crypto/EcdhKeyPair.h"
#include "core/crypto/SigningKey.h"
#include "core/device/DeviceStatements.h"
#include "server/device/DeviceStore.h"
#include "server/device/UserStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcDeviceApi, "handoff.device", QtInfoMsg)

HttpResponse badField(const QString& field, const QString& message)
{
    return HttpResponse::error(400, QStringLiteral("invalid_request"), message, field);
}

bool isPlainName(const QString& name)
{
    return std::none_of(name.begin(), name.end(), [](QChar c) {
        const QChar::Category category = c.category();
        return category == QChar::Other_Control || category == QChar::Other_Format
               || category == QChar::Separator_Line || category == QChar::Separator_Paragraph;
    });
}

} // namespace

DeviceApi::DeviceApi(DeviceStore& devices, UserStore& users, QString serverIdentity)
    : m_devices(devices)
    , m_users(users)
    , m_serverIdentity(std::move(serverIdentity))
{
}

void DeviceApi::registerRoutes(Router& router)
{
    router.add("POST", "/device/pair", [this](const HttpRequest& request, const QStringList&) { return pair(request); });
}

HttpResponse DeviceApi::pair(const HttpRequest& request)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return badField(QStringLiteral("body"), QStringLiteral("the body must be a JSON object"));
    }
    const QJsonObject body = document.object();
    const QString token = body.value(QStringLiteral("pairing_token")).toString();
    if (token.size() != 43) {
        return badField(QStringLiteral("pairing_token"), QStringLiteral("pairing_token must be the token of the link"));
    }
    const QByteArray publicKeyText = body.value(QStringLiteral("public_key")).toString().toLatin1();
    const auto publicKey = QByteArray::fromBase64Encoding(publicKeyText, QByteArray::AbortOnBase64DecodingErrors);
    if (!publicKey || !crypto::EcdhKeyPair::validatePublicPoint(*publicKey)) {
        return badField(QStringLiteral("public_key"),
                        QStringLiteral("public_key must be the base64 of an uncompressed P-256 point"));
    }
    const QString name = body.value(QStringLiteral("name")).toString().trimmed();
    if (name.isEmpty() || name.size() > 100 || !isPlainName(name)) {
        return badField(QStringLiteral("name"), QStringLiteral("name must be 1 to 100 characters of plain text"));
    }
    const auto signature = QByteArray::fromBase64Encoding(
        body.value(QStringLiteral("signature")).toString().toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || (*signature).size() != crypto::SigningKey::SignatureSize) {
        return badField(QStringLiteral("signature"), QStringLiteral("signature must be a base64url ES256 signature"));
    }
    const QByteArray statement = device::DeviceStatements::pairing(m_serverIdentity, token, publicKeyText, name);
    if (!crypto::SigningKey::verify(*publicKey, statement, *signature)) {
        return HttpResponse::error(401, QStringLiteral("invalid_signature"),
                                   QStringLiteral("the signature does not prove possession of the key for this server"));
    }
    Result<DeviceRecord> device = m_devices.redeemPairing(token.toLatin1(), *publicKey, name);
    if (!device) {
        if (device.error().code == QLatin1String("invalid_pairing_token")) {
            return HttpResponse::error(401, device.error().code, device.error().message);
        }
        qCWarning(lcDeviceApi).noquote() << device.error().message;
        return HttpResponse::error(500, QStringLiteral("internal_error"), QStringLiteral("the device could not be stored"));
    }
    Result<std::optional<UserRecord>> user = m_users.findById(device->userId);
    const QString email = user && user->has_value() ? (*user)->email : QString();
    qCInfo(lcDeviceApi).noquote() << "paired device" << device->id << "for user" << device->userId;
    return HttpResponse::json(201, QJsonObject{
                                       {QStringLiteral("device_id"), device->id},
                                       {QStringLiteral("user"), email},
                                       {QStringLiteral("device_name"), device->name},
                                   });
}

} // namespace handoff::server
