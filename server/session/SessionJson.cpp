#include "server/session/SessionJson.h"

#include <QDateTime>
#include <QTimeZone>

namespace handoff::server {

QString SessionJson::timestamp(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch / 1000 * 1000, QTimeZone::utc()).toString(Qt::ISODate);
}

QJsonObject SessionJson::status(const SessionRecord& record)
{
    return QJsonObject{
        {QStringLiteral("session_id"), record.id},
        {QStringLiteral("status"), toString(record.status)},
        {QStringLiteral("service"), record.service},
        {QStringLiteral("context"), record.context},
        {QStringLiteral("created_at"), timestamp(record.createdAtMs)},
        {QStringLiteral("expires_at"), timestamp(record.expiresAtMs)},
    };
}

QJsonObject SessionJson::info(const SessionRecord& record)
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("session_info")},
        {QStringLiteral("session_id"), record.id},
        {QStringLiteral("service"), record.service},
        {QStringLiteral("context"), record.context},
        {QStringLiteral("expires_at"), timestamp(record.expiresAtMs)},
    };
}

} // namespace handoff::server
