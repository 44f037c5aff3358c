// The device channel's messages as the desktop app reads them from the server
// (PROTOCOL 4): the text is decoded as DeviceClient does, and each message kind
// the app keeps goes through its parser: ApprovalRequest (approval_request and
// the welcome's "pending" list), SessionRequestNotice (session_request) and
// ApprovalHistoryEntry (the "entries" of history). What a parser accepts is
// within its bounds and comes back the same through toJson() and fromJson().

#include "FuzzSupport.h"
#include "core/device/ApprovalHistoryEntry.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/SessionRequestNotice.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace handoff::device;

namespace {

bool same(const ApprovalRequest& a, const ApprovalRequest& b)
{
    return a.authReqId == b.authReqId && a.clientId == b.clientId && a.clientName == b.clientName && a.user == b.user
        && a.scope == b.scope && a.bindingMessage == b.bindingMessage && a.requestedAt == b.requestedAt
        && a.expiresAt == b.expiresAt;
}

bool same(const SessionRequestNotice& a, const SessionRequestNotice& b)
{
    return a.sessionId == b.sessionId && a.sessionUrl == b.sessionUrl && a.service == b.service && a.hint == b.hint
        && a.expiresAt == b.expiresAt;
}

bool same(const ApprovalHistoryEntry& a, const ApprovalHistoryEntry& b)
{
    return a.authReqId == b.authReqId && a.clientName == b.clientName && a.scope == b.scope
        && a.bindingMessage == b.bindingMessage && a.requestedAt == b.requestedAt && a.decidedAt == b.decidedAt
        && a.outcome == b.outcome && a.deviceName == b.deviceName;
}

template<typename Message> void check(const QJsonObject& object)
{
    const auto parsed = Message::fromJson(object);
    if (!parsed) {
        FUZZ_CHECK(handoff::fuzz::isErrorCode(parsed.error().code));
        FUZZ_CHECK(!parsed.error().message.isEmpty());
        return;
    }
    const auto again = Message::fromJson(parsed->toJson());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(same(*again, *parsed));
}

void checkRequest(const QJsonObject& object)
{
    check<ApprovalRequest>(object);
    if (const auto request = ApprovalRequest::fromJson(object); request.ok()) {
        FUZZ_CHECK(request->requestedAtTime().isValid() && request->expiresAtTime().isValid());
        FUZZ_CHECK(request->authReqId.size() <= ApprovalRequest::MaxIdLength);
        FUZZ_CHECK(request->scope.size() <= ApprovalRequest::MaxScopeLength);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // DeviceClient receives a QString and reads its UTF-8.
    const QByteArray text = QString::fromUtf8(handoff::fuzz::bytes(data, size)).toUtf8();
    const QJsonObject message = QJsonDocument::fromJson(text).object();
    checkRequest(message);
    check<SessionRequestNotice>(message);
    check<ApprovalHistoryEntry>(message);
    for (const QJsonValue& pending : message.value(QLatin1String("pending")).toArray())
        checkRequest(pending.toObject());
    for (const QJsonValue& entry : message.value(QLatin1String("entries")).toArray())
        check<ApprovalHistoryEntry>(entry.toObject());
    return 0;
}
