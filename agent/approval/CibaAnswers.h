#pragma once

// The answers of a CIBA provider's endpoints, read the way a poll-mode client
// must (CIBA Core 1.0 sections 7.3, 7.4, 10, 11, 13; RFC 6749 section 5): the
// backchannel authentication answer, each token poll (pending, slow_down,
// tokens, denied, expired, other OAuth errors, transient failures) and the
// claims of the ID token. Pure: HTTP status and bytes in, values out. Every
// malformed answer is an error that says what is wrong; text from the server is
// bounded and made printable (ServerText) before it reaches a person.

#include "core/common/Result.h"

#include <QByteArray>
#include <QString>

namespace handoff::agent {

struct BackchannelGrant final {
    QString authReqId;
    int expiresIn = 0; // seconds
    int interval = 0;  // seconds; 0 when the server named none
};

struct IssuedTokens final {
    QString accessToken;
    QString tokenType;
    QString idToken;
    QString scope;     // empty when the server did not say (then it is the requested scope)
    int expiresIn = 0; // seconds; 0 when the server did not say
};

struct TokenAnswer final {
    enum class Kind {
        Pending,   // authorization_pending
        SlowDown,  // slow_down: poll 5 s less often from now on
        Granted,   // tokens
        Denied,    // access_denied: the person said no
        Expired,   // expired_token
        Transient, // no answer, a timeout or a 5xx/429: worth another try
        Failed,    // any other OAuth error or a malformed answer
    };
    Kind kind = Kind::Failed;
    IssuedTokens tokens; // Granted only
    Error error;         // all but Granted: the server's code and description, or ours
};

class CibaAnswers final {
public:
    CibaAnswers() = delete;

    static constexpr qsizetype MaxAnswerBytes = 64 * 1024;
    static constexpr qsizetype MaxAuthReqIdLength = 1024;
    static constexpr int MaxExpiresInSeconds = 24 * 3600;
    static constexpr int MaxIntervalSeconds = 3600;
    static constexpr qint64 ClockLeewaySeconds = 60;

    // POST /bc-authorize. `status` 0 means no HTTP answer arrived (`networkError`
    // then says why). An OAuth error keeps its code (invalid_client,
    // unknown_user_id, ...); a malformed success is "bad_server_answer".
    static Result<BackchannelGrant> parseAuthentication(int status, const QByteArray& body,
                                                        const QString& networkError = {});
    // POST /token with grant urn:openid:params:grant-type:ciba.
    static TokenAnswer parseToken(int status, const QByteArray& body, const QString& networkError = {});
    // An RFC 6749 5.2 error body: {"error": code, "error_description"?}. Nothing when
    // the body is not one.
    static std::optional<Error> parseOAuthError(const QByteArray& body);

    // The claims a client must check on an ID token it got straight from the
    // token endpoint over TLS (OpenID Connect Core 3.1.3.7, CIBA Core 10.1.1):
    // a signed JWS (not alg none), iss, aud (and azp when several audiences), exp
    // with a minute's leeway, and the auth_req_id claim when present. The
    // signature itself is the channel's to vouch for: the answer came straight
    // from the token endpoint over TLS (or loopback).
    static Result<void> checkIdToken(const QString& idToken, const QString& issuer, const QString& clientId,
                                     const QString& authReqId, qint64 nowSeconds);
};

} // namespace handoff::agent
