#include "server/device/UserCodeHash.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"

namespace handoff::server {

QByteArray UserCodeHash::derive(const QByteArray& salt, const QString& code)
{
    // PBKDF2 with one block, which is all a 32-byte output needs.
    const QByteArray password = code.toUtf8();
    QByteArray block = crypto::Digest::hmacSha256(password, salt + QByteArray::fromHex("00000001"));
    QByteArray result = block;
    for (int i = 1; i < Iterations; ++i) {
        block = crypto::Digest::hmacSha256(password, block);
        for (qsizetype j = 0; j < result.size(); ++j) {
            result[j] = char(result[j] ^ block[j]);
        }
    }
    return result;
}

bool UserCodeHash::matches(const QByteArray& salt, const QByteArray& hash, const QString& presented)
{
    return crypto::ConstantTime::equal(derive(salt, presented), hash);
}

} // namespace handoff::server
