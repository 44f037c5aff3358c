#include "server/audit/AuditRecord.h"

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceStatements.h"
#include "server/ciba/ServerKey.h"

#include <optional>

namespace handoff::server {

namespace {

constexpr qsizetype maxFieldLength = 4096;

} // namespace

QByteArray AuditRecord::statement() const
{
    return device::DeviceStatements::approvalDecision(server, request, deviceId, decision, decidedAt);
}

QJsonObject AuditRecord::toJson() const
{
    QJsonObject line{
        {QStringLiteral("type"), typeName()},
        {QStringLiteral("server"), server},
        {QStringLiteral("auth_req_id"), request.authReqId},
        {QStringLiteral("client_id"), request.clientId},
        {QStringLiteral("client_name"), request.clientName},
        {QStringLiteral("user"), request.user},
        {QStringLiteral("scope"), request.scope},
        {QStringLiteral("binding_message"), request.bindingMessage},
        {QStringLiteral("requested_at"), request.requestedAt},
        {QStringLiteral("expires_at"), request.expiresAt},
        {QStringLiteral("outcome"), outcome},
    };
    if (!deviceId.isEmpty()) {
        line.insert(QStringLiteral("device_id"), deviceId);
        line.insert(QStringLiteral("device_name"), deviceName);
        line.insert(QStringLiteral("device_public_key"), QString::fromLatin1(devicePublicKey.toBase64()));
        line.insert(QStringLiteral("decision"), decision);
        line.insert(QStringLiteral("decided_at"), decidedAt);
        line.insert(QStringLiteral("signature"), QString::fromLatin1(ServerKey::base64Url(signature)));
        line.insert(QStringLiteral("recorded_at"), recordedAt);
    }
    if (!tokensIssuedAt.isEmpty()) {
        line.insert(QStringLiteral("tokens_issued_at"), tokensIssuedAt);
    }
    return line;
}

Result<AuditRecord> AuditRecord::fromJson(const QJsonObject& object)
{
    const auto field = [&object](const char* name, bool required, QString* out) {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined() && !required) {
            return true;
        }
        if (!value.isString() || value.toString().size() > maxFieldLength) {
            return false;
        }
        *out = value.toString();
        return true;
    };
    const auto invalid = [](const char* name) {
        return Error{QStringLiteral("malformed"),
                     QStringLiteral("\"%1\" is missing or not a string").arg(QLatin1String(name))};
    };
    AuditRecord record;
    struct Field final {
        const char* name;
        bool required;
        QString* out;
    };
    QString key;
    QString signature;
    const Field fields[] = {
        {"server", false, &record.server},
        {"auth_req_id", true, &record.request.authReqId},
        {"client_id", true, &record.request.clientId},
        {"client_name", true, &record.request.clientName},
        {"user", true, &record.request.user},
        {"scope", true, &record.request.scope},
        {"binding_message", true, &record.request.bindingMessage},
        {"requested_at", true, &record.request.requestedAt},
        {"expires_at", true, &record.request.expiresAt},
        {"outcome", true, &record.outcome},
        {"device_id", false, &record.deviceId},
        {"device_name", false, &record.deviceName},
        {"device_public_key", false, &key},
        {"decision", false, &record.decision},
        {"decided_at", false, &record.decidedAt},
        {"signature", false, &signature},
        {"recorded_at", false, &record.recordedAt},
        {"tokens_issued_at", false, &record.tokensIssuedAt},
    };
    for (const Field& f : fields) {
        if (!field(f.name, f.required, f.out)) {
            return invalid(f.name);
        }
    }
    if (record.request.authReqId.isEmpty() || record.outcome.isEmpty()) {
        return Error{QStringLiteral("malformed"), QStringLiteral("the line lacks its auth_req_id or outcome")};
    }
    const bool anyDecision = !record.deviceId.isEmpty() || !key.isEmpty() || !record.decision.isEmpty()
                             || !record.decidedAt.isEmpty() || !signature.isEmpty() || !record.server.isEmpty();
    if (!anyDecision) {
        return record;
    }
    if (record.server.isEmpty() || record.deviceId.isEmpty() || key.isEmpty() || record.decision.isEmpty()
        || record.decidedAt.isEmpty() || signature.isEmpty()) {
        return Error{QStringLiteral("malformed"),
                     QStringLiteral("a decided line needs server, device_id, device_public_key, decision, decided_at "
                                    "and signature")};
    }
    const auto point = QByteArray::fromBase64Encoding(key.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!point || (*point).size() != crypto::SigningKey::PublicPointSize) {
        return Error{QStringLiteral("malformed"), QStringLiteral("device_public_key is not a b64 P-256 point")};
    }
    const auto sig = QByteArray::fromBase64Encoding(signature.toLatin1(), QByteArray::Base64UrlEncoding
                                                                              | QByteArray::AbortOnBase64DecodingErrors);
    if (!sig || (*sig).size() != crypto::SigningKey::SignatureSize) {
        return Error{QStringLiteral("malformed"), QStringLiteral("signature is not a b64url 64-byte r||s")};
    }
    record.devicePublicKey = *point;
    record.signature = *sig;
    return record;
}

QJsonObject AuditBlock::toJson() const
{
    return QJsonObject{
        {QStringLiteral("type"), typeName()},
        {QStringLiteral("client_id"), clientId},
        {QStringLiteral("client_name"), clientName},
        {QStringLiteral("user"), user},
        {QStringLiteral("denials"), denials},
        {QStringLiteral("ignored"), ignored},
        {QStringLiteral("last_denied_auth_req_id"), lastDeniedAuthReqId},
        {QStringLiteral("started_at"), startedAt},
        {QStringLiteral("ends_at"), endsAt},
        {QStringLiteral("devices_told"), devicesTold},
        {QStringLiteral("refused_requests"), refusedRequests},
    };
}

QJsonObject AuditUserCodeLock::toJson() const
{
    return QJsonObject{
        {QStringLiteral("type"), typeName()},
        {QStringLiteral("scope"), scope},
        {QStringLiteral("client_id"), clientId},
        {QStringLiteral("client_name"), clientName},
        {QStringLiteral("user"), user},
        {QStringLiteral("failures"), failures},
        {QStringLiteral("started_at"), startedAt},
        {QStringLiteral("ends_at"), endsAt},
        {QStringLiteral("devices_told"), devicesTold},
        {QStringLiteral("refused_requests"), refusedRequests},
    };
}

} // namespace handoff::server
