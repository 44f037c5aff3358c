#include "server/ciba/CibaApi.h"

#include "core/crypto/Random.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceStatements.h"
#include "server/ciba/BindingMessage.h"
#include "server/ciba/ClientAuthenticator.h"
#include "server/ciba/ClientStore.h"
#include "server/ciba/DenialBlocker.h"
#include "server/ciba/NotificationOutbox.h"
#include "server/ciba/NotificationPayload.h"
#include "server/ciba/ServerKey.h"
#include "server/ciba/TokenIssuer.h"
#include "server/ciba/TokenStatusApi.h"
#include "server/ciba/UserCodeChecker.h"
#include "server/ciba/UserCodeGuard.h"
#include "server/device/DeviceHub.h"
#include "server/device/DeviceStore.h"
#include "server/device/UserStore.h"
#include "server/http/DeferredResponse.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QMap>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <algorithm>
#include <optional>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcCibaApi, "handoff.ciba", QtInfoMsg)

// RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
bool isScopeToken(const QString& token)
{
    return !token.isEmpty() && std::all_of(token.begin(), token.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
    });
}

} // namespace

// A request that passed every check of its form, waiting for its user_code check
// (if any) before it is made.
struct CibaApi::Authorization final {
    ClientRecord client;
    UserRecord user;
    QString scope;
    QString bindingMessage;
    QString notificationToken;
    int expiresIn = DefaultExpirySeconds;
};

CibaApi::CibaApi(const Parts& parts, QString issuer, int requestsPerMinute)
    : m_database(parts.database)
    , m_clients(parts.clients)
    , m_users(parts.users)
    , m_devices(parts.devices)
    , m_hub(parts.hub)
    , m_tokens(parts.tokens)
    , m_outbox(parts.outbox)
    , m_denialBlocker(parts.denialBlocker)
    , m_userCodes(parts.userCodes)
    , m_codeChecker(parts.codeChecker)
    , m_issuer(std::move(issuer))
    , m_rateLimiter(requestsPerMinute)
{
}

CibaApi::~CibaApi() = default;

void CibaApi::registerRoutes(Router& router)
{
    router.add("POST", "/bc-authorize",
               [this](const HttpRequest& request, const QStringList&) { return backchannelAuthenticate(request); });
    router.add("POST", "/token", [this](const HttpRequest& request, const QStringList&) { return token(request); });
    router.add("GET", "/jwks", [this](const HttpRequest&, const QStringList&) { return jwks(); });
    router.add("GET", "/.well-known/openid-configuration",
               [this](const HttpRequest&, const QStringList&) { return discovery(); });
    // OpenID Connect Discovery requires an authorization endpoint; this OP has no
    // front channel, so the one it names tells whoever comes why (never redirecting).
    const auto noFrontChannel = [](const HttpRequest&, const QStringList&) {
        return oauthError(400, QStringLiteral("unsupported_response_type"),
                          QStringLiteral("this server has no browser sign-in: it authenticates people only through "
                                         "CIBA (POST /bc-authorize)"));
    };
    router.add("GET", "/authorize", noFrontChannel);
    router.add("POST", "/authorize", noFrontChannel);
}

HttpResponse CibaApi::discovery()
{
    const auto endpoint = [this](const char* path) { return m_issuer + QLatin1String(path); };
    const QJsonArray clientAuth{QStringLiteral("client_secret_basic"), QStringLiteral("client_secret_post")};
    HttpResponse response = HttpResponse::json(
        200, QJsonObject{
                 {QStringLiteral("issuer"), m_issuer},
                 // Required by OpenID Connect Discovery 3; no response type is served there (docs/ciba.md).
                 {QStringLiteral("authorization_endpoint"), endpoint("/authorize")},
                 {QStringLiteral("response_types_supported"), QJsonArray()},
                 {QStringLiteral("backchannel_authentication_endpoint"), endpoint("/bc-authorize")},
                 {QStringLiteral("token_endpoint"), endpoint("/token")},
                 {QStringLiteral("jwks_uri"), endpoint("/jwks")},
                 {QStringLiteral("introspection_endpoint"), endpoint(TokenStatusApi::IntrospectionPath)},
                 {QStringLiteral("introspection_endpoint_auth_methods_supported"), clientAuth},
                 {QStringLiteral("revocation_endpoint"), endpoint(TokenStatusApi::RevocationPath)},
                 {QStringLiteral("revocation_endpoint_auth_methods_supported"), clientAuth},
                 {QStringLiteral("backchannel_token_delivery_modes_supported"),
                  QJsonArray{QStringLiteral("poll"), QStringLiteral("ping"), QStringLiteral("push")}},
                 {QStringLiteral("backchannel_user_code_parameter_supported"), true},
                 {QStringLiteral("grant_types_supported"), QJsonArray{QStringLiteral("urn:openid:params:grant-type:ciba")}},
                 {QStringLiteral("token_endpoint_auth_methods_supported"), clientAuth},
                 {QStringLiteral("id_token_signing_alg_values_supported"), QJsonArray{QStringLiteral("ES256")}},
                 {QStringLiteral("subject_types_supported"), QJsonArray{QStringLiteral("public")}},
                 {QStringLiteral("scopes_supported"), QJsonArray{QStringLiteral("openid")}},
                 {QStringLiteral("claims_supported"),
                  QJsonArray{QStringLiteral("iss"), QStringLiteral("sub"), QStringLiteral("aud"), QStringLiteral("exp"),
                             QStringLiteral("iat"), QStringLiteral("auth_time"), QStringLiteral("at_hash"),
                             QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")}},
             });
    response.setHeader("Cache-Control", "public, max-age=300");
    return response;
}

HttpResponse CibaApi::jwks()
{
    ServerKey* key = m_tokens.key(); // loaded (or made) on first use
    if (!key) {
        return serverError(QStringLiteral("no signing key"));
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("keys"), QJsonArray{key->publicJwk()}}});
}

HttpResponse CibaApi::token(const HttpRequest& request)
{
    HttpResponse failure;
    const std::optional<ClientAuthenticator::ClientRequest> call =
        ClientAuthenticator(m_clients).accept(request, &failure);
    if (!call) {
        return failure;
    }
    const QMap<QString, QString>& form = call->form;
    const ClientRecord& client = call->client;
    if (!form.contains(QStringLiteral("grant_type"))) {
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("grant_type is required"));
    }
    if (form.value(QStringLiteral("grant_type")) != QLatin1String("urn:openid:params:grant-type:ciba")) {
        return oauthError(400, QStringLiteral("unsupported_grant_type"),
                          QStringLiteral("this server grants urn:openid:params:grant-type:ciba only"));
    }
    if (client.mode == QLatin1String("push")) {
        return oauthError(400, QStringLiteral("unauthorized_client"),
                          QStringLiteral("a push-mode client receives its tokens and must not poll"));
    }
    const QString authReqId = form.value(QStringLiteral("auth_req_id"));
    if (authReqId.isEmpty()) {
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("auth_req_id is required"));
    }
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT client_id, user_id, scope, status, expires_at, poll_interval, last_poll_at, "
                                 "redeemed_at, decided_at FROM ciba_requests WHERE auth_req_id = ?"));
    query.addBindValue(authReqId);
    if (!query.exec()) {
        return serverError(query.lastError().text());
    }
    const HttpResponse invalidGrant =
        oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("auth_req_id is unknown, another client's or already used"));
    if (!query.next() || query.value(0).toString() != client.id || !query.value(7).isNull()) {
        return invalidGrant;
    }
    const QString userId = query.value(1).toString();
    const QString scope = query.value(2).toString();
    const QString status = query.value(3).toString();
    const qint64 expiresAt = query.value(4).toLongLong();
    const int interval = query.value(5).toInt();
    const std::optional<qint64> lastPoll = query.value(6).isNull() ? std::nullopt : std::optional<qint64>(query.value(6).toLongLong());
    const qint64 decidedAt = query.value(8).toLongLong();
    query.finish();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    if (status == QLatin1String("denied")) {
        supersedePing(authReqId, now);
        return oauthError(400, QStringLiteral("access_denied"), QStringLiteral("the person denied the request"));
    }
    if (status == QLatin1String("pending")) {
        if (now >= expiresAt) {
            return oauthError(400, QStringLiteral("expired_token"), QStringLiteral("the request expired; make a new one"));
        }
        const bool tooFast = lastPoll && now - *lastPoll < qint64(interval) * 1000 - 250;
        // Each slow_down adds a step, up to a ceiling: a client that keeps polling
        // early is slowed, not made to wait for ever.
        const int slower =
            std::min(interval + SlowDownStepSeconds, std::max(interval, client.pollInterval + MaxSlowDownSeconds));
        QSqlQuery poll(m_database.handle());
        poll.prepare(QStringLiteral("UPDATE ciba_requests SET last_poll_at = ?, poll_interval = ? WHERE auth_req_id = ?"));
        poll.addBindValue(now);
        poll.addBindValue(tooFast ? slower : interval);
        poll.addBindValue(authReqId);
        if (!poll.exec()) {
            return serverError(poll.lastError().text());
        }
        if (tooFast) {
            return oauthError(400, QStringLiteral("slow_down"), QStringLiteral("poll at most every %1 s").arg(slower));
        }
        return oauthError(400, QStringLiteral("authorization_pending"), QStringLiteral("the person has not answered yet"));
    }
    if (status != QLatin1String("approved")) {
        supersedePing(authReqId, now);
        return oauthError(400, QStringLiteral("expired_token"), QStringLiteral("the request expired; make a new one"));
    }

    // Single use: only the poll that marks it redeemed gets the tokens.
    QSqlQuery redeem(m_database.handle());
    redeem.prepare(QStringLiteral("UPDATE ciba_requests SET redeemed_at = ? WHERE auth_req_id = ? AND redeemed_at IS NULL"));
    redeem.addBindValue(now);
    redeem.addBindValue(authReqId);
    if (!redeem.exec()) {
        return serverError(redeem.lastError().text());
    }
    if (redeem.numRowsAffected() != 1) {
        return invalidGrant;
    }
    supersedePing(authReqId, now);
    Result<IssuedTokens> tokens = m_tokens.issue(TokenGrant{authReqId, client.id, userId, scope, decidedAt}, now);
    if (!tokens) {
        return serverError(tokens.error().message);
    }
    qCInfo(lcCibaApi).noquote() << "issued tokens to client" << client.id << "for user" << userId;
    HttpResponse response = HttpResponse::json(200, TokenIssuer::tokenResponse(*tokens));
    response.setHeader("Pragma", "no-cache");
    return response;
}

void CibaApi::supersedePing(const QString& authReqId, qint64 nowMs)
{
    Result<bool> superseded = m_outbox.supersede(authReqId, nowMs);
    if (!superseded) {
        qCWarning(lcCibaApi).noquote() << superseded.error().message;
    } else if (*superseded) {
        qCInfo(lcCibaApi).noquote() << "the client fetched the outcome at /token: its ping is no longer sent";
    }
}

QByteArray CibaApi::renderMetrics() const
{
    return "# HELP handoff_ciba_rate_limited_total /bc-authorize calls refused for coming faster than the client's rate.\n"
           "# TYPE handoff_ciba_rate_limited_total counter\n"
           "handoff_ciba_rate_limited_total "
           + QByteArray::number(m_rateLimited) + '\n';
}

HttpResponse CibaApi::serverError(const QString& detail)
{
    qCWarning(lcCibaApi).noquote() << detail;
    return oauthError(500, QStringLiteral("server_error"), QStringLiteral("the server could not complete the request"));
}

HttpResponse CibaApi::oauthError(int status, const QString& code, const QString& description)
{
    HttpResponse response =
        HttpResponse::json(status, QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("error_description"), description}});
    response.setHeader("Pragma", "no-cache");
    return response;
}

HttpResponse CibaApi::backchannelAuthenticate(const HttpRequest& request)
{
    HttpResponse failure;
    const std::optional<ClientAuthenticator::ClientRequest> call =
        ClientAuthenticator(m_clients).accept(request, &failure);
    if (!call) {
        return failure;
    }
    const QMap<QString, QString>& form = call->form;
    const ClientRecord& client = call->client;

    // Every call counts, whatever it asks: a client cannot probe or prompt at will.
    int retryAfter = 0;
    if (!m_rateLimiter.tryAcquire(client.id, &retryAfter)) {
        ++m_rateLimited;
        HttpResponse response = oauthError(429, QStringLiteral("slow_down"),
                                           QStringLiteral("this client sends requests faster than the server takes them; "
                                                          "try again in %1 s")
                                               .arg(retryAfter));
        response.setHeader("Retry-After", QByteArray::number(retryAfter));
        return response;
    }

    // scope: required, must hold openid (CIBA Core 7.1).
    if (!form.contains(QStringLiteral("scope"))) {
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("scope is required"));
    }
    const QString scopeText = form.value(QStringLiteral("scope"));
    const QStringList scopes = scopeText.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (scopeText.size() > 1000 || !std::all_of(scopes.begin(), scopes.end(), isScopeToken)) {
        return oauthError(400, QStringLiteral("invalid_scope"), QStringLiteral("scope is malformed"));
    }
    if (!scopes.contains(QStringLiteral("openid"))) {
        return oauthError(400, QStringLiteral("invalid_scope"), QStringLiteral("scope must include openid"));
    }

    // Exactly one hint; only login_hint is understood here.
    if (form.contains(QStringLiteral("login_hint_token")) || form.contains(QStringLiteral("id_token_hint"))) {
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("only login_hint is supported; login_hint_token and id_token_hint are not"));
    }
    const QString loginHint = form.value(QStringLiteral("login_hint")).trimmed();
    if (loginHint.isEmpty()) {
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("login_hint is required"));
    }

    const QString notificationToken = form.value(QStringLiteral("client_notification_token"));
    if (client.mode != QLatin1String("poll")) {
        if (notificationToken.isEmpty()) {
            return oauthError(400, QStringLiteral("invalid_request"),
                              QStringLiteral("client_notification_token is required in %1 mode").arg(client.mode));
        }
        if (notificationToken.size() > MaxNotificationTokenLength) {
            return oauthError(400, QStringLiteral("invalid_request"),
                              QStringLiteral("client_notification_token is longer than %1 characters")
                                  .arg(MaxNotificationTokenLength));
        }
        // It goes back in an Authorization header: only RFC 6750 b64token characters.
        if (!NotificationPayload::isBearerToken(notificationToken)) {
            return oauthError(400, QStringLiteral("invalid_request"),
                              QStringLiteral("client_notification_token must be an RFC 6750 bearer token"));
        }
    }

    const QString bindingMessage = form.value(QStringLiteral("binding_message"));
    if (form.contains(QStringLiteral("binding_message"))) {
        const QString problem = BindingMessage::problem(bindingMessage);
        if (!problem.isEmpty()) {
            return oauthError(400, QStringLiteral("invalid_binding_message"), problem);
        }
    }

    int expiresIn = DefaultExpirySeconds;
    if (form.contains(QStringLiteral("requested_expiry"))) {
        const QString text = form.value(QStringLiteral("requested_expiry"));
        bool ok = false;
        const qint64 requested = text.toLongLong(&ok);
        if (!ok || requested < 1 || text.size() > 10
            || !std::all_of(text.begin(), text.end(), [](QChar c) { return c.isDigit(); })) {
            return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("requested_expiry must be a positive integer"));
        }
        expiresIn = int(std::min<qint64>(requested, MaxExpirySeconds));
    }

    Result<std::optional<UserRecord>> user = m_users.findByEmail(loginHint);
    if (!user) {
        return serverError(user.error().message);
    }
    if (!user->has_value()) {
        return oauthError(400, QStringLiteral("unknown_user_id"), QStringLiteral("login_hint names no user of this server"));
    }
    Authorization authorization;
    authorization.client = client;
    authorization.user = **user;
    authorization.scope = scopes.join(QLatin1Char(' '));
    authorization.bindingMessage = bindingMessage;
    authorization.notificationToken = notificationToken;
    authorization.expiresIn = expiresIn;
    if (!(*user)->hasUserCode) {
        return authorize(authorization);
    }
    if (!form.contains(QStringLiteral("user_code"))) {
        return oauthError(400, QStringLiteral("missing_user_code"), QStringLiteral("this user requires a user_code"));
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Result<std::optional<QString>> locked = m_userCodes.refusal(client.id, (*user)->id, now);
    if (!locked) {
        return serverError(locked.error().message);
    }
    if (*locked) {
        return oauthError(403, QStringLiteral("access_denied"), **locked);
    }
    Result<std::optional<StoredUserCode>> stored = m_users.userCode((*user)->id);
    if (!stored) {
        return serverError(stored.error().message);
    }
    if (!stored->has_value()) {
        return authorize(authorization); // the code was removed a moment ago
    }
    const Result<bool> begun = m_userCodes.begin(client.id, (*user)->id, now);
    if (!begun) {
        return serverError(begun.error().message);
    }
    const auto busy = [](const QString& why) {
        HttpResponse response = oauthError(429, QStringLiteral("slow_down"), why);
        response.setHeader("Retry-After", "1");
        return response;
    };
    if (!*begun) {
        return busy(QStringLiteral("earlier user_code checks for this person or from this client are still under way; "
                                   "try again in a moment"));
    }
    // The derivation is slow on purpose: it runs on a worker thread, and the answer follows.
    auto deferred = std::make_shared<DeferredResponse>();
    const bool queued = m_codeChecker.check(**stored, form.value(QStringLiteral("user_code")),
                                            [this, deferred, authorization](bool matches) {
                                                if (matches) {
                                                    m_userCodes.right(authorization.client.id, authorization.user.id);
                                                    deferred->resolve(authorize(authorization));
                                                    return;
                                                }
                                                const QString why = m_userCodes.wrong(
                                                    authorization.client, authorization.user,
                                                    QDateTime::currentMSecsSinceEpoch());
                                                deferred->resolve(
                                                    oauthError(400, QStringLiteral("invalid_user_code"), why));
                                            });
    if (!queued) {
        m_userCodes.right(client.id, (*user)->id); // nothing was checked
        return busy(QStringLiteral("the server is checking many user codes at the moment; try again in a moment"));
    }
    return HttpResponse::later(deferred);
}

HttpResponse CibaApi::authorize(const Authorization& authorization)
{
    const ClientRecord& client = authorization.client;
    const UserRecord& user = authorization.user;
    Result<QList<DeviceRecord>> devices = m_devices.listForUser(user.id, false);
    if (!devices) {
        return serverError(devices.error().message);
    }
    if (devices->isEmpty()) {
        return oauthError(403, QStringLiteral("access_denied"), QStringLiteral("the user has no paired device to ask"));
    }

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Result<std::optional<QString>> refusal = m_denialBlocker.refusal(client.id, user.id, now);
    if (!refusal) {
        return serverError(refusal.error().message);
    }
    if (*refusal) {
        return oauthError(403, QStringLiteral("access_denied"), **refusal);
    }
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM ciba_requests WHERE user_id = ? AND status = 'pending' AND expires_at > ?"));
    query.addBindValue(user.id);
    query.addBindValue(now);
    if (!query.exec() || !query.next()) {
        return serverError(query.lastError().text());
    }
    if (query.value(0).toInt() >= MaxPendingPerUser) {
        return oauthError(403, QStringLiteral("access_denied"),
                          QStringLiteral("too many requests are already waiting for this person; try again later"));
    }
    query.finish();

    Result<QByteArray> authReqId = crypto::Random::token(32); // 256 bits
    if (!authReqId) {
        return serverError(authReqId.error().message);
    }
    // Whole seconds, so that the times the device signs are exactly the stored ones.
    const qint64 requestedAt = now - now % 1000;
    const qint64 expiresAt = requestedAt + qint64(authorization.expiresIn) * 1000;
    QSqlQuery insert(m_database.handle());
    insert.prepare(QStringLiteral(
        "INSERT INTO ciba_requests (auth_req_id, client_id, client_name, user_id, user_email, scope, binding_message, "
        "client_notification_token, requested_at, expires_at, status, poll_interval) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)"));
    insert.addBindValue(QString::fromLatin1(*authReqId));
    insert.addBindValue(client.id);
    insert.addBindValue(client.name);
    insert.addBindValue(user.id);
    insert.addBindValue(user.email);
    insert.addBindValue(authorization.scope);
    insert.addBindValue(authorization.bindingMessage.isEmpty() ? QStringLiteral("") : authorization.bindingMessage);
    insert.addBindValue(authorization.notificationToken.isEmpty() ? QStringLiteral("") : authorization.notificationToken);
    insert.addBindValue(requestedAt);
    insert.addBindValue(expiresAt);
    insert.addBindValue(client.pollInterval);
    if (!insert.exec()) {
        return serverError(insert.lastError().text());
    }
    if (m_requestCreated) {
        m_requestCreated(expiresAt);
    }

    device::ApprovalRequest approval;
    approval.authReqId = QString::fromLatin1(*authReqId);
    approval.clientId = client.id;
    approval.clientName = client.name;
    approval.user = user.email;
    approval.scope = authorization.scope;
    approval.bindingMessage = authorization.bindingMessage;
    approval.requestedAt = device::DeviceStatements::timestamp(requestedAt);
    approval.expiresAt = device::DeviceStatements::timestamp(expiresAt);
    const int reached = m_hub.sendToUser(user.id, approval.toJson());
    qCInfo(lcCibaApi).noquote() << "CIBA request from client" << client.id << "for user" << user.id << "sent to"
                                << reached << "device connection(s)";

    QJsonObject answer{{QStringLiteral("auth_req_id"), approval.authReqId},
                       {QStringLiteral("expires_in"), authorization.expiresIn}};
    if (client.mode != QLatin1String("push")) {
        answer.insert(QStringLiteral("interval"), client.pollInterval);
    }
    HttpResponse response = HttpResponse::json(200, answer);
    response.setHeader("Pragma", "no-cache");
    return response;
}

} // namespace handoff::server
