#pragma once

// An agent created a session naming this device's user as its login_hint
// (`session_request`, PROTOCOL 4): the app offers to open the viewer on it.

#include "core/common/Result.h"

#include <QJsonObject>
#include <QString>

namespace handoff::device {

struct SessionRequestNotice final {
    QString sessionId;
    QString sessionUrl; // <base>/s/<id>#t=<viewer token>[&k=...&s=...] (the agent's k and s, when it gave them)
    QString service;
    QString hint;       // context.hint, may be empty
    QString expiresAt;

    QJsonObject toJson() const;
    static Result<SessionRequestNotice> fromJson(const QJsonObject& object);
};

} // namespace handoff::device
