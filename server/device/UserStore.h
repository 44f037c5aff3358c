#pragma once

// The people of this server, named by their login hint (an email address, compared
// without regard to case). A user may set a user code, the CIBA "user_code" a
// client must then send: it is a low-entropy secret, so only a salted, iterated
// HMAC-SHA256 of it is kept.

#include "core/common/Result.h"

#include <QList>
#include <QString>

#include <optional>

namespace handoff::server {

class Database;

// The salt and derived hash of a user's code (UserCodeHash), to check one off the event loop.
struct StoredUserCode final {
    QByteArray salt;
    QByteArray hash;
};

struct UserRecord final {
    QString id; // "usr_" + 16 base62
    QString email;
    bool hasUserCode = false;
    qint64 createdAtMs = 0;
};

class UserStore final {
public:
    explicit UserStore(Database& database) : m_database(database) {}

    // Errors: "invalid_email", "invalid_user_code", "exists", "storage".
    Result<UserRecord> add(const QString& email, const QString& userCode = {});
    Result<std::optional<UserRecord>> findByEmail(const QString& email);
    Result<std::optional<UserRecord>> findById(const QString& id);
    Result<QList<UserRecord>> list();
    // Nothing for a user without a code.
    Result<std::optional<StoredUserCode>> userCode(const QString& userId);
    // False also for a user without a code. Slow (UserCodeHash): not for the event loop.
    Result<bool> checkUserCode(const QString& userId, const QString& presented);

    static bool isValidEmail(const QString& email);

private:
    Database& m_database;
};

} // namespace handoff::server
