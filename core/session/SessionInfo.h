#pragma once

// What a session is about, to show the person: the relay's {"type":"session_info",...}
// when the viewer connects (PROTOCOL 2), and in version 2 the agent's own copy,
// sent end-to-end encrypted after the handshake (PROTOCOL 3), which is the one
// shown. Parsing is pure and bounded, and the text fields come out as plain text
// a person can trust to read as written: control and format characters (bidi
// overrides, zero-width characters), which could reorder or hide what is shown,
// are replaced with U+FFFD.

#include "core/common/Result.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

namespace handoff::session {

struct SessionInfo final {
    // Who described the session: nobody yet, the relay (version 1), or the agent
    // itself through the encrypted channel (version 2).
    enum class Source { None, Relay, Agent };

    QString sessionId;
    QString service;     // the site or app the agent needs help with, 1-100 characters
    QString pageUrl;     // context.url, may be empty
    QString blockerType; // context.blocker_type: otp, password, captcha, ... or empty
    QString hint;        // context.hint, at most 200 characters, may be empty
    QDateTime expiresAt; // invalid when the server did not say
    Source source = Source::None;

    static constexpr qsizetype MaxJsonSize = 16 * 1024;

    static Result<SessionInfo> parse(QByteArrayView json);

    // "One-time code", "Password", ...: the blocker type for a person.
    static QString describeBlocker(const QString& blockerType);
};

} // namespace handoff::session
