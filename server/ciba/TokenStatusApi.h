#pragma once

// What a client may ask about the access tokens it got: token introspection
// (RFC 7662), POST /introspect, and token revocation (RFC 7009), POST /revoke.
// Both are form-encoded and client-authenticated like /token (ClientAuthenticator:
// 401 invalid_client), need `token` (400 invalid_request without it) and ignore
// token_type_hint: this server issues access tokens only, and detects them itself.
//
// /introspect answers {"active":true, scope, client_id, sub, aud, iss, exp, iat,
// jti, token_type:"Bearer"} for a valid token (AccessTokenVerifier: this server's
// key, typ at+jwt, issuer, not expired) that is not revoked and was issued to the
// asking client; anything else is {"active":false}, so a client learns nothing
// about tokens of other clients.
// /revoke stores the jti of a valid token of the asking client until the token
// would have expired; 200 also for an invalid, expired or unknown token (RFC 7009
// 2.2), 400 invalid_grant for a valid token issued to another client (2.1).

#include "server/ciba/ClientStore.h"
#include "server/http/Router.h"

#include <QString>

#include <memory>
#include <optional>

namespace handoff::server {

class AccessTokenVerifier;
class Database;
class RevokedTokenStore;
class TokenIssuer;

class TokenStatusApi final {
public:
    TokenStatusApi(Database& database, ClientStore& clients, TokenIssuer& tokens, QString issuer);
    ~TokenStatusApi();
    Q_DISABLE_COPY_MOVE(TokenStatusApi)

    void registerRoutes(Router& router);

    static constexpr const char* IntrospectionPath = "/introspect";
    static constexpr const char* RevocationPath = "/revoke";

private:
    struct Call final {
        ClientRecord client;
        QString token;
        const AccessTokenVerifier* verifier = nullptr;
    };
    // The authenticated client, the token and the verifier for it, or the error to answer with.
    std::optional<Call> accept(const HttpRequest& request, HttpResponse* failure);
    HttpResponse introspect(const HttpRequest& request);
    HttpResponse revoke(const HttpRequest& request);
    const AccessTokenVerifier* verifier(); // made on first use, with TokenIssuer's key

    ClientStore& m_clients;
    TokenIssuer& m_tokens;
    QString m_issuer;
    std::unique_ptr<RevokedTokenStore> m_revoked;
    std::unique_ptr<AccessTokenVerifier> m_verifier;
};

} // namespace handoff::server
