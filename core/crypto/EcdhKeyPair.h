#pragma once

// An ephemeral P-256 key pair for ECDH. Public keys travel as the 65-byte
// uncompressed point (0x04 || X || Y), the form WebCrypto exports as "raw".

#include "core/common/Result.h"
#include "core/crypto/SecureMemory.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace handoff::crypto {

class EcdhKeyPair final {
public:
    static constexpr qsizetype PublicPointSize = 65;
    static constexpr qsizetype SharedSecretSize = 32;

    static Result<EcdhKeyPair> generate();
    // For known-answer tests: a key pair from a 32-byte big-endian private scalar.
    static Result<EcdhKeyPair> fromPrivateScalar(QByteArrayView scalar);

    // Checks that `point` is a well-formed uncompressed point on P-256 and not
    // the point at infinity; the reason says which check failed.
    static Result<void> validatePublicPoint(QByteArrayView point);

    ~EcdhKeyPair();
    EcdhKeyPair(EcdhKeyPair&&) noexcept;
    EcdhKeyPair& operator=(EcdhKeyPair&&) noexcept;
    EcdhKeyPair(const EcdhKeyPair&) = delete;
    EcdhKeyPair& operator=(const EcdhKeyPair&) = delete;

    QByteArray publicPoint() const;
    // The 32-byte x-coordinate of the shared point with the peer's public point.
    Result<SecretBytes> deriveSharedSecret(QByteArrayView peerPublicPoint) const;

private:
    struct Impl;
    explicit EcdhKeyPair(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace handoff::crypto
