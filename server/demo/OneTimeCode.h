#pragma once

// One one-time code of the demo bank: six random digits, valid for five minutes,
// usable once, locked after five wrong tries. The digits leave this object only
// once, from issue(), for the operator's console; checks compare in constant time.

#include "core/common/Result.h"
#include "core/crypto/SecureMemory.h"

#include <QByteArray>
#include <QStringView>

namespace handoff::server {

class OneTimeCode final {
public:
    static constexpr int Digits = 6;
    static constexpr qint64 LifetimeMs = 5 * 60 * 1000;
    static constexpr int MaxAttempts = 5;

    enum class Outcome {
        Accepted, // right code, in time: the code is now used up
        Wrong,    // wrong code; attemptsLeft() more tries
        Expired,  // past its lifetime; does not count as a try
        Locked,   // the last allowed try was wrong, or the code was already used
    };

    // A fresh code issued at `nowMs` (a monotonic clock); its digits go to `digits`.
    static Result<OneTimeCode> issue(qint64 nowMs, QByteArray* digits);
    // What a person typed with spaces and hyphens removed ("123 456" -> "123456"),
    // or an empty string when that is not exactly six ASCII digits.
    static QByteArray normalize(QStringView typed);

    // `typed` as normalize() returns it; anything else is a wrong code.
    Outcome check(QByteArrayView typed, qint64 nowMs);
    int attemptsLeft() const { return MaxAttempts - m_failures; }
    bool isExpired(qint64 nowMs) const { return nowMs >= m_expiresAtMs; }
    bool isLocked() const { return m_used || m_failures >= MaxAttempts; }

private:
    OneTimeCode(crypto::SecretBytes digits, qint64 expiresAtMs);

    crypto::SecretBytes m_digits;
    qint64 m_expiresAtMs = 0;
    int m_failures = 0;
    bool m_used = false;
};

} // namespace handoff::server
