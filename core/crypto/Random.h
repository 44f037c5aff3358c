#pragma once

// Cryptographically secure random bytes from OpenSSL's DRBG.

#include "core/common/Result.h"

#include <QByteArray>

namespace handoff::crypto {

class Random final {
public:
    Random() = delete;
    static Result<QByteArray> bytes(qsizetype count);
    // `length` uniformly random base62 characters [0-9A-Za-z] (for ids such as
    // "sess_..."): each carries log2(62) bits, so 22 characters carry more than 128 bits.
    static Result<QByteArray> base62(qsizetype length);
    // `byteCount` random bytes encoded as unpadded base64url (for tokens).
    // All three fail with "invalid_length" for a negative or absurdly large count
    // (over 16 MiB); a count of 0 gives an empty result.
    static Result<QByteArray> token(qsizetype byteCount);
};

} // namespace handoff::crypto
