#pragma once

// What the relay tells the viewer about a session when it connects
// ({"type":"session_info",...}, PROTOCOL 2): what to show the person. Parsing is
// pure and bounded; these fields come from the agent through the server.

#include "core/common/Result.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

namespace handoff::session {

struct SessionInfo final {
    QString sessionId;
    QString service;     // the site or app the agent needs help with, 1-100 characters
    QString pageUrl;     // context.url, may be empty
    QString blockerType; // context.blocker_type: otp, password, captcha, ... or empty
    QString hint;        // context.hint, at most 200 characters, may be empty
    QDateTime expiresAt; // invalid when the server did not say

    static constexpr qsizetype MaxJsonSize = 16 * 1024;

    static Result<SessionInfo> parse(QByteArrayView json);

    // "One-time code", "Password", ...: the blocker type for a person.
    static QString describeBlocker(const QString& blockerType);
};

} // namespace handoff::session
