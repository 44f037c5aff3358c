#pragma once

// HKDF-SHA256 (RFC 5869): extract-and-expand.

#include "core/common/Result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace handoff::crypto {

class Hkdf final {
public:
    Hkdf() = delete;
    // Fails ("invalid_length") for a length of 0 or over 255 * 32 bytes, or an
    // info string over 1024 bytes (OpenSSL 3.0's limit). Empty salt means HashLen zeros.
    static Result<QByteArray> sha256(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, qsizetype length);
};

} // namespace handoff::crypto
