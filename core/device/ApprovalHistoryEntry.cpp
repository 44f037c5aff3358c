#include "core/device/ApprovalHistoryEntry.h"

namespace handoff::device {

QJsonObject ApprovalHistoryEntry::toJson() const
{
    return QJsonObject{
        {QStringLiteral("auth_req_id"), authReqId},       {QStringLiteral("client_name"), clientName},
        {QStringLiteral("scope"), scope},                 {QStringLiteral("binding_message"), bindingMessage},
        {QStringLiteral("requested_at"), requestedAt},    {QStringLiteral("decided_at"), decidedAt},
        {QStringLiteral("outcome"), outcome},             {QStringLiteral("device_name"), deviceName},
    };
}

Result<ApprovalHistoryEntry> ApprovalHistoryEntry::fromJson(const QJsonObject& object)
{
    ApprovalHistoryEntry entry;
    const auto text = [&object](const char* name) {
        return object.value(QLatin1String(name)).toString().left(1000);
    };
    entry.authReqId = text("auth_req_id");
    entry.clientName = text("client_name");
    entry.scope = text("scope");
    entry.bindingMessage = text("binding_message");
    entry.requestedAt = text("requested_at");
    entry.decidedAt = text("decided_at");
    entry.outcome = text("outcome");
    entry.deviceName = text("device_name");
    if (entry.authReqId.isEmpty() || entry.outcome.isEmpty()) {
        return Error{QStringLiteral("invalid_message"), QStringLiteral("a history entry lacks its id or outcome")};
    }
    return entry;
}

} // namespace handoff::device
