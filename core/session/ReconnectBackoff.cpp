#include "core/session/ReconnectBackoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace handoff::session {

ReconnectBackoff::ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double jitter)
    : m_initial(std::max(initial, std::chrono::milliseconds(1)))
    , m_maximum(std::max(maximum, m_initial))
    , m_jitter(std::clamp(jitter, 0.0, 1.0))
{
}

std::chrono::milliseconds ReconnectBackoff::next()
{
    // Doubling stops well before overflow: 2^20 times the initial delay is past any maximum.
    const int doublings = std::min(m_attempts, 20);
    ++m_attempts;
    const std::chrono::milliseconds base =
        std::min<std::chrono::milliseconds>(m_initial * (qint64(1) << doublings), m_maximum);
    const double spread = 1.0 + m_jitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
    const auto delay = std::chrono::milliseconds(qint64(double(base.count()) * spread));
    return std::clamp(delay, std::chrono::milliseconds(1), m_maximum);
}

void ReconnectBackoff::reset()
{
    m_attempts = 0;
}

} // namespace handoff::session
