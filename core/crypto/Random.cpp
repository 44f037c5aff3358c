#include "core/crypto/Random.h"

#include "core/crypto/OpenSsl.h"
#include "core/crypto/SecureMemory.h"

#include <openssl/rand.h>

#include <limits>

namespace handoff::crypto {

namespace {

// Far more than any id or token needs; keeps sizes inside OpenSSL's int and
// catches a negative or absurd count from a bug upstream.
constexpr qsizetype maxCount = 1 << 24;

Error badLength(qsizetype count)
{
    return Error { QStringLiteral("invalid_length"),
                   QStringLiteral("a random length must lie between 0 and %1, got %2").arg(maxCount).arg(count) };
}

bool fill(QByteArray& buffer)
{
    return buffer.isEmpty() || RAND_bytes(detail::bytesOf(buffer), static_cast<int>(buffer.size())) == 1;
}

} // namespace

Result<QByteArray> Random::bytes(qsizetype count)
{
    if (count < 0 || count > maxCount) {
        return badLength(count);
    }
    QByteArray buffer(count, '\0');
    if (!fill(buffer)) {
        wipe(buffer);
        return detail::opensslError("RAND_bytes");
    }
    return buffer;
}

Result<QByteArray> Random::base62(qsizetype length)
{
    if (length < 0 || length > maxCount) {
        return badLength(length);
    }
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    constexpr unsigned alphabetSize = sizeof(alphabet) - 1;
    static_assert(alphabetSize == 62);
    // Rejection sampling: only bytes below 248 = 4 * 62 are used, so that every
    // character is equally likely (a plain byte % 62 would favour the first 8).
    constexpr unsigned acceptBelow = 256 / alphabetSize * alphabetSize;

    QByteArray out;
    out.reserve(length);
    // About 3% of bytes are rejected; draw a little more than needed each round.
    QByteArray pool;
    while (out.size() < length) {
        const qsizetype missing = length - out.size();
        pool.resize(missing + missing / 16 + 8);
        if (!fill(pool)) {
            wipe(pool);
            wipe(out);
            return detail::opensslError("RAND_bytes");
        }
        for (const char c : std::as_const(pool)) {
            const auto value = static_cast<unsigned char>(c);
            if (value < acceptBelow && out.size() < length) {
                out.append(alphabet[value % alphabetSize]);
            }
        }
    }
    wipe(pool);
    return out;
}

Result<QByteArray> Random::token(qsizetype byteCount)
{
    Result<QByteArray> raw = bytes(byteCount);
    if (!raw) {
        return raw;
    }
    QByteArray encoded = raw->toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    wipe(*raw);
    return encoded;
}

} // namespace handoff::crypto
