#pragma once

// Internal to core/crypto: owning handles for OpenSSL objects, OpenSSL error
// reporting and the P-256 key plumbing shared by EcdhKeyPair and SigningKey.
// Never include this from a public header: nothing outside core/crypto sees OpenSSL.

#include "core/common/Result.h"
#include "core/crypto/SecureMemory.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QLoggingCategory>
#include <QString>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>

#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcCrypto)

namespace handoff::crypto::detail {

template<typename T, void (*Free)(T*)> struct Deleter final {
    void operator()(T* p) const noexcept { Free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using EvpKdfPtr = std::unique_ptr<EVP_KDF, Deleter<EVP_KDF, EVP_KDF_free>>;
using EvpKdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX, EVP_KDF_CTX_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using SecretBignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX, BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

inline constexpr qsizetype P256FieldSize = 32;
inline constexpr qsizetype P256PointSize = 1 + 2 * P256FieldSize;

// Pointer to the bytes of `view`, never null (OpenSSL and UBSan dislike a null
// pointer even with a zero length).
const unsigned char* bytesOf(QByteArrayView view);
unsigned char* bytesOf(QByteArray& array);

// An "openssl_error" naming the operation that failed and OpenSSL's first queued
// reason. Drains OpenSSL's thread-local error queue so that it never leaks into
// a later, unrelated call.
Error opensslError(const char* operation);
void clearOpensslErrors();

// Checks a 65-byte uncompressed P-256 point and builds a public key from it.
Result<EvpPkeyPtr> importP256PublicPoint(QByteArrayView point);
// A key pair from a 32-byte big-endian private scalar in [1, n-1].
Result<EvpPkeyPtr> importP256PrivateScalar(QByteArrayView scalar);
Result<EvpPkeyPtr> generateP256();
// True when `key` is an EC key on the named curve P-256.
bool isP256(const EVP_PKEY* key);
// The 65-byte uncompressed public point of a P-256 key.
Result<QByteArray> encodeP256PublicPoint(const EVP_PKEY* key);

// A P-256 key with its public point, encoded once when the key is made: what
// EcdhKeyPair and SigningKey hold.
struct P256Key {
    EvpPkeyPtr key;
    QByteArray publicPoint;
};
// `key` (or its error) with its public point.
Result<P256Key> withPublicPoint(Result<EvpPkeyPtr> key);

} // namespace handoff::crypto::detail
