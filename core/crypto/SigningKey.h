#pragma once

// A P-256 ECDSA signing key (device keys, JWT signing). Signatures are the
// 64-byte r || s form that JWS ES256 uses; private keys are exported and
// imported as PKCS#8 DER.

#include "core/common/Result.h"
#include "core/crypto/SecureMemory.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace handoff::crypto {

class SigningKey final {
public:
    static constexpr qsizetype SignatureSize = 64;
    static constexpr qsizetype PublicPointSize = 65; // uncompressed P-256 point

    static Result<SigningKey> generate();
    // Rejects anything but an unencrypted PKCS#8 EC P-256 private key whose public
    // part matches its private scalar.
    static Result<SigningKey> importPkcs8(QByteArrayView der);
    // For known-answer tests: a key from a 32-byte big-endian private scalar.
    static Result<SigningKey> fromPrivateScalar(QByteArrayView scalar);

    ~SigningKey();
    SigningKey(SigningKey&&) noexcept;
    SigningKey& operator=(SigningKey&&) noexcept;
    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;

    Result<SecretBytes> exportPkcs8() const;
    QByteArray publicPoint() const; // PublicPointSize bytes
    // ECDSA over SHA-256(data), returned as r || s (32 bytes each, big-endian).
    Result<QByteArray> sign(QByteArrayView data) const;

    // Verifies a 64-byte r || s signature over SHA-256(data) with a public point.
    // Any malformed input is simply "not valid".
    static bool verify(QByteArrayView publicPoint, QByteArrayView data, QByteArrayView signature);

private:
    struct Impl;
    explicit SigningKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace handoff::crypto
