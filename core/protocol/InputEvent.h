#pragma once

// One input event of PROTOCOL section 5, as a plain value: what the viewer sends
// and the agent replays over CDP. The factories build events for the app; they do
// not check limits. InputEventCodec::validate() does, and InputEventCodec::parse()
// only ever returns events that pass it.
//
// "Characters" here are UTF-16 code units, as in JavaScript's String.length, so a
// limit we accept is never above what an AuthLoop SDK agent accepts.

#include <QString>

#include <optional>

namespace handoff::protocol {

enum class InputEventType {
    Click,
    DblClick,
    MouseDown,
    MouseUp,
    MouseMove,
    KeyDown,
    KeyUp,
    KeyPress,
    Scroll,
    Paste,
    Ime,
    Back,
    Forward,
    Reload,
    Resolved,
    Cancelled,
};

// CDP Input.MouseButton.
enum class MouseButton {
    None,
    Left,
    Middle,
    Right,
    Back,
    Forward,
};

// Coarse groups, for logs and for whoever routes events; never the content.
enum class InputEventCategory {
    Pointer, // click, dblclick, mousedown, mouseup, mousemove
    Keyboard, // keydown, keyup, keypress
    Scroll, // scroll
    Text, // paste, ime
    Navigation, // back, forward, reload
    Outcome, // resolved, cancelled
};

class InputEvent final {
public:
    // CDP modifier bits (PROTOCOL 5).
    static constexpr int ModifierAlt = 1;
    static constexpr int ModifierCtrl = 2;
    static constexpr int ModifierMeta = 4;
    static constexpr int ModifierShift = 8;

    // CDP "buttons" bits: left 1, right 2, middle 4, back 8, forward 16.
    static constexpr int ButtonsLeft = 1;
    static constexpr int ButtonsRight = 2;
    static constexpr int ButtonsMiddle = 4;
    static constexpr int ButtonsBack = 8;
    static constexpr int ButtonsForward = 16;

    static InputEvent click(double x, double y, MouseButton button = MouseButton::Left, int clickCount = 1);
    static InputEvent doubleClick(double x, double y, MouseButton button = MouseButton::Left, int clickCount = 2);
    static InputEvent mouseDown(double x, double y, MouseButton button = MouseButton::Left,
                                std::optional<int> buttons = std::nullopt);
    static InputEvent mouseUp(double x, double y, MouseButton button = MouseButton::Left,
                              std::optional<int> buttons = std::nullopt);
    static InputEvent mouseMove(double x, double y, MouseButton button = MouseButton::None,
                                std::optional<int> buttons = std::nullopt);
    // The four booleans follow from the modifier bits, so the two can never disagree.
    static InputEvent keyDown(QString key, QString code, int modifiers = 0);
    static InputEvent keyUp(QString key, QString code, int modifiers = 0);
    static InputEvent keyPress(QString key);
    // A keypress that also names its physical key and modifiers, as AuthLoop's
    // viewer sends it in version 1 (InputEventCodec::parse() accepts both forms).
    static InputEvent keyPress(QString key, QString code, int modifiers);
    static InputEvent scroll(double x, double y, double deltaX, double deltaY);
    static InputEvent paste(QString text);
    static InputEvent ime(QString text, bool commit, std::optional<int> selectionStart = std::nullopt,
                          std::optional<int> selectionEnd = std::nullopt);
    static InputEvent back();
    static InputEvent forward();
    static InputEvent reload();
    static InputEvent resolved();
    static InputEvent cancelled();

    InputEventType type() const { return m_type; }
    InputEventCategory category() const { return categoryOf(m_type); }
    // The wire name of the type ("keydown"), nothing else: safe for any log.
    QString describe() const { return typeName(m_type); }

    // Pointer events and scroll.
    double x() const { return m_x; }
    double y() const { return m_y; }
    std::optional<MouseButton> button() const { return m_button; }
    std::optional<int> clickCount() const { return m_clickCount; }
    std::optional<int> buttons() const { return m_buttons; }
    double deltaX() const { return m_deltaX; }
    double deltaY() const { return m_deltaY; }

    // Keyboard events.
    const QString& key() const { return m_key; }
    const QString& code() const { return m_code; }
    int modifiers() const { return m_modifiers; }
    bool altKey() const { return m_altKey; }
    bool ctrlKey() const { return m_ctrlKey; }
    bool metaKey() const { return m_metaKey; }
    bool shiftKey() const { return m_shiftKey; }

    // paste and ime.
    const QString& text() const { return m_text; }
    std::optional<int> selectionStart() const { return m_selectionStart; }
    std::optional<int> selectionEnd() const { return m_selectionEnd; }
    bool commit() const { return m_commit; }

    static QString typeName(InputEventType type);
    static std::optional<InputEventType> typeFromName(QStringView name);
    static InputEventCategory categoryOf(InputEventType type);
    static QString buttonName(MouseButton button);
    static std::optional<MouseButton> buttonFromName(QStringView name);

    friend bool operator==(const InputEvent&, const InputEvent&) = default;

private:
    friend class InputEventCodec; // fills in what it parsed

    explicit InputEvent(InputEventType type) : m_type(type) { }
    static InputEvent pointer(InputEventType type, double x, double y, MouseButton button);
    static InputEvent keyboard(InputEventType type, QString key, QString code, int modifiers);

    InputEventType m_type;
    double m_x = 0;
    double m_y = 0;
    std::optional<MouseButton> m_button;
    std::optional<int> m_clickCount;
    std::optional<int> m_buttons;
    double m_deltaX = 0;
    double m_deltaY = 0;
    QString m_key;
    QString m_code;
    int m_modifiers = 0;
    bool m_altKey = false;
    bool m_ctrlKey = false;
    bool m_metaKey = false;
    bool m_shiftKey = false;
    QString m_text;
    std::optional<int> m_selectionStart;
    std::optional<int> m_selectionEnd;
    bool m_commit = false;
};

} // namespace handoff::protocol
