#include "core/crypto/EcdhKeyPair.h"

#include "core/crypto/OpenSsl.h"

namespace handoff::crypto {

struct EcdhKeyPair::Impl final : detail::P256Key { };

namespace {

Error movedFromKeyPair()
{
    return Error { QStringLiteral("invalid_state"), QStringLiteral("this ECDH key pair has been moved from") };
}

} // namespace

EcdhKeyPair::EcdhKeyPair(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) { }
EcdhKeyPair::~EcdhKeyPair() = default;
EcdhKeyPair::EcdhKeyPair(EcdhKeyPair&&) noexcept = default;
EcdhKeyPair& EcdhKeyPair::operator=(EcdhKeyPair&&) noexcept = default;

Result<EcdhKeyPair> EcdhKeyPair::generate()
{
    Result<detail::P256Key> key = detail::withPublicPoint(detail::generateP256());
    if (!key) {
        return key.error();
    }
    return EcdhKeyPair(std::make_unique<Impl>(Impl { std::move(*key) }));
}

Result<EcdhKeyPair> EcdhKeyPair::fromPrivateScalar(QByteArrayView scalar)
{
    Result<detail::P256Key> key = detail::withPublicPoint(detail::importP256PrivateScalar(scalar));
    if (!key) {
        return key.error();
    }
    return EcdhKeyPair(std::make_unique<Impl>(Impl { std::move(*key) }));
}

Result<void> EcdhKeyPair::validatePublicPoint(QByteArrayView point)
{
    const Result<detail::EvpPkeyPtr> key = detail::importP256PublicPoint(point);
    if (!key) {
        return key.error();
    }
    return Result<void>::success();
}

QByteArray EcdhKeyPair::publicPoint() const
{
    return m_impl ? m_impl->publicPoint : QByteArray();
}

Result<SecretBytes> EcdhKeyPair::deriveSharedSecret(QByteArrayView peerPublicPoint) const
{
    if (!m_impl) {
        return movedFromKeyPair();
    }
    const Result<detail::EvpPkeyPtr> peer = detail::importP256PublicPoint(peerPublicPoint);
    if (!peer) {
        return peer.error();
    }
    const detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m_impl->key.get(), nullptr));
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) {
        return detail::opensslError("EVP_PKEY_derive_init");
    }
    if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer->get(), 1) != 1) {
        return detail::opensslError("EVP_PKEY_derive_set_peer_ex");
    }
    size_t length = 0;
    if (EVP_PKEY_derive(ctx.get(), nullptr, &length) != 1 || length != SharedSecretSize) {
        return detail::opensslError("EVP_PKEY_derive(size)");
    }
    // For EC keys OpenSSL derives the x-coordinate of the shared point, left-padded
    // to the field size: exactly what WebCrypto's deriveBits(256) returns.
    QByteArray buffer(SharedSecretSize, '\0');
    if (EVP_PKEY_derive(ctx.get(), detail::bytesOf(buffer), &length) != 1 || length != SharedSecretSize) {
        wipe(buffer);
        return detail::opensslError("EVP_PKEY_derive");
    }
    return SecretBytes(std::move(buffer));
}

} // namespace handoff::crypto
