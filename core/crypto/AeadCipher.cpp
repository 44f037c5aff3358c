#include "core/crypto/AeadCipher.h"

#include "core/crypto/OpenSsl.h"

#include <limits>

namespace handoff::crypto {

namespace {

// OpenSSL counts bytes in an int; the protocol's largest message is 4 MiB.
constexpr qsizetype maxMessageSize = std::numeric_limits<int>::max() - 32;

Error invalidLength(const QString& what, qsizetype expected, qsizetype got)
{
    return Error { QStringLiteral("invalid_length"),
                   QStringLiteral("AES-256-GCM needs a %1-byte %2, got %3 bytes").arg(expected).arg(what).arg(got) };
}

} // namespace

Result<AeadCipher> AeadCipher::create(QByteArrayView key)
{
    if (key.size() != KeySize) {
        return invalidLength(QStringLiteral("key"), KeySize, key.size());
    }
    return AeadCipher(SecretBytes(key.toByteArray()));
}

Result<Sealed> AeadCipher::encrypt(QByteArrayView nonce, QByteArrayView aad, QByteArrayView plaintext) const
{
    if (nonce.size() != NonceSize) {
        return invalidLength(QStringLiteral("nonce"), NonceSize, nonce.size());
    }
    if (plaintext.size() > maxMessageSize || aad.size() > maxMessageSize) {
        return Error { QStringLiteral("invalid_length"), QStringLiteral("the message is too large to encrypt") };
    }
    const detail::EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1) {
        return detail::opensslError("EVP_EncryptInit_ex2(AES-256-GCM)");
    }
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, NonceSize, nullptr) != 1
        || EVP_EncryptInit_ex2(ctx.get(), nullptr, detail::bytesOf(m_key.bytes()), detail::bytesOf(nonce), nullptr)
            != 1) {
        return detail::opensslError("EVP_EncryptInit_ex2(key, nonce)");
    }
    int written = 0;
    if (!aad.isEmpty()
        && EVP_EncryptUpdate(ctx.get(), nullptr, &written, detail::bytesOf(aad), static_cast<int>(aad.size())) != 1) {
        return detail::opensslError("EVP_EncryptUpdate(AAD)");
    }
    Sealed sealed;
    sealed.ciphertext = QByteArray(plaintext.size(), '\0');
    qsizetype total = 0;
    if (!plaintext.isEmpty()) {
        if (EVP_EncryptUpdate(ctx.get(), detail::bytesOf(sealed.ciphertext), &written, detail::bytesOf(plaintext),
                              static_cast<int>(plaintext.size()))
            != 1) {
            return detail::opensslError("EVP_EncryptUpdate");
        }
        total = written;
    }
    unsigned char finalBlock[16];
    if (EVP_EncryptFinal_ex(ctx.get(), finalBlock, &written) != 1 || written != 0 || total != plaintext.size()) {
        return detail::opensslError("EVP_EncryptFinal_ex");
    }
    sealed.tag = QByteArray(TagSize, '\0');
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, TagSize, sealed.tag.data()) != 1) {
        return detail::opensslError("EVP_CTRL_GCM_GET_TAG");
    }
    return sealed;
}

Result<QByteArray> AeadCipher::decrypt(QByteArrayView nonce, QByteArrayView aad, QByteArrayView ciphertext,
                                       QByteArrayView tag) const
{
    if (nonce.size() != NonceSize) {
        return invalidLength(QStringLiteral("nonce"), NonceSize, nonce.size());
    }
    if (tag.size() != TagSize) {
        return invalidLength(QStringLiteral("tag"), TagSize, tag.size());
    }
    if (ciphertext.size() > maxMessageSize || aad.size() > maxMessageSize) {
        return Error { QStringLiteral("invalid_length"), QStringLiteral("the message is too large to decrypt") };
    }
    const detail::EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1) {
        return detail::opensslError("EVP_DecryptInit_ex2(AES-256-GCM)");
    }
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, NonceSize, nullptr) != 1
        || EVP_DecryptInit_ex2(ctx.get(), nullptr, detail::bytesOf(m_key.bytes()), detail::bytesOf(nonce), nullptr)
            != 1) {
        return detail::opensslError("EVP_DecryptInit_ex2(key, nonce)");
    }
    int written = 0;
    if (!aad.isEmpty()
        && EVP_DecryptUpdate(ctx.get(), nullptr, &written, detail::bytesOf(aad), static_cast<int>(aad.size())) != 1) {
        return detail::opensslError("EVP_DecryptUpdate(AAD)");
    }
    // Plaintext leaves this function only after the tag has been checked; on any
    // failure the partly decrypted buffer is wiped.
    QByteArray plaintext(ciphertext.size(), '\0');
    if (!ciphertext.isEmpty()) {
        if (EVP_DecryptUpdate(ctx.get(), detail::bytesOf(plaintext), &written, detail::bytesOf(ciphertext),
                              static_cast<int>(ciphertext.size()))
                != 1
            || written != ciphertext.size()) {
            wipe(plaintext);
            return detail::opensslError("EVP_DecryptUpdate");
        }
    }
    QByteArray tagCopy = tag.toByteArray();
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, TagSize, tagCopy.data()) != 1) {
        wipe(plaintext);
        return detail::opensslError("EVP_CTRL_GCM_SET_TAG");
    }
    unsigned char finalBlock[16];
    if (EVP_DecryptFinal_ex(ctx.get(), finalBlock, &written) != 1) {
        wipe(plaintext);
        detail::clearOpensslErrors();
        return Error { QStringLiteral("bad_tag"),
                       QStringLiteral("decryption failed: the message was altered, or the key, nonce or associated "
                                      "data does not match") };
    }
    return plaintext;
}

} // namespace handoff::crypto
