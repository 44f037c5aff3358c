#pragma once

// Wiping of secrets: key material, shared secrets and decrypted input are
// cleared with OPENSSL_cleanse (which the compiler may not optimise away)
// as soon as they are no longer needed.

#include <QByteArray>

namespace handoff::crypto {

// Overwrites the bytes of `secret` with zeros and leaves it empty. A buffer that
// `secret` shares with other QByteArray copies is only released, not overwritten:
// the other holders still use it (wipe those copies too, or avoid making them).
void wipe(QByteArray& secret);

// Overwrites `size` bytes at `data` with zeros, for secrets in plain buffers.
void wipe(void* data, qsizetype size);

// Owns a secret byte string and wipes it when destroyed or reassigned.
class SecretBytes final {
public:
    SecretBytes() = default;
    explicit SecretBytes(QByteArray bytes);
    ~SecretBytes();
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;

    const QByteArray& bytes() const { return m_bytes; }
    qsizetype size() const { return m_bytes.size(); }
    bool isEmpty() const { return m_bytes.isEmpty(); }
    void clear();

private:
    QByteArray m_bytes;
};

} // namespace handoff::crypto
