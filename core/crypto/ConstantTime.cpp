#include "core/crypto/ConstantTime.h"

#include <openssl/crypto.h>

namespace handoff::crypto {

bool ConstantTime::equal(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size()) {
        return false;
    }
    if (a.isEmpty()) {
        return true;
    }
    return CRYPTO_memcmp(a.data(), b.data(), static_cast<size_t>(a.size())) == 0;
}

} // namespace handoff::crypto
