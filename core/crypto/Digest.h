#pragma once

// SHA-256 and HMAC-SHA256.

#include <QByteArray>
#include <QByteArrayView>

namespace handoff::crypto {

class Digest final {
public:
    Digest() = delete;
    static constexpr qsizetype Sha256Size = 32;
    static QByteArray sha256(QByteArrayView data);
    static QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
};

} // namespace handoff::crypto
