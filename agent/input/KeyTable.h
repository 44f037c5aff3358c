#pragma once

// The US-layout key table the agent replays keyboard events with: DOM `code`
// (physical key) and `key` (meaning) to the fields of CDP Input.dispatchKeyEvent:
// windowsVirtualKeyCode (Blink acts on it: Backspace, Tab, Enter, arrows),
// nativeVirtualKeyCode (the same number: headless Chromium on Linux takes
// Windows codes), the text a key types, location (left/right modifiers, numpad).
//
// Letters, digits, punctuation, space, numpad, F1-F24, navigation, editing keys,
// modifiers and locks. Pure data and pure functions.

#include <QJsonObject>
#include <QString>
#include <QStringView>

namespace handoff::agent {

// One physical key of a US keyboard.
struct KeyDefinition final {
    QString code;      // DOM code: "KeyA", "Numpad1", "ShiftLeft"
    QString key;       // DOM key without Shift: "a", "1", "Shift", "Enter"
    QString shiftKey;  // DOM key with Shift: "A", "!" (equals key for non-printing keys)
    int keyCode = 0;   // Windows virtual key code
    QString text;      // typed without Shift ("a", "\r" for Enter), empty for non-printing keys
    QString shiftText; // typed with Shift
    int location = 0;  // DOM KeyboardEvent location: 0 standard, 1 left, 2 right, 3 numpad
};

// The fields of one Input.dispatchKeyEvent.
struct CdpKeyFields final {
    QString key;
    QString code;
    int windowsVirtualKeyCode = 0;
    int nativeVirtualKeyCode = 0;
    QString text;           // what a keyDown types; empty for shortcuts and non-printing keys
    QString unmodifiedText; // what the key types without modifiers
    int location = 0;
    bool isKeypad = false;
    bool known = false; // the table knew the key (by code or by key)
};

class KeyTable final {
public:
    KeyTable() = delete;

    static constexpr int LocationStandard = 0;
    static constexpr int LocationLeft = 1;
    static constexpr int LocationRight = 2;
    static constexpr int LocationNumpad = 3;

    // Lookup by DOM code ("KeyA") or, for a key name or character, by DOM key
    // ("Enter", "a", "A", "!"): the standard-location key that produces it.
    static const KeyDefinition* byCode(QStringView code);
    static const KeyDefinition* byKey(QStringView key);
    // Every key of the table, for tests.
    static const QList<KeyDefinition>& all();

    // The CDP fields for a viewer's keydown/keyup: `code` picks the physical key,
    // else `key` does. The key's text is the viewer's `key` when that is one
    // printable character (so Shift and non-US layouts type what the person
    // sees), "\r" for Enter, and nothing for other named keys or for shortcuts
    // (Ctrl or Meta held; Ctrl+Alt is AltGr and does type).
    static CdpKeyFields resolve(const QString& key, const QString& code, int modifiers);

    // True when `modifiers` (CDP bits) make a key a shortcut that types nothing.
    static bool isShortcut(int modifiers);
    // One printable character (a surrogate pair counts as one): what keypress carries.
    static bool isPrintableCharacter(QStringView text);

    // Input.dispatchKeyEvent params. `type` is "keyDown", "rawKeyDown", "keyUp" or
    // "char"; text fields are included only for keyDown and char.
    static QJsonObject params(const QString& type, const CdpKeyFields& fields, int modifiers);

    // Editing command for a macOS-style shortcut (Meta+A etc.) sent to a
    // non-Mac Chromium, which would otherwise ignore it; empty if none.
    static QString editingCommand(const CdpKeyFields& fields, int modifiers);
};

} // namespace handoff::agent
