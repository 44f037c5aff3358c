#pragma once

// The per-second input limits of PROTOCOL section 5, kept by the agent: more than
// 30 keystrokes or 10 clicks within any one second (a sliding window) are rejected.
// The caller passes the time (milliseconds from a monotonic clock such as
// QElapsedTimer), so tests need no sleeping. Rejected events do not count.
//
// What counts:
// - keystroke: keydown; keypress and ime, unless the last limited event before
//   them was a counted keydown (a browser or Qt sends keydown + keypress for one
//   key: that is one keystroke, and each keydown pairs with at most one of them);
//   paste (one keystroke however long). keyup never counts: it ends a keystroke
//   that its keydown already counted.
// - click: click, dblclick, mousedown (mouseup ends a counted press); back, forward
//   and reload too, so that a flood of navigations cannot hammer the page.
// - nothing: mouseup, mousemove, scroll, keyup, resolved, cancelled (the relay
//   limits the total number of messages).

#include "InputEvent.h"

#include <QtGlobal>

#include <array>

namespace handoff::protocol {

class InputRateLimiter final {
public:
    static constexpr int MaxKeystrokesPerWindow = 30;
    static constexpr int MaxClicksPerWindow = 10;
    static constexpr qint64 WindowMs = 1000;

    enum class Verdict {
        Allowed,
        TooManyKeystrokes,
        TooManyClicks,
    };

    enum class Kind {
        Keystroke,
        Click,
        Unlimited,
    };

    // The limit an event type falls under (before the keydown + keypress pairing).
    static Kind kindOf(InputEventType type);

    // Counts the event if it is allowed. nowMs must not go backwards; if it does,
    // the latest time seen is used instead, so the window never reopens early.
    Verdict check(InputEventType type, qint64 nowMs);
    Verdict check(const InputEvent& event, qint64 nowMs) { return check(event.type(), nowMs); }

    void reset();

private:
    // The times of the last N counted events, oldest first once full. A new event
    // fits if fewer than N are stored or the oldest one left the window.
    template<int N> class Window final {
    public:
        bool tryAdd(qint64 nowMs);
        void clear()
        {
            m_count = 0;
            m_next = 0;
        }

    private:
        std::array<qint64, N> m_times {};
        int m_count = 0;
        int m_next = 0;
    };

    Window<MaxKeystrokesPerWindow> m_keystrokes;
    Window<MaxClicksPerWindow> m_clicks;
    qint64 m_latestMs = 0;
    bool m_seenAny = false;
    bool m_keyDownAwaitingText = false;
};

} // namespace handoff::protocol
