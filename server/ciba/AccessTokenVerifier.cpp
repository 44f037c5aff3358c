#include "server/ciba/AccessTokenVerifier.h"

#include "core/crypto/SigningKey.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

namespace handoff::server {

namespace {

Error malformed(const QString& why)
{
    return Error{QStringLiteral("malformed"), why};
}

std::optional<QByteArray> decodePart(QStringView part)
{
    if (part.isEmpty() || !std::all_of(part.begin(), part.end(), [](QChar c) {
            return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'
                   || c == u'_';
        })) {
        return std::nullopt; // base64url without padding only
    }
    auto decoded = QByteArray::fromBase64Encoding(part.toLatin1(), QByteArray::Base64UrlEncoding
                                                                       | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        return std::nullopt;
    }
    return *decoded;
}

std::optional<QJsonObject> decodeObject(QStringView part)
{
    const std::optional<QByteArray> bytes = decodePart(part);
    if (!bytes) {
        return std::nullopt;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

// A NumericDate (RFC 7519 2) that is a whole number of seconds.
std::optional<qint64> numericDate(const QJsonObject& claims, const char* name)
{
    const QJsonValue value = claims.value(QLatin1String(name));
    if (!value.isDouble()) {
        return std::nullopt;
    }
    const double number = value.toDouble();
    if (number < 0 || number > 1e12 || number != double(qint64(number))) {
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<QString> requiredString(const QJsonObject& claims, const char* name)
{
    const QJsonValue value = claims.value(QLatin1String(name));
    if (!value.isString() || value.toString().isEmpty()) {
        return std::nullopt;
    }
    return value.toString();
}

} // namespace

AccessTokenVerifier::AccessTokenVerifier(QByteArray publicPoint, QString kid, QString issuer)
    : m_publicPoint(std::move(publicPoint))
    , m_kid(std::move(kid))
    , m_issuer(std::move(issuer))
{
}

Result<AccessTokenClaims> AccessTokenVerifier::verify(QStringView token, qint64 nowSeconds) const
{
    if (token.isEmpty() || token.size() > MaxTokenLength) {
        return malformed(QStringLiteral("the token is empty or too long"));
    }
    const qsizetype firstDot = token.indexOf(u'.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf(u'.', firstDot + 1);
    if (firstDot < 0 || secondDot < 0 || token.indexOf(u'.', secondDot + 1) >= 0) {
        return malformed(QStringLiteral("not a compact JWS of three parts"));
    }
    const std::optional<QJsonObject> header = decodeObject(token.first(firstDot));
    const std::optional<QJsonObject> claims = decodeObject(token.sliced(firstDot + 1, secondDot - firstDot - 1));
    const std::optional<QByteArray> signature = decodePart(token.sliced(secondDot + 1));
    if (!header || !claims || !signature) {
        return malformed(QStringLiteral("a part of the token is not base64url JSON"));
    }
    const QString typ = header->value(QStringLiteral("typ")).toString().toLower();
    if (header->value(QStringLiteral("alg")).toString() != QLatin1String("ES256")
        || (typ != QLatin1String("at+jwt") && typ != QLatin1String("application/at+jwt"))
        || header->value(QStringLiteral("kid")).toString() != m_kid || header->contains(QStringLiteral("crit"))) {
        return Error{QStringLiteral("unsupported"), QStringLiteral("not an ES256 at+jwt of this server's key")};
    }
    if (signature->size() != crypto::SigningKey::SignatureSize
        || !crypto::SigningKey::verify(m_publicPoint, token.first(secondDot).toLatin1(), *signature)) {
        return Error{QStringLiteral("bad_signature"), QStringLiteral("the signature does not verify")};
    }
    if (claims->value(QStringLiteral("iss")).toString() != m_issuer) {
        return Error{QStringLiteral("wrong_issuer"), QStringLiteral("issued by another issuer")};
    }
    const std::optional<qint64> exp = numericDate(*claims, "exp");
    const std::optional<qint64> iat = numericDate(*claims, "iat");
    const std::optional<QString> sub = requiredString(*claims, "sub");
    const std::optional<QString> clientId = requiredString(*claims, "client_id");
    const std::optional<QString> jti = requiredString(*claims, "jti");
    if (!exp || !iat || !sub || !clientId || !jti) {
        return malformed(QStringLiteral("a required claim is missing"));
    }
    if (nowSeconds >= *exp) {
        return Error{QStringLiteral("expired"), QStringLiteral("the token has expired")};
    }
    if (*iat > nowSeconds + MaxIssuedAtSkewSeconds) {
        return Error{QStringLiteral("not_yet_valid"), QStringLiteral("the token is dated in the future")};
    }
    AccessTokenClaims out;
    out.issuer = m_issuer;
    out.subject = *sub;
    out.audience = claims->value(QStringLiteral("aud")).toString();
    out.clientId = *clientId;
    out.scope = claims->value(QStringLiteral("scope")).toString();
    out.jti = *jti;
    out.issuedAt = *iat;
    out.expiresAt = *exp;
    return out;
}

} // namespace handoff::server
