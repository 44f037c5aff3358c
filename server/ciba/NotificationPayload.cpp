#include "server/ciba/NotificationPayload.h"

#include "server/ciba/TokenIssuer.h"

namespace handoff::server {

bool NotificationPayload::isBearerToken(const QString& token)
{
    qsizetype end = token.size();
    while (end > 0 && token.at(end - 1) == QLatin1Char('=')) {
        --end;
    }
    if (end == 0) {
        return false;
    }
    for (qsizetype i = 0; i < end; ++i) {
        const char16_t c = token.at(i).unicode();
        const bool allowed = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-'
                             || c == u'.' || c == u'_' || c == u'~' || c == u'+' || c == u'/';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

QJsonObject NotificationPayload::ping(const QString& authReqId)
{
    return QJsonObject{{QStringLiteral("auth_req_id"), authReqId}};
}

QJsonObject NotificationPayload::pushTokens(const QString& authReqId, const IssuedTokens& tokens)
{
    QJsonObject body = TokenIssuer::tokenResponse(tokens);
    body.insert(QStringLiteral("auth_req_id"), authReqId);
    return body;
}

QJsonObject NotificationPayload::pushError(const QString& authReqId, const QString& outcome)
{
    QString error = QStringLiteral("transaction_failed");
    QString description = QStringLiteral("the server could not complete the request; make a new one");
    if (outcome == QLatin1String("denied")) {
        error = QStringLiteral("access_denied");
        description = QStringLiteral("the person denied the request");
    } else if (outcome == QLatin1String("expired")) {
        error = QStringLiteral("expired_token");
        description = QStringLiteral("the request expired before the person answered; make a new one");
    }
    return QJsonObject{{QStringLiteral("auth_req_id"), authReqId},
                       {QStringLiteral("error"), error},
                       {QStringLiteral("error_description"), description}};
}

} // namespace handoff::server
