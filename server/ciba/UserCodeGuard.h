#pragma once

// Against guessing a person's CIBA user_code (a low-entropy secret) with a
// client's credentials. Every wrong code is recorded (never the code itself).
// When wrong codes for one person reach the policy's number within its window,
// that person's code is locked: no request that needs it is taken until the lock
// ends, and the person's online devices get {"type":"notice","code":
// "user_code_locked","message","client_id","client_name","until"}. When wrong
// codes from one client (for anyone) reach the client limit, that client may
// send no code until its lock ends. Each lock is recorded in ciba_user_code_locks
// (kept for the audit export, with the requests refused during it) and logged
// as a warning for the operator. Only wrong codes since the previous lock of the
// same kind count, so a lock ends for good.
//
// Checks under way count as possible failures: a check is begun only while the
// wrong codes so far plus the checks under way stay below both limits, so
// concurrent guesses cannot slip past a limit before their results are in.

#include "core/common/Result.h"
#include "server/ciba/UserCodeLockPolicy.h"

#include <QHash>
#include <QString>

#include <optional>

namespace handoff::server {

class Database;
class DeviceHub;
struct ClientRecord;
struct UserRecord;

class UserCodeGuard final {
public:
    UserCodeGuard(Database& database, DeviceHub& hub, UserCodeLockPolicy policy = {});

    // While a lock holds for this person or this client: why the request is refused
    // (for error_description); the refusal is counted on the lock. Nothing when a
    // code may be checked.
    Result<std::optional<QString>> refusal(const QString& clientId, const QString& userId, qint64 nowMs);

    // Reserves one check; false when it must wait for the checks under way.
    Result<bool> begin(const QString& clientId, const QString& userId, qint64 nowMs);
    // A begun check found the code right.
    void right(const QString& clientId, const QString& userId);
    // A begun check found the code wrong: recorded, and a lock started when a
    // limit is reached. The error_description for invalid_user_code.
    QString wrong(const ClientRecord& client, const UserRecord& user, qint64 nowMs);

    // Prometheus text: wrong codes, locks by scope, refused requests.
    QByteArray renderMetrics() const;

    static QString noticeCode() { return QStringLiteral("user_code_locked"); }

private:
    enum class Scope { User, Client };
    static QString scopeName(Scope scope);
    // Wrong codes for a user or from a client since the window opened or its last lock started.
    Result<int> failures(Scope scope, const QString& id, qint64 nowMs);
    // Records a lock; the time it ends, or nothing when it could not be stored.
    std::optional<qint64> lock(Scope scope, const ClientRecord& client, const UserRecord& user, int failures,
                               qint64 nowMs);
    void finish(const QString& clientId, const QString& userId);

    Database& m_database;
    DeviceHub& m_hub;
    UserCodeLockPolicy m_policy;
    QHash<QString, int> m_checkingForUser;
    QHash<QString, int> m_checkingByClient;
    qint64 m_wrongCodes = 0;
    qint64 m_userLocks = 0;
    qint64 m_clientLocks = 0;
    qint64 m_refused = 0;
};

} // namespace handoff::server
