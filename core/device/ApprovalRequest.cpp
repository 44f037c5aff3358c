#include "core/device/ApprovalRequest.h"

namespace handoff::device {

namespace {

bool takeString(const QJsonObject& object, const char* name, qsizetype maxLength, bool required, QString* out,
                Error* error)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (value.isUndefined() && !required) {
        out->clear();
        return true;
    }
    if (!value.isString() || value.toString().size() > maxLength || (required && value.toString().isEmpty())) {
        *error = Error{QStringLiteral("invalid_message"),
                       QStringLiteral("the approval request has a missing or malformed \"%1\"").arg(QLatin1String(name))};
        return false;
    }
    *out = value.toString();
    return true;
}

} // namespace

QJsonObject ApprovalRequest::toJson() const
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("approval_request")},
        {QStringLiteral("auth_req_id"), authReqId},
        {QStringLiteral("client_id"), clientId},
        {QStringLiteral("client_name"), clientName},
        {QStringLiteral("user"), user},
        {QStringLiteral("scope"), scope},
        {QStringLiteral("binding_message"), bindingMessage},
        {QStringLiteral("requested_at"), requestedAt},
        {QStringLiteral("expires_at"), expiresAt},
    };
}

Result<ApprovalRequest> ApprovalRequest::fromJson(const QJsonObject& object)
{
    ApprovalRequest request;
    Error error;
    // A binding message of 140 code points is at most 280 UTF-16 units.
    if (!takeString(object, "auth_req_id", MaxIdLength, true, &request.authReqId, &error)
        || !takeString(object, "client_id", MaxIdLength, true, &request.clientId, &error)
        || !takeString(object, "client_name", MaxNameLength, true, &request.clientName, &error)
        || !takeString(object, "user", MaxUserLength, true, &request.user, &error)
        || !takeString(object, "scope", MaxScopeLength, true, &request.scope, &error)
        || !takeString(object, "binding_message", 2 * MaxBindingMessageLength, false, &request.bindingMessage, &error)
        || !takeString(object, "requested_at", 64, true, &request.requestedAt, &error)
        || !takeString(object, "expires_at", 64, true, &request.expiresAt, &error)) {
        return error;
    }
    if (!request.requestedAtTime().isValid() || !request.expiresAtTime().isValid()) {
        return Error{QStringLiteral("invalid_message"), QStringLiteral("the approval request has malformed times")};
    }
    return request;
}

} // namespace handoff::device
