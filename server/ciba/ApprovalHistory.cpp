#include "server/ciba/ApprovalHistory.h"

#include "core/device/ApprovalHistoryEntry.h"
#include "core/device/DeviceStatements.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcHistory, "handoff.ciba", QtInfoMsg)

} // namespace

QString ApprovalHistory::outcome(const QString& status, qint64 expiresAtMs, qint64 nowMs)
{
    if (status == QLatin1String("pending")) {
        return nowMs >= expiresAtMs ? QStringLiteral("expired") : QStringLiteral("pending");
    }
    return status; // approved, denied, expired
}

Result<QJsonArray> ApprovalHistory::forUser(const QString& userId, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.setForwardOnly(true);
    // rowid breaks ties between requests made within one second, in the order they came.
    query.prepare(QStringLiteral(
        "SELECT r.auth_req_id, r.client_name, r.scope, r.binding_message, r.requested_at, r.expires_at, r.status, "
        "r.decided_at, d.name FROM ciba_requests r LEFT JOIN devices d ON d.id = r.decision_device_id "
        "WHERE r.user_id = ? ORDER BY r.requested_at DESC, r.rowid DESC LIMIT ?"));
    query.addBindValue(userId);
    query.addBindValue(MaxEntries);
    if (!query.exec()) {
        return Error{QStringLiteral("storage"), QStringLiteral("cannot read the history: %1").arg(query.lastError().text())};
    }
    QJsonArray entries;
    qsizetype bytes = 0;
    while (query.next()) {
        device::ApprovalHistoryEntry entry;
        entry.authReqId = query.value(0).toString();
        entry.clientName = query.value(1).toString();
        entry.scope = query.value(2).toString();
        entry.bindingMessage = query.value(3).toString();
        entry.requestedAt = device::DeviceStatements::timestamp(query.value(4).toLongLong());
        entry.outcome = outcome(query.value(6).toString(), query.value(5).toLongLong(), nowMs);
        const bool decided = entry.outcome == QLatin1String("approved") || entry.outcome == QLatin1String("denied");
        if (decided && !query.value(7).isNull()) {
            entry.decidedAt = device::DeviceStatements::timestamp(query.value(7).toLongLong());
            entry.deviceName = query.value(8).toString();
        }
        const QJsonObject json = entry.toJson();
        bytes += QJsonDocument(json).toJson(QJsonDocument::Compact).size() + 1;
        if (bytes > MaxBytes) {
            break;
        }
        entries.append(json);
    }
    return entries;
}

QJsonObject ApprovalHistory::message(const QString& userId)
{
    Result<QJsonArray> entries = forUser(userId, QDateTime::currentMSecsSinceEpoch());
    if (!entries) {
        qCWarning(lcHistory).noquote() << entries.error().message;
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                           {QStringLiteral("code"), QStringLiteral("server_error")},
                           {QStringLiteral("message"), QStringLiteral("the server could not read the history")}};
    }
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("history")}, {QStringLiteral("entries"), *entries}};
}

} // namespace handoff::server
