#pragma once

// Turns a Qt key event into the DOM names of PROTOCOL section 5: `key` (what the
// key means: "a", "A", "Enter", "ArrowLeft") and `code` (which physical key, on a
// US layout: "KeyA", "Digit1", "NumpadEnter"), plus the CDP modifier bits and the
// characters the key types. Qt does not report physical keys portably, so `code`
// is derived from the key on a US layout; pages rarely look at it, and the agent
// uses `key` and the typed text.

#include <QString>

class QKeyEvent;

namespace handoff::ui {

class KeyMapper final {
public:
    KeyMapper() = delete;

    struct Mapped final {
        QString key;   // DOM KeyboardEvent.key, 1-20 characters; empty when the key cannot be named
        QString code;  // DOM KeyboardEvent.code, ASCII letters and digits
        QString text;  // characters typed (keypress events), empty for shortcuts and non-printing keys
        int modifiers = 0; // CDP bits: Alt 1, Ctrl 2, Meta 4, Shift 8
    };

    static Mapped map(const QKeyEvent& event);
    static int modifiersOf(Qt::KeyboardModifiers modifiers);
};

} // namespace handoff::ui
