#include "server/audit/AuditLog.h"

#include "core/device/DeviceStatements.h"
#include "server/audit/AuditRecord.h"
#include "server/ciba/ApprovalHistory.h"
#include "server/store/Database.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

Error storage(const QSqlQuery& query)
{
    return Error{QStringLiteral("storage"), QStringLiteral("cannot read the audit trail: %1").arg(query.lastError().text())};
}

QString timestampOrEmpty(const QVariant& value)
{
    return value.isNull() ? QString() : device::DeviceStatements::timestamp(value.toLongLong());
}

bool writeLine(QIODevice& out, const QJsonObject& line)
{
    QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact);
    bytes += '\n';
    return out.write(bytes) == bytes.size();
}

} // namespace

Result<AuditLog::Counts> AuditLog::exportLines(QIODevice& out, qint64 sinceMs, const QString& fallbackServer, qint64 nowMs)
{
    Counts counts;
    QSqlQuery query(m_database.handle());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT r.auth_req_id, r.client_id, r.client_name, r.user_email, r.scope, r.binding_message, r.requested_at, "
        "r.expires_at, r.status, r.decided_at, r.decision_device_id, r.decision_decided_at, r.decision_signature, "
        "r.redeemed_at, r.decision_server, d.name, d.public_key "
        "FROM ciba_requests r LEFT JOIN devices d ON d.id = r.decision_device_id "
        "WHERE r.requested_at >= ? ORDER BY r.requested_at, r.rowid"));
    query.addBindValue(sinceMs);
    if (!query.exec()) {
        return storage(query);
    }
    while (query.next()) {
        AuditRecord record;
        record.request.authReqId = query.value(0).toString();
        record.request.clientId = query.value(1).toString();
        record.request.clientName = query.value(2).toString();
        record.request.user = query.value(3).toString();
        record.request.scope = query.value(4).toString();
        record.request.bindingMessage = query.value(5).toString();
        record.request.requestedAt = device::DeviceStatements::timestamp(query.value(6).toLongLong());
        record.request.expiresAt = device::DeviceStatements::timestamp(query.value(7).toLongLong());
        record.outcome = ApprovalHistory::outcome(query.value(8).toString(), query.value(7).toLongLong(), nowMs);
        record.tokensIssuedAt = timestampOrEmpty(query.value(13));
        const QByteArray signature = query.value(12).toByteArray();
        if (!signature.isEmpty() && !query.value(10).isNull()) {
            record.server = query.value(14).isNull() ? fallbackServer : query.value(14).toString();
            record.recordedAt = timestampOrEmpty(query.value(9));
            record.deviceId = query.value(10).toString();
            record.decidedAt = query.value(11).toString();
            record.signature = signature;
            record.decision = record.outcome == QLatin1String("approved") ? device::DeviceStatements::approveWord()
                                                                          : device::DeviceStatements::denyWord();
            record.deviceName = query.value(15).toString();
            record.devicePublicKey = query.value(16).toByteArray();
        }
        if (!writeLine(out, record.toJson())) {
            return Error{QStringLiteral("io"), QStringLiteral("cannot write the export: %1").arg(out.errorString())};
        }
        ++counts.requests;
    }
    query.finish();

    query.prepare(QStringLiteral(
        "SELECT client_id, client_name, user_email, denials, last_denied_auth_req_id, started_at, ends_at, "
        "devices_told, refused_requests FROM ciba_blocks WHERE started_at >= ? ORDER BY started_at, id"));
    query.addBindValue(sinceMs);
    if (!query.exec()) {
        return storage(query);
    }
    while (query.next()) {
        AuditBlock block;
        block.clientId = query.value(0).toString();
        block.clientName = query.value(1).toString();
        block.user = query.value(2).toString();
        block.denials = query.value(3).toInt();
        block.lastDeniedAuthReqId = query.value(4).toString();
        block.startedAt = device::DeviceStatements::timestamp(query.value(5).toLongLong());
        block.endsAt = device::DeviceStatements::timestamp(query.value(6).toLongLong());
        block.devicesTold = query.value(7).toInt();
        block.refusedRequests = query.value(8).toInt();
        if (!writeLine(out, block.toJson())) {
            return Error{QStringLiteral("io"), QStringLiteral("cannot write the export: %1").arg(out.errorString())};
        }
        ++counts.blocks;
    }
    return counts;
}

std::optional<QByteArray> AuditLog::deviceKey(const QString& deviceId)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT public_key FROM devices WHERE id = ?"));
    query.addBindValue(deviceId);
    if (!query.exec() || !query.next()) {
        return std::nullopt;
    }
    return query.value(0).toByteArray();
}

std::optional<AuditVerifier::StoredRequest> AuditLog::storedRequest(const QString& authReqId, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT status, expires_at, decision_signature FROM ciba_requests WHERE auth_req_id = ?"));
    query.addBindValue(authReqId);
    if (!query.exec() || !query.next()) {
        return std::nullopt;
    }
    AuditVerifier::StoredRequest stored;
    stored.outcome = ApprovalHistory::outcome(query.value(0).toString(), query.value(1).toLongLong(), nowMs);
    stored.signature = query.value(2).toByteArray();
    return stored;
}

AuditVerifier::Reference AuditLog::reference(qint64 nowMs)
{
    AuditVerifier::Reference reference;
    reference.deviceKey = [this](const QString& deviceId) { return deviceKey(deviceId); };
    reference.request = [this, nowMs](const QString& authReqId) { return storedRequest(authReqId, nowMs); };
    return reference;
}

} // namespace handoff::server
