#pragma once

// One past approval request of the user, as the server lists it to a device
// (`history`, PROTOCOL 4): what was asked, and what became of it.

#include "core/common/Result.h"

#include <QJsonObject>
#include <QString>

namespace handoff::device {

struct ApprovalHistoryEntry final {
    QString authReqId;
    QString clientName;
    QString scope;
    QString bindingMessage;
    QString requestedAt;
    QString decidedAt;  // empty when it expired undecided
    QString outcome;    // "pending", "approved", "denied" or "expired"
    QString deviceName; // the device that decided, if any

    QJsonObject toJson() const;
    static Result<ApprovalHistoryEntry> fromJson(const QJsonObject& object);
};

} // namespace handoff::device
