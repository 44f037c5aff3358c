#include "server/device/UserStore.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"
#include "core/crypto/Random.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

namespace {

constexpr int userCodeIterations = 20'000;

Error sqlError(const QString& what, const QSqlQuery& query)
{
    return Error{QStringLiteral("storage"), QStringLiteral("%1: %2").arg(what, query.lastError().text())};
}

// PBKDF2-HMAC-SHA256 with one block, which is all a 32-byte output needs.
QByteArray stretch(const QByteArray& salt, const QString& code)
{
    const QByteArray password = code.toUtf8();
    QByteArray block = crypto::Digest::hmacSha256(password, salt + QByteArray::fromHex("00000001"));
    QByteArray result = block;
    for (int i = 1; i < userCodeIterations; ++i) {
        block = crypto::Digest::hmacSha256(password, block);
        for (qsizetype j = 0; j < result.size(); ++j) {
            result[j] = char(result[j] ^ block[j]);
        }
    }
    return result;
}

UserRecord fromQuery(const QSqlQuery& query)
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
    query.addBindValue(user.hasUserCode ? QVariant(stretch(*salt, userCode)) : QVariant(QMetaType(QMetaType::QByteArray)));
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
    return std::optional<UserRecord>(fromQuery(query));
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
    return std::optional<UserRecord>(fromQuery(query));
}

Result<QList<UserRecord>> UserStore::list()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT id, email, user_code_hash, created_at FROM users ORDER BY email"))) {
        return sqlError(QStringLiteral("cannot list users"), query);
    }
    QList<UserRecord> users;
    while (query.next()) {
        users.append(fromQuery(query));
    }
    return users;
}

Result<bool> UserStore::checkUserCode(const QString& userId, const QString& presented)
{
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT user_code_salt, user_code_hash FROM users WHERE id = ?"));
    query.addBindValue(userId);
    if (!query.exec()) {
        return sqlError(QStringLiteral("cannot look up the user code"), query);
    }
    if (!query.next() || query.value(1).isNull()) {
        return false;
    }
    return crypto::ConstantTime::equal(stretch(query.value(0).toByteArray(), presented), query.value(1).toByteArray());
}

} // namespace handoff::server
