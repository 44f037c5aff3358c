#include "agent/approval/CibaAnswers.h"

#include "agent/approval/ServerText.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace handoff::agent {

namespace {

constexpr qsizetype MaxErrorCodeLength = 100;
constexpr qsizetype MaxTokenLength = 16 * 1024;

// RFC 6749 appendix A.7: error = 1*( %x20-21 / %x23-5B / %x5D-7E )
bool isErrorCode(const QString& code)
{
    return !code.isEmpty() && code.size() <= MaxErrorCodeLength && std::all_of(code.begin(), code.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return u == 0x20 || u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
    });
}

// A visible ASCII string (auth_req_id, token): what fits in a form field and a header.
bool isVisibleAscii(const QString& text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x21 && c.unicode() <= 0x7E; });
}

// A whole number from 1 to `max`, as a JSON number or (some servers do this) a string of digits.
std::optional<int> positiveInteger(const QJsonValue& value, int max)
{
    double number = 0;
    if (value.isDouble()) {
        number = value.toDouble();
    } else if (value.isString()) {
        const QString text = value.toString();
        if (text.isEmpty() || text.size() > 10 || !std::all_of(text.begin(), text.end(), [](QChar c) {
                return c >= QLatin1Char('0') && c <= QLatin1Char('9');
            })) {
            return std::nullopt;
        }
        number = text.toDouble();
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(number) || number != std::floor(number) || number < 1 || number > max) {
        return std::nullopt;
    }
    return int(number);
}

std::optional<QJsonObject> jsonObject(const QByteArray& body)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

std::optional<QJsonObject> jwtPart(const QString& part)
{
    const auto decoded = QByteArray::fromBase64Encoding(part.toLatin1(), QByteArray::Base64UrlEncoding
                                                                             | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || part.isEmpty() || !isVisibleAscii(part)) {
        return std::nullopt;
    }
    return jsonObject(*decoded);
}

QString statusText(int status)
{
    return QStringLiteral("the server answered HTTP %1").arg(status);
}

bool isTransientStatus(int status)
{
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

Result<IssuedTokens> parseTokens(const QByteArray& body)
{
    const auto bad = [](const QString& what) {
        return Error{QStringLiteral("bad_token_answer"), QStringLiteral("the server's token answer %1").arg(what)};
    };
    const std::optional<QJsonObject> object = jsonObject(body);
    if (!object) {
        return bad(QStringLiteral("is not a JSON object"));
    }
    IssuedTokens tokens;
    const QJsonValue access = object->value(QLatin1String("access_token"));
    tokens.accessToken = access.toString();
    if (!access.isString() || tokens.accessToken.isEmpty() || tokens.accessToken.size() > MaxTokenLength
        || !isVisibleAscii(tokens.accessToken)) {
        return bad(QStringLiteral("has no usable access_token"));
    }
    tokens.tokenType = object->value(QLatin1String("token_type")).toString();
    if (tokens.tokenType.compare(QLatin1String("Bearer"), Qt::CaseInsensitive) != 0) {
        return bad(QStringLiteral("is not a Bearer token"));
    }
    const QJsonValue id = object->value(QLatin1String("id_token"));
    tokens.idToken = id.toString();
    if (!id.isString() || tokens.idToken.isEmpty() || tokens.idToken.size() > MaxTokenLength
        || !isVisibleAscii(tokens.idToken)) {
        return bad(QStringLiteral("has no usable id_token"));
    }
    if (const QJsonValue expires = object->value(QLatin1String("expires_in")); !expires.isUndefined()) {
        const std::optional<int> seconds = positiveInteger(expires, CibaAnswers::MaxExpiresInSeconds);
        if (!seconds) {
            return bad(QStringLiteral("has an expires_in that is not a positive whole number of seconds"));
        }
        tokens.expiresIn = *seconds;
    }
    if (const QJsonValue scope = object->value(QLatin1String("scope")); !scope.isUndefined()) {
        if (!scope.isString() || scope.toString().size() > 1000) {
            return bad(QStringLiteral("has a scope that is not text"));
        }
        tokens.scope = ServerText::printable(scope.toString(), 1000);
    }
    return tokens;
}

// A person-readable sentence for an OAuth error code, for when the server
// sent no description.
QString describe(const QString& code)
{
    static const QHash<QString, QString> texts{
        {QStringLiteral("invalid_request"), QStringLiteral("the server found the request malformed")},
        {QStringLiteral("invalid_scope"), QStringLiteral("the server does not accept this scope")},
        {QStringLiteral("invalid_client"), QStringLiteral("the server rejected the client credentials")},
        {QStringLiteral("unauthorized_client"), QStringLiteral("this client may not make poll-mode requests")},
        {QStringLiteral("unknown_user_id"), QStringLiteral("the server knows no user with this login hint")},
        {QStringLiteral("missing_user_code"), QStringLiteral("this user requires a user code")},
        {QStringLiteral("invalid_user_code"), QStringLiteral("the user code is wrong")},
        {QStringLiteral("invalid_binding_message"), QStringLiteral("the server does not accept this binding message")},
        {QStringLiteral("access_denied"), QStringLiteral("the request was denied")},
        {QStringLiteral("expired_token"), QStringLiteral("the request expired before the person answered")},
        {QStringLiteral("invalid_grant"), QStringLiteral("the server no longer knows this request")},
        {QStringLiteral("unsupported_grant_type"), QStringLiteral("the server does not grant CIBA tokens")},
        {QStringLiteral("server_error"), QStringLiteral("the server failed")},
        {QStringLiteral("temporarily_unavailable"), QStringLiteral("the server is busy")},
    };
    return texts.value(code, QStringLiteral("the server refused the request"));
}

} // namespace

std::optional<Error> CibaAnswers::parseOAuthError(const QByteArray& body)
{
    if (body.size() > MaxAnswerBytes) {
        return std::nullopt;
    }
    const std::optional<QJsonObject> object = jsonObject(body);
    if (!object) {
        return std::nullopt;
    }
    const QJsonValue code = object->value(QLatin1String("error"));
    if (!code.isString() || !isErrorCode(code.toString())) {
        return std::nullopt;
    }
    const QJsonValue description = object->value(QLatin1String("error_description"));
    QString message = description.isString() ? ServerText::printable(description.toString().trimmed()) : QString();
    if (message.isEmpty()) {
        message = describe(code.toString());
    }
    return Error{code.toString(), message};
}

Result<BackchannelGrant> CibaAnswers::parseAuthentication(int status, const QByteArray& body, const QString& networkError)
{
    if (status == 0) {
        return Error{QStringLiteral("server_unreachable"),
                     QStringLiteral("could not reach the server: %1").arg(ServerText::printable(networkError))};
    }
    const auto bad = [](const QString& what) {
        return Error{QStringLiteral("bad_server_answer"),
                     QStringLiteral("the server's backchannel authentication answer %1").arg(what)};
    };
    if (body.size() > MaxAnswerBytes) {
        return bad(QStringLiteral("is larger than %1 KiB").arg(MaxAnswerBytes / 1024));
    }
    if (status != 200) {
        if (status >= 400 && status < 500) {
            if (std::optional<Error> error = parseOAuthError(body)) {
                return *error;
            }
        }
        return Error{QStringLiteral("http_%1").arg(status), statusText(status)};
    }
    const std::optional<QJsonObject> object = jsonObject(body);
    if (!object) {
        return bad(QStringLiteral("is not a JSON object"));
    }
    BackchannelGrant grant;
    const QJsonValue id = object->value(QLatin1String("auth_req_id"));
    grant.authReqId = id.toString();
    if (!id.isString() || grant.authReqId.isEmpty() || grant.authReqId.size() > MaxAuthReqIdLength
        || !isVisibleAscii(grant.authReqId)) {
        return bad(QStringLiteral("has no usable auth_req_id"));
    }
    const std::optional<int> expiresIn = positiveInteger(object->value(QLatin1String("expires_in")), MaxExpiresInSeconds);
    if (!expiresIn) {
        return bad(QStringLiteral("has no expires_in of 1 to %1 seconds").arg(MaxExpiresInSeconds));
    }
    grant.expiresIn = *expiresIn;
    if (const QJsonValue interval = object->value(QLatin1String("interval")); !interval.isUndefined()) {
        const std::optional<int> seconds = positiveInteger(interval, MaxIntervalSeconds);
        if (!seconds) {
            return bad(QStringLiteral("has an interval that is not 1 to %1 seconds").arg(MaxIntervalSeconds));
        }
        grant.interval = *seconds;
    }
    return grant;
}

TokenAnswer CibaAnswers::parseToken(int status, const QByteArray& body, const QString& networkError)
{
    TokenAnswer answer;
    if (status == 0) {
        answer.kind = TokenAnswer::Kind::Transient;
        answer.error = Error{QStringLiteral("server_unreachable"),
                             QStringLiteral("could not reach the server: %1").arg(ServerText::printable(networkError))};
        return answer;
    }
    if (body.size() > MaxAnswerBytes) {
        answer.error = Error{QStringLiteral("bad_token_answer"),
                             QStringLiteral("the server's token answer is larger than %1 KiB").arg(MaxAnswerBytes / 1024)};
        return answer;
    }
    if (status == 200) {
        Result<IssuedTokens> tokens = parseTokens(body);
        if (!tokens) {
            answer.error = tokens.error();
            return answer;
        }
        answer.kind = TokenAnswer::Kind::Granted;
        answer.tokens = std::move(tokens).value();
        return answer;
    }
    const std::optional<Error> error = parseOAuthError(body);
    if (isTransientStatus(status)) {
        answer.kind = TokenAnswer::Kind::Transient;
        answer.error = Error{QStringLiteral("http_%1").arg(status),
                             error ? statusText(status) + QStringLiteral(": ") + error->message : statusText(status)};
        return answer;
    }
    if (status < 400 || status >= 500 || !error) {
        const bool redirect = status >= 300 && status < 400;
        answer.error = Error{QStringLiteral("http_%1").arg(status),
                             redirect ? statusText(status) + QStringLiteral(" (a redirect; not followed)") : statusText(status)};
        return answer;
    }
    answer.error = *error;
    const QString& code = error->code;
    if (code == QLatin1String("authorization_pending")) {
        answer.kind = TokenAnswer::Kind::Pending;
    } else if (code == QLatin1String("slow_down")) {
        answer.kind = TokenAnswer::Kind::SlowDown;
    } else if (code == QLatin1String("access_denied")) {
        answer.kind = TokenAnswer::Kind::Denied;
    } else if (code == QLatin1String("expired_token")) {
        answer.kind = TokenAnswer::Kind::Expired;
    } else {
        answer.kind = TokenAnswer::Kind::Failed;
    }
    return answer;
}

Result<void> CibaAnswers::checkIdToken(const QString& idToken, const QString& issuer, const QString& clientId,
                                       const QString& authReqId, qint64 nowSeconds)
{
    const auto invalid = [](const QString& why) {
        return Result<void>::failure(QStringLiteral("invalid_id_token"), QStringLiteral("the ID token %1").arg(why));
    };
    const QStringList parts = idToken.split(QLatin1Char('.'));
    if (parts.size() == 5) {
        return invalid(QStringLiteral("is encrypted (JWE), which this client does not read"));
    }
    if (parts.size() != 3 || parts.at(2).isEmpty()) {
        return invalid(QStringLiteral("is not a signed JWT"));
    }
    const std::optional<QJsonObject> header = jwtPart(parts.at(0));
    const std::optional<QJsonObject> claims = jwtPart(parts.at(1));
    if (!header || !claims) {
        return invalid(QStringLiteral("is not a readable JWT"));
    }
    const QString algorithm = header->value(QLatin1String("alg")).toString();
    if (algorithm.isEmpty() || algorithm.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
        return invalid(QStringLiteral("is not signed"));
    }
    if (claims->value(QLatin1String("iss")).toString() != issuer) {
        return invalid(QStringLiteral("was issued by someone else than %1").arg(issuer));
    }
    const QJsonValue audience = claims->value(QLatin1String("aud"));
    qsizetype audiences = 0;
    bool forUs = false;
    if (audience.isString()) {
        audiences = 1;
        forUs = audience.toString() == clientId;
    } else if (audience.isArray()) {
        const QJsonArray list = audience.toArray();
        audiences = list.size();
        forUs = std::any_of(list.begin(), list.end(), [&](const QJsonValue& v) { return v.toString() == clientId; });
    }
    if (!forUs) {
        return invalid(QStringLiteral("is not meant for this client"));
    }
    const QJsonValue azp = claims->value(QLatin1String("azp"));
    if ((audiences > 1 || !azp.isUndefined()) && azp.toString() != clientId) {
        return invalid(QStringLiteral("was authorized for another party (azp)"));
    }
    const QJsonValue expiry = claims->value(QLatin1String("exp"));
    if (!expiry.isDouble() || !std::isfinite(expiry.toDouble())) {
        return invalid(QStringLiteral("has no expiry"));
    }
    if (expiry.toDouble() + double(ClockLeewaySeconds) <= double(nowSeconds)) {
        return invalid(QStringLiteral("has already expired (check this machine's clock)"));
    }
    const QJsonValue requestClaim = claims->value(QLatin1String("urn:openid:params:jwt:claim:auth_req_id"));
    if (!requestClaim.isUndefined() && requestClaim.toString() != authReqId) {
        return invalid(QStringLiteral("answers another request (auth_req_id)"));
    }
    return Result<void>::success();
}

} // namespace handoff::agent
