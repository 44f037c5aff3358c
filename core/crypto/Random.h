#pragma once

// Cryptographically secure random bytes from OpenSSL's DRBG.

#include "core/common/Result.h"

#include <QByteArray>

namespace handoff::crypto {

class Random final {
public:
    Random() = delete;
    static Result<QByteArray> bytes(qsizetype count);
    // `count` random bytes in base62 (for ids such as "sess_..."): each character
    // carries log2(62) bits, so 22 characters carry more than 128 bits.
    static Result<QByteArray> base62(qsizetype length);
    // `byteCount` random bytes encoded as unpadded base64url (for tokens).
    static Result<QByteArray> token(qsizetype byteCount);
};

} // namespace handoff::crypto
