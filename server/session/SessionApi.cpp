#include "server/session/SessionApi.h"

#include "server/app/Logging.h"
#include "server/session/SessionJson.h"
#include "server/session/SessionService.h"
#include "server/store/ApiKeyStore.h"

namespace handoff::server {

namespace {

HttpResponse storageFailure(const Error& error)
{
    qCWarning(lcSession).noquote() << error.message;
    return HttpResponse::error(500, QStringLiteral("internal_error"), QStringLiteral("the server could not complete the request"));
}

HttpResponse notFound()
{
    return HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no such session"));
}

} // namespace

SessionApi::SessionApi(ApiKeyStore& keys, SessionService& sessions, PublicUrls urls,
                       CreateSessionRequest::TtlLimits ttl, int sessionsPerMinute)
    : m_keys(keys)
    , m_sessions(sessions)
    , m_urls(std::move(urls))
    , m_ttl(ttl)
    , m_createLimiter(sessionsPerMinute)
{
}

void SessionApi::registerRoutes(Router& router)
{
    router.add("POST", "/session", [this](const HttpRequest& request, const QStringList&) { return create(request); });
    router.add("GET", "/session/{}", [this](const HttpRequest& request, const QStringList& params) {
        return get(request, params.at(0));
    });
    router.add("DELETE", "/session/{}", [this](const HttpRequest& request, const QStringList& params) {
        return cancel(request, params.at(0));
    });
    router.add("POST", "/session/{}/resolve", [this](const HttpRequest& request, const QStringList& params) {
        return resolve(request, params.at(0));
    });
}

std::optional<QString> SessionApi::authenticate(const HttpRequest& request, HttpResponse* failure)
{
    const QByteArray authorization = request.header("authorization");
    QByteArray key;
    if (authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0) {
        key = authorization.mid(7).trimmed();
    }
    if (key.isEmpty()) {
        *failure = HttpResponse::error(401, QStringLiteral("invalid_api_key"),
                                       QStringLiteral("send your API key as Authorization: Bearer <api_key>"));
        failure->setHeader("WWW-Authenticate", "Bearer");
        return std::nullopt;
    }
    std::optional<QString> keyId = m_keys.authenticate(key);
    if (!keyId) {
        *failure = HttpResponse::error(401, QStringLiteral("invalid_api_key"),
                                       QStringLiteral("the API key is not valid or has been revoked"));
        failure->setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    return keyId;
}

std::optional<SessionRecord> SessionApi::ownedSession(const HttpRequest& request, const QString& id,
                                                      HttpResponse* failure)
{
    const std::optional<QString> keyId = authenticate(request, failure);
    if (!keyId) {
        return std::nullopt;
    }
    if (!SessionService::isWellFormedId(id.toLatin1())) {
        *failure = notFound();
        return std::nullopt;
    }
    Result<std::optional<SessionRecord>> found = m_sessions.find(id);
    if (!found) {
        *failure = storageFailure(found.error());
        return std::nullopt;
    }
    if (!found->has_value()) {
        *failure = notFound();
        return std::nullopt;
    }
    if ((*found)->apiKeyId != *keyId) {
        *failure = HttpResponse::error(403, QStringLiteral("forbidden"),
                                       QStringLiteral("this session belongs to another API key"));
        return std::nullopt;
    }
    return **found;
}

HttpResponse SessionApi::create(const HttpRequest& request)
{
    HttpResponse failure;
    const std::optional<QString> keyId = authenticate(request, &failure);
    if (!keyId) {
        return failure;
    }
    int retryAfter = 1;
    if (!m_createLimiter.tryAcquire(*keyId, &retryAfter)) {
        HttpResponse response = HttpResponse::error(429, QStringLiteral("rate_limited"),
                                                    QStringLiteral("too many sessions created with this key; retry in %1 s").arg(retryAfter));
        response.setHeader("Retry-After", QByteArray::number(retryAfter));
        return response;
    }
    Result<CreateSessionRequest> parsed = CreateSessionRequest::parse(request.body, m_ttl);
    if (!parsed) {
        return HttpResponse::error(400, QStringLiteral("invalid_request"), parsed.error().message, parsed.error().code);
    }
    Result<SessionService::Created> created = m_sessions.create(*keyId, *parsed);
    if (!created) {
        return storageFailure(created.error());
    }
    const SessionRecord& record = created->record;
    HttpResponse response = HttpResponse::json(
        201, QJsonObject{
                 {QStringLiteral("session_id"), record.id},
                 {QStringLiteral("session_url"), m_urls.sessionUrl(record.id, created->viewerToken)},
                 {QStringLiteral("stream_token"), QString::fromLatin1(created->streamToken)},
                 {QStringLiteral("stream_url"), m_urls.streamUrl(record.id)},
                 {QStringLiteral("expires_at"), SessionJson::timestamp(record.expiresAtMs)},
             });
    response.setHeader("Location", "/session/" + record.id.toLatin1());
    if (m_createdHook) {
        // The link the devices get carries the agent's own k and s, so the app pins the
        // agent's key and proves itself to the agent as with a link the agent printed.
        QString deliveredUrl = m_urls.sessionUrl(record.id, created->viewerToken);
        if (!parsed->viewerSecret.isEmpty()) {
            deliveredUrl += QStringLiteral("&k=") + parsed->agentKeyFingerprint + QStringLiteral("&s=")
                + parsed->viewerSecret;
        }
        m_createdHook(record, deliveredUrl);
    }
    return response;
}

HttpResponse SessionApi::get(const HttpRequest& request, const QString& id)
{
    HttpResponse failure;
    const std::optional<SessionRecord> record = ownedSession(request, id, &failure);
    if (!record) {
        return failure;
    }
    if (record->status == SessionStatus::Timeout) {
        return HttpResponse::error(410, QStringLiteral("expired"), QStringLiteral("the session has expired"));
    }
    return HttpResponse::json(200, SessionJson::status(*record));
}

HttpResponse SessionApi::cancel(const HttpRequest& request, const QString& id)
{
    return finish(request, id, SessionStatus::Cancelled);
}

HttpResponse SessionApi::resolve(const HttpRequest& request, const QString& id)
{
    return finish(request, id, SessionStatus::Resolved);
}

HttpResponse SessionApi::finish(const HttpRequest& request, const QString& id, SessionStatus to)
{
    HttpResponse failure;
    std::optional<SessionRecord> record = ownedSession(request, id, &failure);
    if (!record) {
        return failure;
    }
    const QJsonObject done = to == SessionStatus::Cancelled ? QJsonObject{{QStringLiteral("cancelled"), true}}
                                                            : QJsonObject{{QStringLiteral("resolved"), true}};
    if (!isTerminal(record->status)) {
        Result<bool> changed = m_sessions.finish(id, to);
        if (!changed) {
            return storageFailure(changed.error());
        }
        if (*changed) {
            return HttpResponse::json(200, done);
        }
        // Lost a race with another ending: answer from the status that won.
        Result<std::optional<SessionRecord>> again = m_sessions.find(id);
        if (!again || !again->has_value()) {
            return again ? notFound() : storageFailure(again.error());
        }
        record = **again;
    }
    if (record->status == SessionStatus::Timeout) {
        return HttpResponse::error(410, QStringLiteral("expired"), QStringLiteral("the session has expired"));
    }
    if (record->status == to) {
        return HttpResponse::json(200, done); // the same request again changes nothing
    }
    return HttpResponse::error(409, QStringLiteral("conflict"),
                               QStringLiteral("the session is already %1").arg(toString(record->status).toLower()));
}

} // namespace handoff::server
