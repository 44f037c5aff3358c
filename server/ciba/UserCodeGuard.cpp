#include "server/ciba/UserCodeGuard.h"

#include "server/ciba/ClientStore.h"
#include "server/ciba/DenialBlocker.h"
#include "server/device/DeviceHub.h"
#include "server/device/UserStore.h"
#include "server/session/SessionJson.h"
#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcUserCode, "handoff.ciba", QtInfoMsg)

QString clockTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("HH:mm 'UTC'"));
}

} // namespace

UserCodeGuard::UserCodeGuard(Database& database, DeviceHub& hub, UserCodeLockPolicy policy)
    : m_database(database)
    , m_hub(hub)
    , m_policy(policy)
{
}

QString UserCodeGuard::scopeName(Scope scope)
{
    return scope == Scope::User ? QStringLiteral("user") : QStringLiteral("client");
}

Result<std::optional<QString>> UserCodeGuard::refusal(const QString& clientId, const QString& userId, qint64 nowMs)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral(
        "SELECT id, scope, failures, ends_at FROM ciba_user_code_locks "
        "WHERE ((scope = 'user' AND user_id = ?) OR (scope = 'client' AND client_id = ?)) AND ends_at > ? "
        "ORDER BY ends_at DESC LIMIT 1"));
    query.addBindValue(userId);
    query.addBindValue(clientId);
    query.addBindValue(nowMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot read the user code locks"), query);
    }
    if (!query.next()) {
        return std::optional<QString>();
    }
    const qint64 id = query.value(0).toLongLong();
    const bool userLock = query.value(1).toString() == QLatin1String("user");
    const int failures = query.value(2).toInt();
    const qint64 endsAt = query.value(3).toLongLong();
    query.finish();
    QSqlQuery count(m_database.handle());
    count.prepare(QStringLiteral("UPDATE ciba_user_code_locks SET refused_requests = refused_requests + 1 WHERE id = ?"));
    count.addBindValue(id);
    if (!count.exec()) {
        qCWarning(lcUserCode).noquote() << "cannot count a refused request:" << count.lastError().text();
    }
    ++m_refused;
    const QString window = DenialBlocker::describeDuration(m_policy.windowMs);
    const QString until = SessionJson::timestamp(endsAt + 999);
    return std::optional<QString>(
        userLock ? QStringLiteral("%1 wrong user codes were sent for this person within %2, so requests that need their "
                                  "user_code are refused until %3")
                       .arg(failures)
                       .arg(window, until)
                 : QStringLiteral("this client sent %1 wrong user codes within %2, so it may send no user_code until %3")
                       .arg(failures)
                       .arg(window, until));
}

Result<int> UserCodeGuard::failures(Scope scope, const QString& id, qint64 nowMs)
{
    const QString column = scope == Scope::User ? QStringLiteral("user_id") : QStringLiteral("client_id");
    QSqlQuery query(m_database.handle());
    query.prepare(
        QStringLiteral("SELECT MAX(started_at) FROM ciba_user_code_locks WHERE scope = ? AND %1 = ?").arg(column));
    query.addBindValue(scopeName(scope));
    query.addBindValue(id);
    if (!query.exec() || !query.next()) {
        return sqlError(QStringLiteral("cannot read the user code locks"), query);
    }
    const qint64 lastLock = query.value(0).isNull() ? 0 : query.value(0).toLongLong();
    query.finish();
    query.prepare(
        QStringLiteral("SELECT COUNT(*) FROM ciba_user_code_failures WHERE %1 = ? AND failed_at > ?").arg(column));
    query.addBindValue(id);
    // A failure recorded in the same millisecond as the lock it caused belongs to that lock.
    query.addBindValue(std::max(nowMs - qint64(m_policy.windowMs), lastLock));
    if (!query.exec() || !query.next()) {
        return sqlError(QStringLiteral("cannot count wrong user codes"), query);
    }
    return query.value(0).toInt();
}

Result<bool> UserCodeGuard::begin(const QString& clientId, const QString& userId, qint64 nowMs)
{
    const Result<int> forUser = failures(Scope::User, userId, nowMs);
    if (!forUser) {
        return forUser.error();
    }
    const Result<int> byClient = failures(Scope::Client, clientId, nowMs);
    if (!byClient) {
        return byClient.error();
    }
    if (*forUser + m_checkingForUser.value(userId) >= m_policy.perUser
        || *byClient + m_checkingByClient.value(clientId) >= m_policy.perClient) {
        return false;
    }
    ++m_checkingForUser[userId];
    ++m_checkingByClient[clientId];
    return true;
}

void UserCodeGuard::finish(const QString& clientId, const QString& userId)
{
    if (--m_checkingForUser[userId] <= 0) {
        m_checkingForUser.remove(userId);
    }
    if (--m_checkingByClient[clientId] <= 0) {
        m_checkingByClient.remove(clientId);
    }
}

void UserCodeGuard::right(const QString& clientId, const QString& userId)
{
    finish(clientId, userId);
}

QString UserCodeGuard::wrong(const ClientRecord& client, const UserRecord& user, qint64 nowMs)
{
    finish(client.id, user.id);
    ++m_wrongCodes;
    const QString wrongCode = QStringLiteral("the user_code is wrong");
    QSqlQuery insert(m_database.handle());
    insert.prepare(QStringLiteral("INSERT INTO ciba_user_code_failures (user_id, client_id, failed_at) VALUES (?, ?, ?)"));
    insert.addBindValue(user.id);
    insert.addBindValue(client.id);
    insert.addBindValue(nowMs);
    if (!insert.exec()) {
        qCWarning(lcUserCode).noquote() << "cannot record a wrong user code:" << insert.lastError().text();
        return wrongCode;
    }
    // Failures older than the window never count again.
    QSqlQuery prune(m_database.handle());
    prune.prepare(QStringLiteral("DELETE FROM ciba_user_code_failures WHERE failed_at <= ?"));
    prune.addBindValue(nowMs - qint64(m_policy.windowMs));
    if (!prune.exec()) {
        qCWarning(lcUserCode).noquote() << "cannot forget old wrong user codes:" << prune.lastError().text();
    }
    qCInfo(lcUserCode).noquote() << "wrong user code from client" << client.id << "for user" << user.id;

    std::optional<qint64> lockedUntil;
    const Result<int> forUser = failures(Scope::User, user.id, nowMs);
    if (forUser && *forUser >= m_policy.perUser) {
        lockedUntil = lock(Scope::User, client, user, *forUser, nowMs);
    }
    const Result<int> byClient = failures(Scope::Client, client.id, nowMs);
    if (byClient && *byClient >= m_policy.perClient) {
        lockedUntil = lock(Scope::Client, client, user, *byClient, nowMs);
    }
    if (!forUser || !byClient) {
        qCWarning(lcUserCode).noquote() << (forUser ? byClient.error().message : forUser.error().message);
    }
    if (lockedUntil) {
        return wrongCode + QStringLiteral("; too many wrong codes were sent, so no user_code is taken until %1")
                               .arg(SessionJson::timestamp(*lockedUntil + 999));
    }
    return wrongCode;
}

std::optional<qint64> UserCodeGuard::lock(Scope scope, const ClientRecord& client, const UserRecord& user, int failures,
                                          qint64 nowMs)
{
    const qint64 endsAt = nowMs + m_policy.lockMs;
    int told = 0;
    if (scope == Scope::User) {
        const QString message =
            QStringLiteral("Handoff received %1 wrong user codes for you within %2 (the last from %3), so it refuses "
                           "requests that need your user code for %4 (until %5). If neither you nor a service you use "
                           "sent them, tell your administrator.")
                .arg(failures)
                .arg(DenialBlocker::describeDuration(m_policy.windowMs), client.name,
                     DenialBlocker::describeDuration(m_policy.lockMs), clockTime(endsAt));
        told = m_hub.sendToUser(user.id, QJsonObject{{QStringLiteral("type"), QStringLiteral("notice")},
                                                     {QStringLiteral("code"), noticeCode()},
                                                     {QStringLiteral("message"), message},
                                                     {QStringLiteral("client_id"), client.id},
                                                     {QStringLiteral("client_name"), client.name},
                                                     {QStringLiteral("until"), SessionJson::timestamp(endsAt)}});
    }
    QSqlQuery insert(m_database.handle());
    insert.prepare(QStringLiteral(
        "INSERT INTO ciba_user_code_locks (scope, user_id, user_email, client_id, client_name, failures, started_at, "
        "ends_at, devices_told) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.addBindValue(scopeName(scope));
    insert.addBindValue(user.id);
    insert.addBindValue(user.email);
    insert.addBindValue(client.id);
    insert.addBindValue(client.name);
    insert.addBindValue(failures);
    insert.addBindValue(nowMs);
    insert.addBindValue(endsAt);
    insert.addBindValue(told);
    if (!insert.exec()) {
        qCWarning(lcUserCode).noquote() << "cannot record a user code lock:" << insert.lastError().text();
        return std::nullopt;
    }
    if (scope == Scope::User) {
        ++m_userLocks;
        qCWarning(lcUserCode).noquote() << "locked the user code of user" << user.id << "after" << failures
                                        << "wrong codes (the last from client" << client.id << "); told" << told
                                        << "device connection(s)";
    } else {
        ++m_clientLocks;
        qCWarning(lcUserCode).noquote() << "client" << client.id << "may send no user code for"
                                        << DenialBlocker::describeDuration(m_policy.lockMs) << "after" << failures
                                        << "wrong codes";
    }
    return endsAt;
}

QByteArray UserCodeGuard::renderMetrics() const
{
    QByteArray out;
    out += "# HELP handoff_ciba_user_code_failures_total Wrong CIBA user codes received.\n"
           "# TYPE handoff_ciba_user_code_failures_total counter\n"
           "handoff_ciba_user_code_failures_total "
           + QByteArray::number(m_wrongCodes) + '\n';
    out += "# HELP handoff_ciba_user_code_locks_total User code locks started, by scope.\n"
           "# TYPE handoff_ciba_user_code_locks_total counter\n";
    out += "handoff_ciba_user_code_locks_total{scope=\"user\"} " + QByteArray::number(m_userLocks) + '\n';
    out += "handoff_ciba_user_code_locks_total{scope=\"client\"} " + QByteArray::number(m_clientLocks) + '\n';
    out += "# HELP handoff_ciba_user_code_refusals_total Requests refused because a user code lock held.\n"
           "# TYPE handoff_ciba_user_code_refusals_total counter\n"
           "handoff_ciba_user_code_refusals_total "
           + QByteArray::number(m_refused) + '\n';
    return out;
}

} // namespace handoff::server
