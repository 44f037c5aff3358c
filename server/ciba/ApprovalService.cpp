#include "server/ciba/ApprovalService.h"

#include "core/crypto/SigningKey.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceStatements.h"
#include "server/ciba/NotificationOutbox.h"
#include "server/device/DeviceHub.h"
#include "server/device/DeviceMessage.h"
#include "server/device/DeviceStore.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <array>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcApproval, "handoff.ciba", QtInfoMsg)

QJsonObject result(const QString& authReqId, bool accepted, const QString& code, const QString& message)
{
    QJsonObject answer{{QStringLiteral("type"), QStringLiteral("decision_result")},
                       {QStringLiteral("auth_req_id"), authReqId},
                       {QStringLiteral("accepted"), accepted}};
    if (!accepted) {
        answer.insert(QStringLiteral("error"), code);
        answer.insert(QStringLiteral("message"), message);
    }
    return answer;
}

} // namespace

QString ApprovalService::requestColumns(const QString& table)
{
    static constexpr std::array<const char*, RequestColumnCount> columns{
        "auth_req_id", "client_id", "client_name", "user_email", "scope", "binding_message", "requested_at", "expires_at"};
    const QString prefix = table.isEmpty() ? QString() : table + QLatin1Char('.');
    QStringList qualified;
    for (const char* column : columns) {
        qualified.append(prefix + QLatin1String(column));
    }
    return qualified.join(QStringLiteral(", "));
}

device::ApprovalRequest ApprovalService::requestFromRow(const QSqlQuery& query)
{
    device::ApprovalRequest request;
    request.authReqId = query.value(0).toString();
    request.clientId = query.value(1).toString();
    request.clientName = query.value(2).toString();
    request.user = query.value(3).toString();
    request.scope = query.value(4).toString();
    request.bindingMessage = query.value(5).toString();
    request.requestedAt = device::DeviceStatements::timestamp(query.value(6).toLongLong());
    request.expiresAt = device::DeviceStatements::timestamp(query.value(7).toLongLong());
    return request;
}

ApprovalService::ApprovalService(Database& database, DeviceHub& hub, NotificationOutbox& outbox, QString serverIdentity)
    : m_database(database)
    , m_hub(hub)
    , m_outbox(outbox)
    , m_serverIdentity(std::move(serverIdentity))
{
}

QJsonArray ApprovalService::pendingFor(const QString& userId)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT %1 FROM ciba_requests "
                                 "WHERE user_id = ? AND status = 'pending' AND expires_at > ? ORDER BY requested_at")
                      .arg(requestColumns()));
    query.addBindValue(userId);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    QJsonArray pending;
    if (!query.exec()) {
        qCWarning(lcApproval).noquote() << "cannot list pending requests:" << query.lastError().text();
        return pending;
    }
    while (query.next()) {
        pending.append(requestFromRow(query).toJson());
    }
    return pending;
}

QJsonObject ApprovalService::decide(const DeviceRecord& device, const QJsonObject& message)
{
    const QString authReqId = DeviceMessage::decisionRequestId(message);
    const Result<DeviceMessage::Decision> parsed = DeviceMessage::decision(message);
    if (!parsed) {
        return result(authReqId, false, parsed.error().code, parsed.error().message);
    }
    const QString& decision = parsed->decision;
    const QString& decidedAt = parsed->decidedAt;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (qAbs(parsed->decidedTime.toMSecsSinceEpoch() - now) > MaxClockSkewMs) {
        return result(authReqId, false, QStringLiteral("clock_skew"),
                      QStringLiteral("the device's clock is too far from the server's"));
    }
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT %1, status, user_id FROM ciba_requests WHERE auth_req_id = ?").arg(requestColumns()));
    query.addBindValue(authReqId);
    if (!query.exec()) {
        qCWarning(lcApproval).noquote() << query.lastError().text();
        return result(authReqId, false, QStringLiteral("server_error"), QStringLiteral("the server could not check the decision"));
    }
    if (!query.next() || query.value(RequestColumnCount + 1).toString() != device.userId) {
        qCWarning(lcApproval).noquote() << "refused a decision by device" << device.id << "for an unknown request";
        return result(authReqId, false, QStringLiteral("unknown_request"), QStringLiteral("no such request for this user"));
    }
    const device::ApprovalRequest request = requestFromRow(query);
    const QString status = query.value(RequestColumnCount).toString();
    const qint64 expiresAt = query.value(7).toLongLong(); // expires_at, in ms
    query.finish();
    if (status != QLatin1String("pending") && status != QLatin1String("expired")) {
        return result(authReqId, false, QStringLiteral("already_decided"), QStringLiteral("this request was already settled"));
    }
    if (status == QLatin1String("expired") || now >= expiresAt) {
        return result(authReqId, false, QStringLiteral("expired"), QStringLiteral("this request has expired"));
    }
    const QByteArray statement =
        device::DeviceStatements::approvalDecision(m_serverIdentity, request, device.id, decision, decidedAt);
    if (!crypto::SigningKey::verify(device.publicKey, statement, parsed->signature)) {
        qCWarning(lcApproval).noquote() << "refused a decision with a bad signature from device" << device.id;
        return result(authReqId, false, QStringLiteral("bad_signature"),
                      QStringLiteral("the signature does not match this device and request"));
    }
    const bool approve = parsed->approves();
    const QString outcome = approve ? QStringLiteral("approved") : QStringLiteral("denied");
    QSqlDatabase& db = m_database.handle();
    if (!db.transaction()) {
        qCWarning(lcApproval).noquote() << db.lastError().text();
        return result(authReqId, false, QStringLiteral("server_error"), QStringLiteral("the server could not record the decision"));
    }
    QSqlQuery update(db);
    update.prepare(QStringLiteral(
        "UPDATE ciba_requests SET status = ?, decided_at = ?, decision_device_id = ?, decision_decided_at = ?, "
        "decision_signature = ?, decision_server = ? WHERE auth_req_id = ? AND status = 'pending' AND expires_at > ?"));
    update.addBindValue(outcome);
    update.addBindValue(now);
    update.addBindValue(device.id);
    update.addBindValue(decidedAt);
    update.addBindValue(parsed->signature);
    update.addBindValue(m_serverIdentity);
    update.addBindValue(authReqId);
    update.addBindValue(now);
    if (!update.exec() || update.numRowsAffected() != 1) {
        db.rollback();
        return result(authReqId, false, QStringLiteral("already_decided"), QStringLiteral("this request was already settled"));
    }
    // The client's notification goes with the decision, or neither is kept.
    Result<bool> queued = m_outbox.enqueue(authReqId, outcome, now);
    if (!queued || !db.commit()) {
        qCWarning(lcApproval).noquote() << "cannot record the decision:"
                                        << (queued ? db.lastError().text() : queued.error().message);
        db.rollback();
        return result(authReqId, false, QStringLiteral("server_error"), QStringLiteral("the server could not record the decision"));
    }
    qCInfo(lcApproval).noquote() << "request from client" << request.clientId << (approve ? "approved" : "denied")
                                 << "on device" << device.id;
    m_hub.sendToUser(device.userId,
                     QJsonObject{{QStringLiteral("type"), QStringLiteral("approval_closed")},
                                 {QStringLiteral("auth_req_id"), authReqId},
                                 {QStringLiteral("outcome"), outcome},
                                 {QStringLiteral("by_device"), device.name},
                                 {QStringLiteral("message"), approve ? QStringLiteral("Approved on %1.").arg(device.name)
                                                                     : QStringLiteral("Denied on %1.").arg(device.name)}});
    return result(authReqId, true, {}, {});
}

} // namespace handoff::server
