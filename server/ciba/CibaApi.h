#pragma once

// The CIBA backchannel authentication endpoint (CIBA Core 7), POST /bc-authorize,
// form-encoded, with client_secret_basic or client_secret_post. Answers
// 200 {auth_req_id, expires_in, interval} or an error {error, error_description}:
//   400 invalid_request, invalid_scope, unknown_user_id, missing_user_code,
//       invalid_user_code, invalid_binding_message; 401 invalid_client;
//   403 access_denied (no paired device, already MaxPendingPerUser requests
//       waiting for the person, or the client is blocked for this person after
//       repeated denials (DenialBlocker): the OP denies without asking, against
//       prompt bombing).
// login_hint_token and id_token_hint are not supported (invalid_request), so
// expired_login_hint_token never arises. A new request goes at once, as an
// approval_request, to the user's online devices.
//
// The token endpoint (CIBA Core 10-11), POST /token, grant
// urn:openid:params:grant-type:ciba with auth_req_id: 200 {access_token,
// token_type, expires_in, id_token, scope} once a device approved, else
// authorization_pending, slow_down (polled faster than the interval; the
// interval then grows by 5 s), expired_token, access_denied, invalid_grant
// (unknown, another client's or already redeemed auth_req_id), invalid_request,
// invalid_client (401), unauthorized_client (push clients must not poll),
// unsupported_grant_type. Tokens are ES256 JWTs (TokenIssuer, ServerKey), published
// at /jwks.
//
// Discovery advertises all three delivery modes of CIBA Core 5: poll, ping and
// push (NotificationDispatcher sends the ping and push notifications).

#include "server/http/Router.h"

#include <QString>

#include <functional>

namespace handoff::server {

class ClientStore;
class Database;
class DenialBlocker;
class DeviceHub;
class DeviceStore;
class TokenIssuer;
class UserStore;

class CibaApi final {
public:
    // `denialBlocker` refuses clients that one person kept denying (access_denied while blocked).
    CibaApi(Database& database, ClientStore& clients, UserStore& users, DeviceStore& devices, DeviceHub& hub,
            TokenIssuer& tokens, DenialBlocker& denialBlocker, QString issuer);
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

    static HttpResponse oauthError(int status, const QString& code, const QString& description);
    // 500 server_error; `detail` (a storage or key error) goes to the log only.
    static HttpResponse serverError(const QString& detail);

private:
    HttpResponse backchannelAuthenticate(const HttpRequest& request);
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
    DenialBlocker& m_denialBlocker;
    QString m_issuer;
    std::function<void(qint64)> m_requestCreated;
};

} // namespace handoff::server
