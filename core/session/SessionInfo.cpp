#include "core/session/SessionInfo.h"

#include "core/common/PlainText.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace handoff::session {

namespace {

constexpr qsizetype MaxServiceLength = 100;
constexpr qsizetype MaxHintLength = 200;
constexpr qsizetype MaxUrlLength = 2048;
constexpr qsizetype MaxIdLength = 256;

Result<SessionInfo> invalid(const QString& message)
{
    return Result<SessionInfo>::failure(QStringLiteral("bad_session_info"), message);
}

// A string field that may be missing, never of another type, and bounded.
bool readString(const QJsonObject& object, QLatin1StringView key, qsizetype maxLength, QString& out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString() || value.toString().size() > maxLength)
        return false;
    out = PlainText::sanitized(value.toString());
    return true;
}

} // namespace

Result<SessionInfo> SessionInfo::parse(QByteArrayView json)
{
    if (json.size() > MaxJsonSize)
        return invalid(QStringLiteral("The session description is larger than 16 KiB."));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return invalid(QStringLiteral("The session description is not a JSON object."));
    const QJsonObject object = document.object();

    SessionInfo info;
    if (!readString(object, QLatin1StringView("session_id"), MaxIdLength, info.sessionId))
        return invalid(QStringLiteral("The session id is not a short string."));
    if (!readString(object, QLatin1StringView("service"), MaxServiceLength, info.service))
        return invalid(QStringLiteral("The service name is not a string of at most 100 characters."));

    const QJsonValue context = object.value(QLatin1StringView("context"));
    if (context.isObject()) {
        const QJsonObject ctx = context.toObject();
        if (!readString(ctx, QLatin1StringView("url"), MaxUrlLength, info.pageUrl)
            || !readString(ctx, QLatin1StringView("blocker_type"), MaxServiceLength, info.blockerType)
            || !readString(ctx, QLatin1StringView("hint"), MaxHintLength, info.hint))
            return invalid(QStringLiteral("The session context has a field of the wrong type or length."));
    } else if (!context.isUndefined() && !context.isNull()) {
        return invalid(QStringLiteral("The session context is not an object."));
    }

    QString expires;
    if (!readString(object, QLatin1StringView("expires_at"), 64, expires))
        return invalid(QStringLiteral("The expiry time is not a string."));
    if (!expires.isEmpty()) {
        info.expiresAt = QDateTime::fromString(expires, Qt::ISODateWithMs);
        if (!info.expiresAt.isValid())
            return invalid(QStringLiteral("The expiry time is not an RFC 3339 time."));
    }
    return info;
}

QString SessionInfo::describeBlocker(const QString& blockerType)
{
    if (blockerType == QLatin1String("otp"))
        return QStringLiteral("One-time code");
    if (blockerType == QLatin1String("password"))
        return QStringLiteral("Password");
    if (blockerType == QLatin1String("captcha"))
        return QStringLiteral("CAPTCHA");
    if (blockerType == QLatin1String("security_question"))
        return QStringLiteral("Security question");
    if (blockerType == QLatin1String("document_upload"))
        return QStringLiteral("Document upload");
    if (blockerType.isEmpty())
        return {};
    return QStringLiteral("Sign-in step");
}

} // namespace handoff::session
