#pragma once

// The agent HTTP API of PROTOCOL section 1 (AuthLoop-compatible):
//   POST   /session                 201 {session_id, session_url, stream_token, stream_url, expires_at}
//   GET    /session/{id}            200 {session_id, status, service, context, created_at, expires_at}
//   DELETE /session/{id}            200 {"cancelled": true}
//   POST   /session/{id}/resolve    200 {"resolved": true}
// with the errors of the table: 400 invalid_request (naming the field), 401
// invalid_api_key, 403 forbidden, 404 not_found, 409 conflict, 410 expired, 413
// payload_too_large (from the HTTP layer), 429 rate_limited.

#include "server/app/PublicUrls.h"
#include "server/http/RateLimiter.h"
#include "server/http/Router.h"
#include "server/session/CreateSessionRequest.h"
#include "server/store/SessionRecord.h"

#include <functional>
#include <optional>

namespace handoff::server {

class ApiKeyStore;
class SessionService;

class SessionApi final {
public:
    SessionApi(ApiKeyStore& keys, SessionService& sessions, PublicUrls urls, CreateSessionRequest::TtlLimits ttl,
               int sessionsPerMinute);

    void registerRoutes(Router& router);
    // Called after each successful POST /session with the new record and its session
    // URL (which holds the viewer token): the hook that tells a login_hint's devices.
    void setCreatedHook(std::function<void(const SessionRecord&, const QString& sessionUrl)> hook)
    {
        m_createdHook = std::move(hook);
    }

private:
    HttpResponse create(const HttpRequest& request);
    HttpResponse get(const HttpRequest& request, const QString& id);
    HttpResponse cancel(const HttpRequest& request, const QString& id);
    HttpResponse resolve(const HttpRequest& request, const QString& id);

    // The caller's key id, or the 401 to answer with.
    std::optional<QString> authenticate(const HttpRequest& request, HttpResponse* failure);
    // The caller's session, or the 401/403/404/500 to answer with.
    std::optional<SessionRecord> ownedSession(const HttpRequest& request, const QString& id, HttpResponse* failure);
    HttpResponse finish(const HttpRequest& request, const QString& id, SessionStatus to);

    ApiKeyStore& m_keys;
    SessionService& m_sessions;
    PublicUrls m_urls;
    CreateSessionRequest::TtlLimits m_ttl;
    RateLimiter m_createLimiter;
    std::function<void(const SessionRecord&, const QString&)> m_createdHook;
};

} // namespace handoff::server
