#pragma once

// The short authentication string of version 2 (PROTOCOL 3, v2 step 5): six
// decimal digits the human compares between the viewer and the agent's console
// when the link carries no key fingerprint. Both ends derive the same 4 HKDF
// "sas" bytes only if no one sits between them.

#include "core/common/Result.h"

#include <QByteArrayView>
#include <QString>

namespace handoff::protocol {

class Sas final {
public:
    Sas() = delete;
    static constexpr qsizetype InputSize = 4;
    static constexpr int Digits = 6;

    // Big-endian u32 of the 4 bytes, mod 1,000,000, zero-padded to six digits.
    static Result<QString> fromBytes(QByteArrayView sasBytes);
};

} // namespace handoff::protocol
