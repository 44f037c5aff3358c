#pragma once

// Sessions in the database. Status changes are conditional updates, so a terminal
// status is never overwritten, whoever races for it.

#include "core/common/Result.h"
#include "server/store/SessionRecord.h"

#include <QMap>
#include <QStringList>

#include <optional>

namespace handoff::server {

class Database;

class SessionStore final {
public:
    explicit SessionStore(Database& database) : m_database(database) {}

    Result<void> insert(const SessionRecord& record);
    Result<std::optional<SessionRecord>> find(const QString& id);
    // Moves a live session (PENDING or ACTIVE) to `to`. False when it was not live.
    Result<bool> finish(const QString& id, SessionStatus to, qint64 nowMs);
    // PENDING -> ACTIVE. False when it was not PENDING.
    Result<bool> markActive(const QString& id);
    Result<void> setViewerKeyHash(const QString& id, const QByteArray& hash);
    // Live sessions whose expiry has come.
    Result<QStringList> dueForExpiry(qint64 nowMs);
    Result<std::optional<qint64>> nextExpiry();
    Result<QMap<SessionStatus, qint64>> countByStatus();
    // Deletes sessions that ended before `beforeMs`; returns how many.
    Result<int> purgeEndedBefore(qint64 beforeMs);

private:
    Database& m_database;
};

} // namespace handoff::server
