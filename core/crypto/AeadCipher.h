#pragma once

// AES-256-GCM with an explicit 12-byte nonce, additional authenticated data and
// a 16-byte tag. Decryption with a wrong tag, key, nonce or AAD is an error and
// never yields plaintext.

#include "core/common/Result.h"
#include "core/crypto/SecureMemory.h"

#include <QByteArray>
#include <QByteArrayView>

namespace handoff::crypto {

struct Sealed final {
    QByteArray ciphertext;
    QByteArray tag; // 16 bytes
};

class AeadCipher final {
public:
    static constexpr qsizetype KeySize = 32;
    static constexpr qsizetype NonceSize = 12;
    static constexpr qsizetype TagSize = 16;

    // Fails unless `key` holds exactly 32 bytes. The key is copied into wiped storage.
    static Result<AeadCipher> create(QByteArrayView key);

    Result<Sealed> encrypt(QByteArrayView nonce, QByteArrayView aad, QByteArrayView plaintext) const;
    Result<QByteArray> decrypt(QByteArrayView nonce, QByteArrayView aad, QByteArrayView ciphertext,
                               QByteArrayView tag) const;

private:
    explicit AeadCipher(SecretBytes key) : m_key(std::move(key)) {}
    SecretBytes m_key;
};

} // namespace handoff::crypto
