#include "server/device/UserStore.h"

#include "core/crypto/Random.h"
#include "server/device/UserCodeHash.h"
#include "server/store/Database.h"
#include "server/store/StorageError.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

UserRecord userFromQuery(const QSqlQuery& query)
{
    UserRecord user;
    user.id = query.value(0).toString();
    user.email = query.value(1).toString();
    user.hasUserCode = !query.value(2).isNull();
    user.createdAtMs = query.value(3).toLongLong();
    return user;
}

} // namespace

bool UserStore::isValidEmail(const QString& email)
{
    static const QRegularExpression pattern(QStringLiteral("^[^@\\s]{1,64}@[^@\\s]{1,255}$"));
    return email.size() <= 320 && pattern.match(email).hasMatch();
}

Result<UserRecord> UserStore::add(const QString& email, const QString& userCode)
{
    const QString trimmed = email.trimmed();
    if (!isValidEmail(trimmed)) {
        return Error{QStringLiteral("invalid_email"), QStringLiteral("\"%1\" is not an email address").arg(trimmed)};
    }
    if (!userCode.isNull() && (userCode.size() < 4 || userCode.size() > 64)) {
        return Error{QStringLiteral("invalid_user_code"), QStringLiteral("a user code needs 4 to 64 characters")};
    }
    Result<std::optional<UserRecord>> existing = findByEmail(trimmed);
    if (!existing) {
        return existing.error();
    }
    if (existing->has_value()) {
        return Error{QStringLiteral("exists"), QStringLiteral("there is already a user %1").arg(trimmed)};
    }
    Result<QByteArray> id = crypto::Random::base62(16);
    Result<QByteArray> salt = crypto::Random::bytes(16);
    if (!id || !salt) {
        return Error{QStringLiteral("random"), QStringLiteral("no random bytes for a new user")};
    }
    UserRecord user;
    user.id = QStringLiteral("usr_") + QString::fromLatin1(*id);
    user.email = trimmed;
    user.hasUserCode = !userCode.isNull();
    user.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral(
        "INSERT INTO users (id, email, user_code_salt, user_code_hash, created_at) VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(user.id);
    query.addBindValue(user.email);
    query.addBindValue(user.hasUserCode ? QVariant(*salt) : QVariant(QMetaType(QMetaType::QByteArray)));
    query.addBindValue(user.hasUserCode ? QVariant(UserCodeHash::derive(*salt, userCode))
                                        : QVariant(QMetaType(QMetaType::QByteArray)));
    query.addBindValue(user.createdAtMs);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot store the user"), query);
    }
    return user;
}

Result<std::optional<UserRecord>> UserStore::findByEmail(const QString& email)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT id, email, user_code_hash, created_at FROM users WHERE email = ?"));
    query.addBindValue(email.trimmed());
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot look up the user"), query);
    }
    if (!query.next()) {
        return std::optional<UserRecord>();
    }
    return std::optional<UserRecord>(userFromQuery(query));
}

Result<std::optional<UserRecord>> UserStore::findById(const QString& id)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT id, email, user_code_hash, created_at FROM users WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot look up the user"), query);
    }
    if (!query.next()) {
        return std::optional<UserRecord>();
    }
    return std::optional<UserRecord>(userFromQuery(query));
}

Result<QList<UserRecord>> UserStore::list()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT id, email, user_code_hash, created_at FROM users ORDER BY email"))) {
        return sqlError(QStringLiteral("cannot list users"), query);
    }
    QList<UserRecord> users;
    while (query.next()) {
        users.append(userFromQuery(query));
    }
    return users;
}

Result<std::optional<StoredUserCode>> UserStore::userCode(const QString& userId)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT user_code_salt, user_code_hash FROM users WHERE id = ?"));
    query.addBindValue(userId);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot look up the user code"), query);
    }
    if (!query.next() || query.value(1).isNull()) {
        return std::optional<StoredUserCode>();
    }
    return std::optional<StoredUserCode>(StoredUserCode{query.value(0).toByteArray(), query.value(1).toByteArray()});
}

Result<bool> UserStore::checkUserCode(const QString& userId, const QString& presented)
{
    Result<std::optional<StoredUserCode>> stored = userCode(userId);
    if (!stored) {
        return stored.error();
    }
    return stored->has_value() && UserCodeHash::matches((*stored)->salt, (*stored)->hash, presented);
}

} // namespace handoff::server
