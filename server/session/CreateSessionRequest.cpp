#include "server/session/CreateSessionRequest.h"

#include "core/common/PlainText.h"
#include "core/protocol/SecureChannelV2.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringList>

#include <cmath>

namespace handoff::server {

namespace {

Error fieldError(const char* field, const QString& message)
{
    return Error{QString::fromLatin1(field), message};
}

qsizetype codePoints(const QString& text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!(text.at(i).isLowSurrogate() && i > 0 && text.at(i - 1).isHighSurrogate())) {
            ++count;
        }
    }
    return count;
}

// What the person is shown must read as written: no control or format characters
// (bidi overrides, zero-width characters) that could reorder or hide it.
Error notPlainText(const char* field)
{
    return fieldError(field, QStringLiteral("%1 must be plain text, without control or formatting characters")
                                 .arg(QLatin1String(field)));
}

// An optional string field: absent or null gives an empty string.
Result<QString> optionalString(const QJsonObject& object, const char* key, const char* field, qsizetype maxLength)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined() || value.isNull()) {
        return QString();
    }
    if (!value.isString()) {
        return fieldError(field, QStringLiteral("%1 must be a string").arg(QLatin1String(field)));
    }
    const QString text = value.toString();
    if (codePoints(text) > maxLength) {
        return fieldError(field, QStringLiteral("%1 must have at most %2 characters").arg(QLatin1String(field)).arg(maxLength));
    }
    if (PlainText::containsDeceptive(text)) {
        return notPlainText(field);
    }
    return text;
}

} // namespace

Result<CreateSessionRequest> CreateSessionRequest::parse(QByteArrayView body, TtlLimits limits)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fieldError("body", QStringLiteral("the body is not valid JSON (%1 at offset %2)")
                                      .arg(parseError.errorString())
                                      .arg(parseError.offset));
    }
    if (!document.isObject()) {
        return fieldError("body", QStringLiteral("the body must be a JSON object"));
    }
    const QJsonObject object = document.object();
    CreateSessionRequest request;

    const QJsonValue service = object.value(QLatin1String("service"));
    if (service.isUndefined() || service.isNull()) {
        return fieldError("service", QStringLiteral("service is required"));
    }
    if (!service.isString()) {
        return fieldError("service", QStringLiteral("service must be a string"));
    }
    request.service = service.toString();
    const qsizetype serviceLength = codePoints(request.service);
    if (serviceLength < 1 || serviceLength > 100 || request.service.trimmed().isEmpty()) {
        return fieldError("service", QStringLiteral("service must have 1 to 100 characters"));
    }
    if (PlainText::containsDeceptive(request.service)) {
        return notPlainText("service");
    }

    Result<QString> cdpUrl = optionalString(object, "cdp_url", "cdp_url", 2048);
    if (!cdpUrl) {
        return cdpUrl.error();
    }
    request.cdpUrl = *cdpUrl;

    const QJsonValue ttl = object.value(QLatin1String("ttl"));
    request.ttlSeconds = limits.defaultValue;
    if (!ttl.isUndefined() && !ttl.isNull()) {
        const double seconds = ttl.toDouble(std::nan(""));
        if (!ttl.isDouble() || !std::isfinite(seconds) || std::floor(seconds) != seconds || seconds < limits.min
            || seconds > limits.max) {
            return fieldError("ttl", QStringLiteral("ttl must be a whole number of seconds from %1 to %2")
                                         .arg(limits.min)
                                         .arg(limits.max));
        }
        request.ttlSeconds = static_cast<int>(seconds);
    }

    const QJsonValue context = object.value(QLatin1String("context"));
    if (!context.isUndefined() && !context.isNull()) {
        if (!context.isObject()) {
            return fieldError("context", QStringLiteral("context must be an object"));
        }
        const QJsonObject given = context.toObject();
        Result<QString> url = optionalString(given, "url", "context.url", 2048);
        if (!url) {
            return url.error();
        }
        if (!url->isEmpty()) {
            request.context.insert(QStringLiteral("url"), *url);
        }
        Result<QString> blocker = optionalString(given, "blocker_type", "context.blocker_type", 64);
        if (!blocker) {
            return blocker.error();
        }
        static const QStringList blockerTypes = {QStringLiteral("otp"),      QStringLiteral("password"),
                                                 QStringLiteral("captcha"),  QStringLiteral("security_question"),
                                                 QStringLiteral("document_upload"), QStringLiteral("other")};
        if (!given.value(QLatin1String("blocker_type")).isUndefined() && !given.value(QLatin1String("blocker_type")).isNull()) {
            if (!blockerTypes.contains(*blocker)) {
                return fieldError("context.blocker_type",
                                  QStringLiteral("context.blocker_type must be one of %1").arg(blockerTypes.join(QStringLiteral(", "))));
            }
            request.context.insert(QStringLiteral("blocker_type"), *blocker);
        }
        Result<QString> hint = optionalString(given, "hint", "context.hint", 200);
        if (!hint) {
            return hint.error();
        }
        if (!given.value(QLatin1String("hint")).isUndefined() && !given.value(QLatin1String("hint")).isNull()) {
            request.context.insert(QStringLiteral("hint"), *hint);
        }
    }

    Result<QString> loginHint = optionalString(object, "login_hint", "login_hint", 254);
    if (!loginHint) {
        return loginHint.error();
    }
    request.loginHint = *loginHint;

    const QJsonValue e2e = object.value(QLatin1String("e2e"));
    if (!e2e.isUndefined() && !e2e.isNull()) {
        if (!e2e.isObject()) {
            return fieldError("e2e", QStringLiteral("e2e must be an object {k, s}"));
        }
        const QJsonObject given = e2e.toObject();
        for (const char* name : {"k", "s"}) {
            const QJsonValue value = given.value(QLatin1String(name));
            const QString field = QStringLiteral("e2e.") + QLatin1String(name);
            if (!value.isString() || !protocol::SecureChannelV2::parseLinkValue(value.toString().toLatin1())) {
                return Error{field, QStringLiteral("%1 must be 22 base64url characters encoding 16 bytes").arg(field)};
            }
        }
        request.agentKeyFingerprint = given.value(QLatin1String("k")).toString();
        request.viewerSecret = given.value(QLatin1String("s")).toString();
    }
    return request;
}

} // namespace handoff::server
