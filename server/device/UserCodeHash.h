#pragma once

// How a CIBA user code is kept: PBKDF2-HMAC-SHA256 of the code with a 16-byte
// salt, 20,000 rounds, one 32-byte block. Deliberately slow, so it runs off the
// event loop (UserCodeChecker). Pure and thread-safe: bytes in, bytes out.

#include <QByteArray>
#include <QString>

namespace handoff::server {

class UserCodeHash final {
public:
    UserCodeHash() = delete;
    static constexpr int Iterations = 20'000;

    static QByteArray derive(const QByteArray& salt, const QString& code);
    // In constant time over the derived bytes.
    static bool matches(const QByteArray& salt, const QByteArray& hash, const QString& presented);
};

} // namespace handoff::server
