#include "server/ciba/TokenIssuer.h"

#include "core/crypto/Digest.h"
#include "core/crypto/Random.h"
#include "server/ciba/ServerKey.h"

#include <QLoggingCategory>

namespace handoff::server {

namespace {
Q_LOGGING_CATEGORY(lcTokens, "handoff.ciba", QtInfoMsg)
}

TokenIssuer::TokenIssuer(Database& database, QString issuer)
    : m_database(database)
    , m_issuer(std::move(issuer))
{
}

TokenIssuer::~TokenIssuer() = default;

ServerKey* TokenIssuer::key()
{
    if (!m_key) {
        Result<std::unique_ptr<ServerKey>> key = ServerKey::loadOrCreate(m_database);
        if (!key) {
            qCWarning(lcTokens).noquote() << "no signing key:" << key.error().message;
            return nullptr;
        }
        m_key = std::move(key).value();
    }
    return m_key.get();
}

Result<IssuedTokens> TokenIssuer::issue(const TokenGrant& grant, qint64 nowMs)
{
    ServerKey* signer = key();
    if (!signer) {
        return Error{QStringLiteral("no_key"), QStringLiteral("the server has no signing key")};
    }
    Result<QByteArray> jti = crypto::Random::token(16);
    if (!jti) {
        return jti.error();
    }
    const qint64 issuedAt = nowMs / 1000;
    Result<QString> accessToken = signer->signJwt(
        QJsonObject{{QStringLiteral("typ"), QStringLiteral("at+jwt")}},
        QJsonObject{{QStringLiteral("iss"), m_issuer},
                    {QStringLiteral("sub"), grant.userId},
                    {QStringLiteral("aud"), grant.clientId},
                    {QStringLiteral("client_id"), grant.clientId},
                    {QStringLiteral("scope"), grant.scope},
                    {QStringLiteral("jti"), QString::fromLatin1(*jti)},
                    {QStringLiteral("iat"), issuedAt},
                    {QStringLiteral("exp"), issuedAt + AccessTokenSeconds}});
    if (!accessToken) {
        return accessToken.error();
    }
    // OpenID Connect Core 3.1.3.6: the left half of SHA-256 of the access token's ASCII.
    const QByteArray accessHash = crypto::Digest::sha256(accessToken->toLatin1());
    Result<QString> idToken = signer->signJwt(
        QJsonObject{{QStringLiteral("typ"), QStringLiteral("JWT")}},
        QJsonObject{{QStringLiteral("iss"), m_issuer},
                    {QStringLiteral("sub"), grant.userId},
                    {QStringLiteral("aud"), grant.clientId},
                    {QStringLiteral("iat"), issuedAt},
                    {QStringLiteral("exp"), issuedAt + AccessTokenSeconds},
                    {QStringLiteral("auth_time"), grant.authTimeMs / 1000},
                    {QStringLiteral("at_hash"), QString::fromLatin1(ServerKey::base64Url(accessHash.first(16)))},
                    {QStringLiteral("urn:openid:params:jwt:claim:auth_req_id"), grant.authReqId}});
    if (!idToken) {
        return idToken.error();
    }
    return IssuedTokens{*accessToken, *idToken, grant.scope, AccessTokenSeconds};
}

QJsonObject TokenIssuer::tokenResponse(const IssuedTokens& tokens)
{
    return QJsonObject{{QStringLiteral("access_token"), tokens.accessToken},
                       {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                       {QStringLiteral("expires_in"), tokens.expiresIn},
                       {QStringLiteral("id_token"), tokens.idToken},
                       {QStringLiteral("scope"), tokens.scope}};
}

} // namespace handoff::server
