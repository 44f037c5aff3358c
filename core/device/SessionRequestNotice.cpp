#include "core/device/SessionRequestNotice.h"

#include "core/common/PlainText.h"

#include <QUrl>

namespace handoff::device {

QJsonObject SessionRequestNotice::toJson() const
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("session_request")},
        {QStringLiteral("session_id"), sessionId},
        {QStringLiteral("session_url"), sessionUrl},
        {QStringLiteral("service"), service},
        {QStringLiteral("context"), QJsonObject{{QStringLiteral("hint"), hint}}},
        {QStringLiteral("expires_at"), expiresAt},
    };
}

Result<SessionRequestNotice> SessionRequestNotice::fromJson(const QJsonObject& object)
{
    SessionRequestNotice notice;
    notice.sessionId = object.value(QStringLiteral("session_id")).toString();
    notice.sessionUrl = object.value(QStringLiteral("session_url")).toString();
    // Shown in notifications and the tray as plain text that reads as written.
    notice.service = PlainText::sanitized(object.value(QStringLiteral("service")).toString().left(100));
    notice.hint = PlainText::sanitized(
        object.value(QStringLiteral("context")).toObject().value(QStringLiteral("hint")).toString().left(200));
    notice.expiresAt = object.value(QStringLiteral("expires_at")).toString().left(64);
    const QUrl url(notice.sessionUrl, QUrl::StrictMode);
    if (notice.sessionId.isEmpty() || notice.sessionId.size() > 100 || notice.sessionUrl.size() > 2048 || !url.isValid()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        return Error{QStringLiteral("invalid_message"), QStringLiteral("the session request is malformed")};
    }
    return notice;
}

} // namespace handoff::device
