#pragma once

// The body of POST /session, checked field by field (PROTOCOL section 1). Pure.
// On failure the Error's code names the offending field ("service", "ttl",
// "context.hint", or "body" for the document as a whole). Text a person will be
// shown must be plain (PlainText::containsDeceptive refuses the rest).

#include "core/common/Result.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace handoff::server {

struct CreateSessionRequest final {
    QString service;
    QString cdpUrl;
    int ttlSeconds = 600;
    QJsonObject context; // only the known fields: url, blocker_type, hint
    QString loginHint;
    // e2e {k, s}: the agent's key fingerprint and viewer secret, which the agent
    // gives only to have them put into the links this server delivers to the
    // login_hint's devices (PROTOCOL 4). Never stored, never logged.
    QString agentKeyFingerprint;
    QString viewerSecret;

    struct TtlLimits final {
        int min = 30;
        int max = 3600;
        int defaultValue = 600;
    };
    static Result<CreateSessionRequest> parse(QByteArrayView body, TtlLimits limits);
};

} // namespace handoff::server
