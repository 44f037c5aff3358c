#include "core/crypto/SigningKey.h"

#include "core/crypto/OpenSsl.h"

#include <openssl/ecdsa.h>
#include <openssl/x509.h>

namespace handoff::crypto {

struct SigningKey::Impl final : detail::P256Key { };

namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, detail::Deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, detail::Deleter<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>>;

constexpr char digestName[] = "SHA256";

Error movedFromSigningKey()
{
    return Error { QStringLiteral("invalid_state"), QStringLiteral("this signing key has been moved from") };
}

Error invalidKey(const QString& reason)
{
    return Error { QStringLiteral("invalid_key"), reason };
}

} // namespace

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) { }
SigningKey::~SigningKey() = default;
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;

Result<SigningKey> SigningKey::generate()
{
    Result<detail::P256Key> key = detail::withPublicPoint(detail::generateP256());
    if (!key) {
        return key.error();
    }
    return SigningKey(std::make_unique<Impl>(Impl { std::move(*key) }));
}

Result<SigningKey> SigningKey::fromPrivateScalar(QByteArrayView scalar)
{
    Result<detail::P256Key> key = detail::withPublicPoint(detail::importP256PrivateScalar(scalar));
    if (!key) {
        return key.error();
    }
    return SigningKey(std::make_unique<Impl>(Impl { std::move(*key) }));
}

Result<SigningKey> SigningKey::importPkcs8(QByteArrayView der)
{
    if (der.isEmpty()) {
        return invalidKey(QStringLiteral("the private key is empty"));
    }
    const unsigned char* cursor = detail::bytesOf(der);
    const unsigned char* const end = cursor + der.size();
    const Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &cursor, static_cast<long>(der.size())));
    if (!info) {
        detail::clearOpensslErrors();
        return invalidKey(QStringLiteral("the private key is not a PKCS#8 DER structure"));
    }
    if (cursor != end) {
        return invalidKey(QStringLiteral("the private key has trailing bytes after its PKCS#8 structure"));
    }
    detail::EvpPkeyPtr key(EVP_PKCS82PKEY(info.get()));
    if (!key) {
        detail::clearOpensslErrors();
        return invalidKey(QStringLiteral("the PKCS#8 structure does not hold a private key OpenSSL can read"));
    }
    if (!detail::isP256(key.get())) {
        return Error { QStringLiteral("unsupported_key"),
                       QStringLiteral("the private key is not an EC key on the P-256 curve") };
    }
    const detail::EvpPkeyCtxPtr checkCtx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!checkCtx) {
        return detail::opensslError("EVP_PKEY_CTX_new_from_pkey");
    }
    if (EVP_PKEY_check(checkCtx.get()) != 1) {
        detail::clearOpensslErrors();
        return invalidKey(QStringLiteral("the P-256 private key failed OpenSSL's key check (scalar out of range or "
                                         "public part not matching)"));
    }
    Result<detail::P256Key> withPoint = detail::withPublicPoint(std::move(key));
    if (!withPoint) {
        return withPoint.error();
    }
    return SigningKey(std::make_unique<Impl>(Impl { std::move(*withPoint) }));
}

Result<SecretBytes> SigningKey::exportPkcs8() const
{
    if (!m_impl) {
        return movedFromSigningKey();
    }
    const Pkcs8Ptr info(EVP_PKEY2PKCS8(m_impl->key.get()));
    if (!info) {
        return detail::opensslError("EVP_PKEY2PKCS8");
    }
    const int length = i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr);
    if (length <= 0) {
        return detail::opensslError("i2d_PKCS8_PRIV_KEY_INFO(size)");
    }
    QByteArray der(length, '\0');
    unsigned char* cursor = detail::bytesOf(der);
    if (i2d_PKCS8_PRIV_KEY_INFO(info.get(), &cursor) != length) {
        wipe(der);
        return detail::opensslError("i2d_PKCS8_PRIV_KEY_INFO");
    }
    return SecretBytes(std::move(der));
}

QByteArray SigningKey::publicPoint() const
{
    return m_impl ? m_impl->publicPoint : QByteArray();
}

Result<QByteArray> SigningKey::sign(QByteArrayView data) const
{
    if (!m_impl) {
        return movedFromSigningKey();
    }
    const detail::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx
        || EVP_DigestSignInit_ex(ctx.get(), nullptr, digestName, nullptr, nullptr, m_impl->key.get(), nullptr) != 1) {
        return detail::opensslError("EVP_DigestSignInit_ex(ECDSA, SHA-256)");
    }
    const int maxSize = EVP_PKEY_get_size(m_impl->key.get());
    if (maxSize <= 0) {
        return detail::opensslError("EVP_PKEY_get_size");
    }
    QByteArray der(maxSize, '\0');
    size_t derLength = der.size();
    if (EVP_DigestSign(ctx.get(), detail::bytesOf(der), &derLength, detail::bytesOf(data),
                       static_cast<size_t>(data.size()))
        != 1) {
        return detail::opensslError("EVP_DigestSign");
    }
    const unsigned char* cursor = detail::bytesOf(der);
    const EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(derLength)));
    if (!signature) {
        return detail::opensslError("d2i_ECDSA_SIG");
    }
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(signature.get(), &r, &s);
    QByteArray raw(SignatureSize, '\0');
    auto* out = detail::bytesOf(raw);
    const int half = SignatureSize / 2;
    if (r == nullptr || s == nullptr || BN_bn2binpad(r, out, half) != half
        || BN_bn2binpad(s, out + half, half) != half) {
        return detail::opensslError("BN_bn2binpad(r, s)");
    }
    return raw;
}

bool SigningKey::verify(QByteArrayView publicPoint, QByteArrayView data, QByteArrayView signature)
{
    if (signature.size() != SignatureSize) {
        return false;
    }
    const Result<detail::EvpPkeyPtr> key = detail::importP256PublicPoint(publicPoint);
    if (!key) {
        return false;
    }
    const int half = SignatureSize / 2;
    detail::BignumPtr r(BN_bin2bn(detail::bytesOf(signature), half, nullptr));
    detail::BignumPtr s(BN_bin2bn(detail::bytesOf(signature) + half, half, nullptr));
    EcdsaSigPtr ecdsaSig(ECDSA_SIG_new());
    if (!r || !s || !ecdsaSig || ECDSA_SIG_set0(ecdsaSig.get(), r.get(), s.get()) != 1) {
        detail::clearOpensslErrors();
        return false;
    }
    // ECDSA_SIG_set0 took ownership of r and s.
    static_cast<void>(r.release());
    static_cast<void>(s.release());

    const int derLength = i2d_ECDSA_SIG(ecdsaSig.get(), nullptr);
    if (derLength <= 0) {
        detail::clearOpensslErrors();
        return false;
    }
    QByteArray der(derLength, '\0');
    unsigned char* cursor = detail::bytesOf(der);
    if (i2d_ECDSA_SIG(ecdsaSig.get(), &cursor) != derLength) {
        detail::clearOpensslErrors();
        return false;
    }
    const detail::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    const bool valid = ctx
        && EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digestName, nullptr, nullptr, key->get(), nullptr) == 1
        && EVP_DigestVerify(ctx.get(), detail::bytesOf(der), der.size(), detail::bytesOf(data),
                            static_cast<size_t>(data.size()))
            == 1;
    detail::clearOpensslErrors();
    return valid;
}

} // namespace handoff::crypto
