#include "core/crypto/SecureMemory.h"

#include <openssl/crypto.h>

namespace handoff::crypto {

void wipe(QByteArray& secret)
{
    // Only a buffer this array owns alone is overwritten: writing through a
    // shared buffer would corrupt the other holders' copies, and calling data()
    // on it would detach and wipe a fresh copy instead. A shared buffer is
    // released here and wiped by whichever holder releases it last, if that
    // holder wipes it.
    if (secret.isDetached() && secret.capacity() > 0) {
        OPENSSL_cleanse(secret.data(), static_cast<size_t>(secret.capacity()));
    }
    secret.clear();
}

void wipe(void* data, qsizetype size)
{
    if (data != nullptr && size > 0) {
        OPENSSL_cleanse(data, static_cast<size_t>(size));
    }
}

SecretBytes::SecretBytes(QByteArray bytes) : m_bytes(std::move(bytes)) {}

SecretBytes::~SecretBytes()
{
    wipe(m_bytes);
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : m_bytes(std::move(other.m_bytes))
{
    other.m_bytes = QByteArray();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        wipe(m_bytes);
        m_bytes = std::move(other.m_bytes);
        other.m_bytes = QByteArray();
    }
    return *this;
}

void SecretBytes::clear()
{
    wipe(m_bytes);
}

} // namespace handoff::crypto
