#include "InputRateLimiter.h"

namespace handoff::protocol {

template<int N> bool InputRateLimiter::Window<N>::tryAdd(qint64 nowMs)
{
    if (m_count == N) {
        // m_next is the oldest slot. The window is (now - WindowMs, now]: an event
        // exactly one second old no longer counts.
        // Times never go backwards here, so the unsigned difference is exact and cannot overflow.
        if (quint64(nowMs) - quint64(m_times[m_next]) < quint64(WindowMs))
            return false;
    } else {
        ++m_count;
    }
    m_times[m_next] = nowMs;
    m_next = (m_next + 1) % N;
    return true;
}

InputRateLimiter::Kind InputRateLimiter::kindOf(InputEventType type)
{
    switch (type) {
    case InputEventType::KeyDown:
    case InputEventType::KeyPress:
    case InputEventType::Ime:
    case InputEventType::Paste:
        return Kind::Keystroke;
    case InputEventType::Click:
    case InputEventType::DblClick:
    case InputEventType::MouseDown:
    case InputEventType::Back:
    case InputEventType::Forward:
    case InputEventType::Reload:
        return Kind::Click;
    case InputEventType::MouseUp:
    case InputEventType::MouseMove:
    case InputEventType::KeyUp:
    case InputEventType::Scroll:
    case InputEventType::Resolved:
    case InputEventType::Cancelled:
        return Kind::Unlimited;
    }
    return Kind::Unlimited;
}

InputRateLimiter::Verdict InputRateLimiter::check(InputEventType type, qint64 nowMs)
{
    if (m_seenAny && nowMs < m_latestMs)
        nowMs = m_latestMs;
    m_latestMs = nowMs;
    m_seenAny = true;

    const Kind kind = kindOf(type);
    if (kind == Kind::Unlimited)
        return Verdict::Allowed; // and keeps a pending keydown pending: keyup or a mouse move may come between

    // keypress / ime that carry the text of the keydown just counted.
    const bool textOfKeyDown = type == InputEventType::KeyPress || type == InputEventType::Ime;
    if (textOfKeyDown && m_keyDownAwaitingText) {
        m_keyDownAwaitingText = false;
        return Verdict::Allowed;
    }
    m_keyDownAwaitingText = false;

    switch (kind) {
    case Kind::Keystroke:
        if (!m_keystrokes.tryAdd(nowMs))
            return Verdict::TooManyKeystrokes;
        m_keyDownAwaitingText = type == InputEventType::KeyDown;
        return Verdict::Allowed;
    case Kind::Click:
        return m_clicks.tryAdd(nowMs) ? Verdict::Allowed : Verdict::TooManyClicks;
    case Kind::Unlimited:
        return Verdict::Allowed;
    }
    return Verdict::Allowed;
}

void InputRateLimiter::reset()
{
    m_keystrokes.clear();
    m_clicks.clear();
    m_latestMs = 0;
    m_seenAny = false;
    m_keyDownAwaitingText = false;
}

} // namespace handoff::protocol
