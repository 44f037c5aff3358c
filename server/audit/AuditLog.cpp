#include "server/audit/AuditLog.h"

#include "core/device/DeviceStatements.h"
#include "server/audit/AuditRecord.h"
#include "server/ciba/ApprovalHistory.h"
#include "server/ciba/ApprovalService.h"
#include "server/device/DeviceStore.h"
#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

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
    query.prepare(QStringLiteral("SELECT %1, r.status, r.decided_at, r.decision_device_id, r.decision_decided_at, "
                                 "r.decision_signature, r.redeemed_at, r.decision_server, d.name, d.public_key "
                                 "FROM ciba_requests r LEFT JOIN devices d ON d.id = r.decision_device_id "
                                 "WHERE r.requested_at >= ? ORDER BY r.requested_at, r.rowid")
                      .arg(ApprovalService::requestColumns(QStringLiteral("r"))));
    query.addBindValue(sinceMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot read the audit trail"), query);
    }
    // The columns after the request's own, in the order selected.
    enum Column : int {
        Status = ApprovalService::RequestColumnCount,
        DecidedAt,
        DecisionDeviceId,
        DecisionDecidedAt,
        DecisionSignature,
        RedeemedAt,
        DecisionServer,
        DeviceName,
        DevicePublicKey,
    };
    constexpr int expiresAtMs = 7; // of the request's columns
    while (query.next()) {
        AuditRecord record;
        record.request = ApprovalService::requestFromRow(query);
        record.outcome =
            ApprovalHistory::outcome(query.value(Status).toString(), query.value(expiresAtMs).toLongLong(), nowMs);
        record.tokensIssuedAt = timestampOrEmpty(query.value(RedeemedAt));
        const QByteArray signature = query.value(DecisionSignature).toByteArray();
        if (!signature.isEmpty() && !query.value(DecisionDeviceId).isNull()) {
            record.server = query.value(DecisionServer).isNull() ? fallbackServer : query.value(DecisionServer).toString();
            record.recordedAt = timestampOrEmpty(query.value(DecidedAt));
            record.deviceId = query.value(DecisionDeviceId).toString();
            record.decidedAt = query.value(DecisionDecidedAt).toString();
            record.signature = signature;
            record.decision = record.outcome == QLatin1String("approved") ? device::DeviceStatements::approveWord()
                                                                          : device::DeviceStatements::denyWord();
            record.deviceName = query.value(DeviceName).toString();
            record.devicePublicKey = query.value(DevicePublicKey).toByteArray();
        }
        if (!writeLine(out, record.toJson())) {
            return Error{QStringLiteral("io"), QStringLiteral("cannot write the export: %1").arg(out.errorString())};
        }
        ++counts.requests;
    }
    query.finish();

    query.prepare(QStringLiteral(
        "SELECT client_id, client_name, user_email, denials, last_denied_auth_req_id, started_at, ends_at, "
        "devices_told, refused_requests, ignored FROM ciba_blocks WHERE started_at >= ? ORDER BY started_at, id"));
    query.addBindValue(sinceMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot read the audit trail"), query);
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
        block.ignored = query.value(9).toInt();
        if (!writeLine(out, block.toJson())) {
            return Error{QStringLiteral("io"), QStringLiteral("cannot write the export: %1").arg(out.errorString())};
        }
        ++counts.blocks;
    }
    query.finish();

    query.prepare(QStringLiteral(
        "SELECT scope, client_id, client_name, user_email, failures, started_at, ends_at, devices_told, refused_requests "
        "FROM ciba_user_code_locks WHERE started_at >= ? ORDER BY started_at, id"));
    query.addBindValue(sinceMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot read the audit trail"), query);
    }
    while (query.next()) {
        AuditUserCodeLock lock;
        lock.scope = query.value(0).toString();
        lock.clientId = query.value(1).toString();
        lock.clientName = query.value(2).toString();
        lock.user = query.value(3).toString();
        lock.failures = query.value(4).toInt();
        lock.startedAt = device::DeviceStatements::timestamp(query.value(5).toLongLong());
        lock.endsAt = device::DeviceStatements::timestamp(query.value(6).toLongLong());
        lock.devicesTold = query.value(7).toInt();
        lock.refusedRequests = query.value(8).toInt();
        if (!writeLine(out, lock.toJson())) {
            return Error{QStringLiteral("io"), QStringLiteral("cannot write the export: %1").arg(out.errorString())};
        }
        ++counts.locks;
    }
    return counts;
}

std::optional<QByteArray> AuditLog::deviceKey(const QString& deviceId)
{
    Result<std::optional<DeviceRecord>> device = DeviceStore(m_database).find(deviceId);
    if (!device || !*device) {
        return std::nullopt;
    }
    return (*device)->publicKey;
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
