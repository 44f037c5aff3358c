#pragma once

// One CIBA approval request as the server sends it to a device
// (`approval_request`, PROTOCOL 4). The text fields are kept exactly as received:
// the device signs them byte for byte (DeviceStatements::approvalDecision).

#include "core/common/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace handoff::device {

struct ApprovalRequest final {
    QString authReqId;
    QString clientId;
    QString clientName;
    QString user;           // the login hint the client named, e.g. an email
    QString scope;          // space-separated scope values
    QString bindingMessage; // may be empty
    QString requestedAt;    // RFC 3339, as sent
    QString expiresAt;      // RFC 3339, as sent

    QDateTime requestedAtTime() const { return QDateTime::fromString(requestedAt, Qt::ISODate); }
    QDateTime expiresAtTime() const { return QDateTime::fromString(expiresAt, Qt::ISODate); }
    bool isExpired(const QDateTime& now) const { return now >= expiresAtTime(); }

    // {"type":"approval_request", auth_req_id, client_id, client_name, user, scope,
    //  binding_message, requested_at, expires_at}
    QJsonObject toJson() const;
    // Bounded: every field must be a string within its limit and both times valid.
    static Result<ApprovalRequest> fromJson(const QJsonObject& object);

    static constexpr qsizetype MaxIdLength = 256;
    static constexpr qsizetype MaxNameLength = 200;
    static constexpr qsizetype MaxUserLength = 320;
    static constexpr qsizetype MaxScopeLength = 1000;
    static constexpr qsizetype MaxBindingMessageLength = 140; // code points
};

} // namespace handoff::device
