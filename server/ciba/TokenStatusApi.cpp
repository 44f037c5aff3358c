#include "server/ciba/TokenStatusApi.h"

#include "server/ciba/AccessTokenVerifier.h"
#include "server/ciba/CibaApi.h"
#include "server/ciba/ClientAuthenticator.h"
#include "server/ciba/ClientStore.h"
#include "server/ciba/RevokedTokenStore.h"
#include "server/ciba/ServerKey.h"
#include "server/ciba/TokenIssuer.h"

#include <QDateTime>
#include <QLoggingCategory>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcTokenStatus, "handoff.ciba", QtInfoMsg)

HttpResponse noStore(HttpResponse response)
{
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Pragma", "no-cache");
    return response;
}

HttpResponse inactive()
{
    return noStore(HttpResponse::json(200, QJsonObject{{QStringLiteral("active"), false}}));
}

// RFC 7009 2.2: 200 with no body, whether or not there was anything to revoke.
HttpResponse revocationAnswer()
{
    return noStore(HttpResponse::text(200, "text/plain; charset=utf-8", {}));
}

} // namespace

TokenStatusApi::TokenStatusApi(Database& database, ClientStore& clients, TokenIssuer& tokens, QString issuer)
    : m_clients(clients)
    , m_tokens(tokens)
    , m_issuer(std::move(issuer))
    , m_revoked(std::make_unique<RevokedTokenStore>(database))
{
}

TokenStatusApi::~TokenStatusApi() = default;

void TokenStatusApi::registerRoutes(Router& router)
{
    router.add("POST", IntrospectionPath, [this](const HttpRequest& request, const QStringList&) { return introspect(request); });
    router.add("POST", RevocationPath, [this](const HttpRequest& request, const QStringList&) { return revoke(request); });
}

const AccessTokenVerifier* TokenStatusApi::verifier()
{
    if (!m_verifier) {
        const ServerKey* key = m_tokens.key(); // the key the tokens were signed with; logs its own failure
        if (!key) {
            return nullptr;
        }
        m_verifier = std::make_unique<AccessTokenVerifier>(key->publicPoint(), key->kid(), m_issuer);
    }
    return m_verifier.get();
}

std::optional<TokenStatusApi::Call> TokenStatusApi::accept(const HttpRequest& request, HttpResponse* failure)
{
    std::optional<ClientAuthenticator::ClientRequest> accepted =
        ClientAuthenticator(m_clients).accept(request, failure);
    if (!accepted) {
        return std::nullopt;
    }
    const QString token = accepted->form.value(QStringLiteral("token"));
    if (token.isEmpty()) {
        *failure = CibaApi::oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("token is required"));
        return std::nullopt;
    }
    const AccessTokenVerifier* tokens = verifier();
    if (!tokens) {
        *failure = CibaApi::serverError(QStringLiteral("no signing key"));
        return std::nullopt;
    }
    return Call{std::move(accepted->client), token, tokens};
}

HttpResponse TokenStatusApi::introspect(const HttpRequest& request)
{
    HttpResponse failure;
    const std::optional<Call> call = accept(request, &failure);
    if (!call) {
        return failure;
    }
    const Result<AccessTokenClaims> claims = call->verifier->verify(call->token, QDateTime::currentSecsSinceEpoch());
    if (!claims || claims->clientId != call->client.id) {
        return inactive();
    }
    const Result<bool> revoked = m_revoked->isRevoked(claims->jti);
    if (!revoked) {
        return CibaApi::serverError(revoked.error().message);
    }
    if (*revoked) {
        return inactive();
    }
    return noStore(HttpResponse::json(200, QJsonObject{{QStringLiteral("active"), true},
                                                       {QStringLiteral("scope"), claims->scope},
                                                       {QStringLiteral("client_id"), claims->clientId},
                                                       {QStringLiteral("sub"), claims->subject},
                                                       {QStringLiteral("aud"), claims->audience},
                                                       {QStringLiteral("iss"), claims->issuer},
                                                       {QStringLiteral("exp"), claims->expiresAt},
                                                       {QStringLiteral("iat"), claims->issuedAt},
                                                       {QStringLiteral("jti"), claims->jti},
                                                       {QStringLiteral("token_type"), QStringLiteral("Bearer")}}));
}

HttpResponse TokenStatusApi::revoke(const HttpRequest& request)
{
    HttpResponse failure;
    const std::optional<Call> call = accept(request, &failure);
    if (!call) {
        return failure;
    }
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const Result<AccessTokenClaims> claims = call->verifier->verify(call->token, nowMs / 1000);
    if (!claims) {
        // Invalid, expired or not ours: nothing to revoke, and the client is not told more (RFC 7009 2.2).
        return revocationAnswer();
    }
    if (claims->clientId != call->client.id) {
        return CibaApi::oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("the token was issued to another client"));
    }
    const Result<void> stored = m_revoked->revoke(claims->jti, claims->clientId, claims->expiresAt * 1000, nowMs);
    if (!stored) {
        return CibaApi::serverError(stored.error().message);
    }
    qCInfo(lcTokenStatus).noquote() << "client" << call->client.id << "revoked an access token for user"
                                    << claims->subject;
    return revocationAnswer();
}

} // namespace handoff::server
