#pragma once

// A user's past approval requests as the device channel lists them
// (history_request -> {"type":"history","entries":[...]}, PROTOCOL 4): newest
// first, at most MaxEntries and at most MaxBytes of JSON, so that the message
// stays well inside what the app accepts (256 KiB). Each entry has the shape
// device::ApprovalHistoryEntry::fromJson reads. A request still pending past its
// expiry counts as "expired"; device_name is the device that decided.

#include "core/common/Result.h"

#include <QJsonArray>
#include <QJsonObject>

namespace handoff::server {

class Database;

class ApprovalHistory final {
public:
    explicit ApprovalHistory(Database& database) : m_database(database) {}

    static constexpr int MaxEntries = 100;
    static constexpr qsizetype MaxBytes = 192 * 1024;

    // The entries (device::ApprovalHistoryEntry::toJson), newest first, within the bounds above.
    Result<QJsonArray> forUser(const QString& userId, qint64 nowMs);
    // The message to send: {"type":"history","entries":[...]}, or an error message
    // when the database cannot be read.
    QJsonObject message(const QString& userId);

    // "pending", "approved", "denied" or "expired" for a stored status: a request
    // still pending past its expiry has expired.
    static QString outcome(const QString& status, qint64 expiresAtMs, qint64 nowMs);

private:
    Database& m_database;
};

} // namespace handoff::server
