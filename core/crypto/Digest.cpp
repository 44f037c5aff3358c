#include "core/crypto/Digest.h"

#include "core/crypto/OpenSsl.h"

#include <openssl/hmac.h>

namespace handoff::crypto {

// SHA-256 and HMAC-SHA256 fail in OpenSSL only when memory runs out or the
// provider is broken (which SelfTest::run() catches at start-up). Returning an
// empty or partial digest could let a caller compare two failures as equal, so a
// failure here stops the program instead.

QByteArray Digest::sha256(QByteArrayView data)
{
    QByteArray digest(Sha256Size, Qt::Uninitialized);
    unsigned int length = 0;
    if (EVP_Digest(detail::bytesOf(data), static_cast<size_t>(data.size()), detail::bytesOf(digest), &length,
                   EVP_sha256(), nullptr)
            != 1
        || length != Sha256Size) {
        qFatal("handoff.crypto: SHA-256 failed in OpenSSL");
    }
    return digest;
}

QByteArray Digest::hmacSha256(QByteArrayView key, QByteArrayView data)
{
    // HMAC hashes a key longer than the 64-byte block itself (RFC 2104); doing it
    // here gives the same MAC and keeps the length within OpenSSL's int.
    constexpr qsizetype blockSize = 64;
    if (key.size() > blockSize) {
        QByteArray hashedKey = sha256(key);
        QByteArray mac = hmacSha256(hashedKey, data);
        wipe(hashedKey);
        return mac;
    }
    QByteArray mac(Sha256Size, Qt::Uninitialized);
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), detail::bytesOf(key), static_cast<int>(key.size()), detail::bytesOf(data),
             static_cast<size_t>(data.size()), detail::bytesOf(mac), &length)
            == nullptr
        || length != Sha256Size) {
        qFatal("handoff.crypto: HMAC-SHA256 failed in OpenSSL");
    }
    return mac;
}

} // namespace handoff::crypto
