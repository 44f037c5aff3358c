#pragma once

// Checks an access token this server issued (an ES256 JWT, RFC 9068 shape, from
// the token endpoint): compact JWS of three base64url parts, header alg ES256,
// typ at+jwt and the server key's kid, a valid signature by that key, iss this
// server's issuer, exp in the future, and the claims the server always sets
// (sub, client_id, jti, iat). Pure: the key, issuer and clock come in.

#include "core/common/Result.h"

#include <QByteArray>
#include <QString>

namespace handoff::server {

struct AccessTokenClaims final {
    QString issuer;
    QString subject;
    QString audience;
    QString clientId;
    QString scope;
    QString jti;
    qint64 issuedAt = 0;  // seconds since the epoch
    qint64 expiresAt = 0; // seconds since the epoch
};

class AccessTokenVerifier final {
public:
    // `publicPoint` is the 65-byte P-256 point of the server key, `kid` its JWK thumbprint.
    AccessTokenVerifier(QByteArray publicPoint, QString kid, QString issuer);

    static constexpr qsizetype MaxTokenLength = 4096;
    // Tokens dated this far ahead of the server's clock are not accepted.
    static constexpr qint64 MaxIssuedAtSkewSeconds = 60;

    // Error codes: "malformed", "unsupported" (alg, typ, kid or crit), "bad_signature",
    // "wrong_issuer", "expired", "not_yet_valid".
    Result<AccessTokenClaims> verify(QStringView token, qint64 nowSeconds) const;

private:
    QByteArray m_publicPoint;
    QString m_kid;
    QString m_issuer;
};

} // namespace handoff::server
