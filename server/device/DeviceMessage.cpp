#include "server/device/DeviceMessage.h"

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceStatements.h"

#include <QJsonValue>

#include <optional>

namespace handoff::server {

namespace {

Error invalid(const QString& message)
{
    return Error { QStringLiteral("invalid_message"), message };
}

std::optional<QByteArray> base64Url(const QJsonValue& value)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        value.toString().toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        return std::nullopt;
    }
    return decoded.decoded;
}

} // namespace

bool DeviceMessage::Decision::approves() const
{
    return decision == device::DeviceStatements::approveWord();
}

QString DeviceMessage::decisionRequestId(const QJsonObject& message)
{
    return message.value(QStringLiteral("auth_req_id")).toString().left(MaxAuthReqIdLength);
}

Result<DeviceMessage::Authenticate> DeviceMessage::authenticate(const QJsonObject& message)
{
    Authenticate out;
    out.deviceId = message.value(QStringLiteral("device_id")).toString();
    const std::optional<QByteArray> signature = base64Url(message.value(QStringLiteral("signature")));
    if (out.deviceId.isEmpty() || out.deviceId.size() > MaxDeviceIdLength || !signature) {
        return invalid(QStringLiteral("authenticate needs a device_id and a base64url signature"));
    }
    out.signature = *signature;
    return out;
}

Result<DeviceMessage::Decision> DeviceMessage::decision(const QJsonObject& message)
{
    Decision out;
    out.authReqId = decisionRequestId(message);
    out.decision = message.value(QStringLiteral("decision")).toString();
    out.decidedAt = message.value(QStringLiteral("decided_at")).toString();
    const std::optional<QByteArray> signature = base64Url(message.value(QStringLiteral("signature")));
    out.decidedTime = QDateTime::fromString(out.decidedAt, Qt::ISODate);
    if (out.authReqId.isEmpty()
        || (out.decision != device::DeviceStatements::approveWord()
            && out.decision != device::DeviceStatements::denyWord())
        || !out.decidedTime.isValid() || out.decidedAt.size() > MaxTimeLength || !signature
        || signature->size() != crypto::SigningKey::SignatureSize) {
        return invalid(QStringLiteral("the decision is malformed"));
    }
    out.signature = *signature;
    return out;
}

} // namespace handoff::server
