#pragma once

// The CIBA backchannel authentication endpoint (CIBA Core 7), POST /bc-authorize,
// form-encoded, with client_secret_basic or client_secret_post. Answers
// 200 {auth_req_id, expires_in, interval} or an error {error, error_description}:
//   400 invalid_request, invalid_scope, unknown_user_id, missing_user_code,
//       invalid_user_code, invalid_binding_message; 401 invalid_client;
//   403 access_denied (no paired device, already MaxPendingPerUser requests
//       waiting for the person, the client is blocked for this person after
//       repeated denials or unanswered requests (DenialBlocker), or the person's
//       user_code or the client's use of user codes is locked after too many wrong
//       codes (UserCodeGuard): the OP denies without asking, against prompt
//       bombing and guessing); 429 slow_down (more requests from this client than
//       its rate allows, or user_code checks for the person still under way).
// A user_code is checked on worker threads (UserCodeChecker): the answer to such
// a request comes later (DeferredResponse) and the event loop serves others
// meanwhile.
// login_hint_token and id_token_hint are not supported (invalid_request), so
// expired_login_hint_token never arises. A new request goes at once, as an
// approval_request, to the user's online devices.
//
// The token endpoint (CIBA Core 10-11), POST /token, grant
// urn:openid:params:grant-type:ciba with auth_req_id: 200 {access_token,
// token_type, expires_in, id_token, scope} once a device approved, else
// authorization_pending, slow_down (polled faster than the interval; the
// interval then grows by 5 s, at most MaxSlowDownSeconds over the client's own),
// expired_token, access_denied, invalid_grant
// (unknown, another client's or already redeemed auth_req_id), invalid_request,
// invalid_client (401), unauthorized_client (push clients must not poll),
// unsupported_grant_type. Tokens are ES256 JWTs (TokenIssuer, ServerKey), published
// at /jwks. Once /token gave a ping client the outcome, its ping notification is
// not sent (again): the outbox marks it superseded.
//
// Discovery advertises all three delivery modes of CIBA Core 5: poll, ping and
// push (NotificationDispatcher sends the ping and push notifications), and the
// fields OpenID Connect Discovery requires: authorization_endpoint names
// /authorize, which answers every request 400 unsupported_response_type (there is
// no front channel), so response_types_supported is empty.

#include "server/http/RateLimiter.h"
#include "server/http/Router.h"

#include <QString>

#include <functional>

namespace handoff::server {

class ClientStore;
class Database;
class DenialBlocker;
class DeviceHub;
class DeviceStore;
class NotificationOutbox;
class TokenIssuer;
class UserCodeChecker;
class UserCodeGuard;
class UserStore;

class CibaApi final {
public:
    // The parts /bc-authorize and /token work with.
    struct Parts final {
        Database& database;
        ClientStore& clients;
        UserStore& users;
        DeviceStore& devices;
        DeviceHub& hub;
        TokenIssuer& tokens;
        NotificationOutbox& outbox;
        DenialBlocker& denialBlocker; // refuses clients that one person kept denying or ignoring
        UserCodeGuard& userCodes;     // refuses guessed user codes
        UserCodeChecker& codeChecker; // checks user codes off the event loop
    };
    // `requestsPerMinute`: /bc-authorize calls one client may make a minute.
    CibaApi(const Parts& parts, QString issuer, int requestsPerMinute);
    ~CibaApi();
    Q_DISABLE_COPY_MOVE(CibaApi)
    void registerRoutes(Router& router);
    // Told of each new request's expiry (ms since the epoch), so that expiry can be armed for it.
    void setRequestCreatedHook(std::function<void(qint64 expiresAtMs)> hook) { m_requestCreated = std::move(hook); }

    static constexpr int MaxPendingPerUser = 3;
    static constexpr int DefaultExpirySeconds = 300;
    static constexpr int MaxExpirySeconds = 1800;
    static constexpr qsizetype MaxNotificationTokenLength = 1024;
    static constexpr int SlowDownStepSeconds = 5;
    // slow_down never makes a client wait more than this much longer than its own interval.
    static constexpr int MaxSlowDownSeconds = 60;

    static HttpResponse oauthError(int status, const QString& code, const QString& description);
    // 500 server_error; `detail` (a storage or key error) goes to the log only.
    static HttpResponse serverError(const QString& detail);

    // The CIBA part of /metrics that this endpoint keeps (rate-limited requests).
    QByteArray renderMetrics() const;

private:
    struct Authorization;
    HttpResponse backchannelAuthenticate(const HttpRequest& request);
    // After the user_code (if any) held: the checks that need no secret, then the request is made.
    HttpResponse authorize(const Authorization& authorization);
    // The final answer /token gave a ping client makes its notification pointless.
    void supersedePing(const QString& authReqId, qint64 nowMs);
    HttpResponse token(const HttpRequest& request);
    HttpResponse jwks();
    // /.well-known/openid-configuration: what this OP does, poll, ping and push delivery included.
    HttpResponse discovery();

    Database& m_database;
    ClientStore& m_clients;
    UserStore& m_users;
    DeviceStore& m_devices;
    DeviceHub& m_hub;
    TokenIssuer& m_tokens;
    NotificationOutbox& m_outbox;
    DenialBlocker& m_denialBlocker;
    UserCodeGuard& m_userCodes;
    UserCodeChecker& m_codeChecker;
    QString m_issuer;
    RateLimiter m_rateLimiter;
    qint64 m_rateLimited = 0;
    std::function<void(qint64)> m_requestCreated;
};

} // namespace handoff::server
