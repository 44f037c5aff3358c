#pragma once

// The device side of a CIBA request (PROTOCOL 4): which requests wait for a user
// (sent in the device's welcome, so a device that was offline sees them), and the
// verification of a device's approval_decision before anything is released.
//
// A decision counts only when all hold: the request exists and belongs to the
// device's user, it is still pending and not expired by the server's clock, the
// decided_at the device signed is within five minutes of the server's time, and
// the ES256 signature verifies with the device's registered public key over
// DeviceStatements::approvalDecision() built from the server's own record of
// the request. The first valid decision wins (one conditional UPDATE); every
// device of the user is then told with approval_closed. Decision, device and
// signature are stored with the request for the audit, and, for a ping or push
// client, its notification is queued (NotificationOutbox) in the same transaction.

#include "core/common/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

class QSqlQuery;

namespace handoff::device {
struct ApprovalRequest;
}

namespace handoff::server {

class Database;
class DeviceHub;
class NotificationOutbox;
struct DeviceRecord;

class ApprovalService final {
public:
    ApprovalService(Database& database, DeviceHub& hub, NotificationOutbox& outbox, QString serverIdentity);

    QJsonArray pendingFor(const QString& userId);
    // The decision_result to send back to the deciding device.
    QJsonObject decide(const DeviceRecord& device, const QJsonObject& message);

    static constexpr qint64 MaxClockSkewMs = 5 * 60 * 1000;

    // The ciba_requests columns that requestFromRow() reads, comma-separated, for the
    // start of a SELECT list; `table` (an alias in a join) qualifies each one when given.
    // Further columns of a query start at index RequestColumnCount.
    static QString requestColumns(const QString& table = {});
    static constexpr int RequestColumnCount = 8;
    // The request (as signed by devices) in the current row of a query that selects requestColumns() first.
    static device::ApprovalRequest requestFromRow(const QSqlQuery& query);

private:
    Database& m_database;
    DeviceHub& m_hub;
    NotificationOutbox& m_outbox;
    QString m_serverIdentity;
};

} // namespace handoff::server
