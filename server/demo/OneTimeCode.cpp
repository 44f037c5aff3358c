#include "server/demo/OneTimeCode.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Random.h"

#include <cstring>

namespace handoff::server {

OneTimeCode::OneTimeCode(crypto::SecretBytes digits, qint64 expiresAtMs)
    : m_digits(std::move(digits))
    , m_expiresAtMs(expiresAtMs)
{
}

Result<OneTimeCode> OneTimeCode::issue(qint64 nowMs, QByteArray* digits)
{
    // Uniform over 000000..999999: draw 32 bits and reject the top sliver that
    // would favour the low codes (2^32 is not a multiple of 10^6).
    constexpr quint32 range = 1'000'000;
    constexpr quint32 limit = quint32((quint64(1) << 32) / range * range);
    for (int draw = 0; draw < 64; ++draw) {
        Result<QByteArray> random = crypto::Random::bytes(sizeof(quint32));
        if (!random) {
            return random.error();
        }
        quint32 value = 0;
        std::memcpy(&value, random->constData(), sizeof(value));
        crypto::wipe(*random);
        if (value >= limit) {
            continue;
        }
        QByteArray text = QByteArray::number(value % range).rightJustified(Digits, '0');
        *digits = text;
        return OneTimeCode(crypto::SecretBytes(std::move(text)), nowMs + LifetimeMs);
    }
    return Error{QStringLiteral("random_failed"), QStringLiteral("could not draw a one-time code")};
}

QByteArray OneTimeCode::normalize(QStringView typed)
{
    QByteArray digits;
    for (const QChar c : typed) {
        if (c == QLatin1Char(' ') || c == QLatin1Char('-')) {
            continue;
        }
        if (c < QLatin1Char('0') || c > QLatin1Char('9') || digits.size() == Digits) {
            return {};
        }
        digits.append(char(c.unicode()));
    }
    return digits.size() == Digits ? digits : QByteArray();
}

OneTimeCode::Outcome OneTimeCode::check(QByteArrayView typed, qint64 nowMs)
{
    if (isLocked()) {
        return Outcome::Locked;
    }
    if (isExpired(nowMs)) {
        return Outcome::Expired;
    }
    if (typed.size() == Digits && crypto::ConstantTime::equal(typed, m_digits.bytes())) {
        m_used = true;
        m_digits.clear();
        return Outcome::Accepted;
    }
    ++m_failures;
    return isLocked() ? Outcome::Locked : Outcome::Wrong;
}

} // namespace handoff::server
