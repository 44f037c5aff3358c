#include "core/crypto/Hkdf.h"

#include "core/crypto/OpenSsl.h"
#include "core/crypto/SecureMemory.h"

#include <openssl/core_names.h>

#include <array>

namespace handoff::crypto {

namespace {

constexpr qsizetype hashSize = 32;
constexpr qsizetype maxLength = 255 * hashSize;
// OpenSSL 3.0's HKDF provider refuses an info string longer than 1024 bytes.
constexpr qsizetype maxInfoSize = 1024;

char sha256Name[] = "SHA256";

void* octets(QByteArrayView view)
{
    // OSSL_PARAM wants a non-const pointer; the provider only reads it.
    return const_cast<unsigned char*>(detail::bytesOf(view)); // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

} // namespace

Result<QByteArray> Hkdf::sha256(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, qsizetype length)
{
    if (length <= 0 || length > maxLength) {
        return Error {
            QStringLiteral("invalid_length"),
            QStringLiteral("HKDF-SHA256 output must be 1 to %1 bytes, asked for %2").arg(maxLength).arg(length)
        };
    }
    if (info.size() > maxInfoSize) {
        return Error { QStringLiteral("invalid_length"),
                       QStringLiteral("HKDF info must be at most %1 bytes, got %2").arg(maxInfoSize).arg(info.size()) };
    }

    const detail::EvpKdfPtr kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
    if (!kdf) {
        return detail::opensslError("EVP_KDF_fetch(HKDF)");
    }
    const detail::EvpKdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx) {
        return detail::opensslError("EVP_KDF_CTX_new");
    }
    std::array<OSSL_PARAM, 5> params {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, sha256Name, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, octets(ikm), static_cast<size_t>(ikm.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, octets(salt), static_cast<size_t>(salt.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, octets(info), static_cast<size_t>(info.size())),
        OSSL_PARAM_construct_end(),
    };
    QByteArray okm(length, '\0');
    if (EVP_KDF_derive(ctx.get(), detail::bytesOf(okm), static_cast<size_t>(length), params.data()) != 1) {
        wipe(okm);
        return detail::opensslError("EVP_KDF_derive(HKDF-SHA256)");
    }
    return okm;
}

} // namespace handoff::crypto
