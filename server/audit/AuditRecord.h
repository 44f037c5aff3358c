#pragma once

// One line of an audit export (`handoff-server audit export`): a JSON object on a
// line of its own that anyone can check with nothing but the line.
//
// A request line ("type":"approval") holds every field of the device's signed
// statement (DeviceStatements::approvalDecision: server, auth_req_id, client_id,
// client_name, user, scope, binding_message, requested_at, expires_at, device_id,
// decision, decided_at), the deciding device's public key (b64 of the 65-byte
// point), the signature (b64url r||s) and the outcome ("approved", "denied",
// "expired" or "pending"), plus device_name, recorded_at (the server's time of
// the decision) and tokens_issued_at. Undecided requests carry no device,
// decision or signature. Never in a line: the client notification token, any
// secret or hash.
//
// A block line ("type":"block") records a prompt-bombing block: client, user,
// denials (denied and unanswered requests), how many of them went unanswered, the
// refusal that triggered it, start, end, devices told, requests refused.
//
// A user-code lock line ("type":"user_code_lock") records a lock after wrong user
// codes: scope ("user": that person's code; "client": that client's use of codes),
// client, user, wrong codes, start, end, devices told, requests refused.

#include "core/common/Result.h"
#include "core/device/ApprovalRequest.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace handoff::server {

struct AuditRecord final {
    QString server; // the identity the decision was signed for
    device::ApprovalRequest request;
    QString outcome;
    QString deviceId;   // empty when undecided
    QString deviceName;
    QByteArray devicePublicKey; // 65-byte point
    QString decision;  // "approve" or "deny"
    QString decidedAt; // as the device signed it
    QByteArray signature; // 64-byte r || s
    QString recordedAt;
    QString tokensIssuedAt;

    bool isSigned() const { return !signature.isEmpty(); }
    // The exact bytes the device signed.
    QByteArray statement() const;

    QJsonObject toJson() const;
    // Every statement field must be a string; keys and signature must decode.
    static Result<AuditRecord> fromJson(const QJsonObject& object);

    static QString typeName() { return QStringLiteral("approval"); }
};

struct AuditBlock final {
    QString clientId;
    QString clientName;
    QString user;
    int denials = 0;
    int ignored = 0;
    QString lastDeniedAuthReqId;
    QString startedAt;
    QString endsAt;
    int devicesTold = 0;
    int refusedRequests = 0;

    QJsonObject toJson() const;
    static QString typeName() { return QStringLiteral("block"); }
};

struct AuditUserCodeLock final {
    QString scope; // "user" or "client"
    QString clientId;
    QString clientName;
    QString user;
    int failures = 0;
    QString startedAt;
    QString endsAt;
    int devicesTold = 0;
    int refusedRequests = 0;

    QJsonObject toJson() const;
    static QString typeName() { return QStringLiteral("user_code_lock"); }
};

} // namespace handoff::server
