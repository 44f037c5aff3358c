#pragma once

// Mints the tokens of an approved CIBA request, in one place for the token
// endpoint (poll and ping clients redeem there) and for push delivery: an ES256
// access token (typ at+jwt; iss, sub, aud = client_id, client_id, scope, jti, iat,
// exp) and an ID token (iss, sub, aud, iat, exp, auth_time, at_hash and
// urn:openid:params:jwt:claim:auth_req_id, CIBA Core 10.3.1), both signed with
// the server key, which is loaded (or made) on first use.

#include "core/common/Result.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace handoff::server {

class Database;
class ServerKey;

struct IssuedTokens final {
    QString accessToken;
    QString idToken;
    QString scope;
    int expiresIn = 0; // seconds
};

// What the tokens are about: the request as stored.
struct TokenGrant final {
    QString authReqId;
    QString clientId;
    QString userId;
    QString scope;
    qint64 authTimeMs = 0; // when the person decided
};

class TokenIssuer final {
public:
    TokenIssuer(Database& database, QString issuer);
    ~TokenIssuer();
    Q_DISABLE_COPY_MOVE(TokenIssuer)

    Result<IssuedTokens> issue(const TokenGrant& grant, qint64 nowMs);
    // The key, or null when it can neither be loaded nor made (logged).
    ServerKey* key();

    // The token response body: access_token, token_type, expires_in, id_token, scope.
    static QJsonObject tokenResponse(const IssuedTokens& tokens);

    static constexpr int AccessTokenSeconds = 300;

private:
    Database& m_database;
    QString m_issuer;
    std::unique_ptr<ServerKey> m_key;
};

} // namespace handoff::server
