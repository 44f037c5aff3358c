#include "core/crypto/SecureMemory.h"

#include <openssl/crypto.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace handoff::crypto {

namespace {

// OPENSSL_cleanse is assembly on common platforms, so AddressSanitizer cannot see
// it overrun a buffer; sanitizer builds check the region themselves.
void cleanse(void* data, qsizetype size)
{
#if defined(__SANITIZE_ADDRESS__)
    Q_ASSERT(__asan_region_is_poisoned(data, static_cast<size_t>(size)) == nullptr);
#endif
    OPENSSL_cleanse(data, static_cast<size_t>(size));
}

} // namespace

void wipe(QByteArray& secret)
{
    // Only a buffer this array owns alone is overwritten: writing through a
    // shared buffer would corrupt the other holders' copies, and calling data()
    // on it would detach and wipe a fresh copy instead. A shared buffer is
    // released here and wiped by whichever holder releases it last, if that
    // holder wipes it.
    if (secret.isDetached() && !secret.isNull()) {
        // Qt 6 keeps free space on both sides of the bytes (removing from the
        // front just moves the start), and that space can still hold old secret
        // bytes: wipe the whole allocation, and nothing beyond it.
        auto& data = secret.data_ptr();
        const qsizetype before = data.freeSpaceAtBegin();
        const qsizetype total = before + secret.size() + data.freeSpaceAtEnd();
        if (total > 0) {
            cleanse(secret.data() - before, total);
        }
    }
    secret.clear();
}

void wipe(void* data, qsizetype size)
{
    if (data != nullptr && size > 0) {
        cleanse(data, size);
    }
}

SecretBytes::SecretBytes(QByteArray bytes) : m_bytes(std::move(bytes)) { }

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
