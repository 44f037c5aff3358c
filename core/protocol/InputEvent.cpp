#include "InputEvent.h"

#include <array>
#include <utility>

namespace handoff::protocol {

namespace {

struct TypeEntry {
    InputEventType type;
    QLatin1StringView name;
};

// The wire names of PROTOCOL section 5, in enum order.
constexpr std::array<TypeEntry, 16> TypeNames { {
    { InputEventType::Click, QLatin1StringView("click") },
    { InputEventType::DblClick, QLatin1StringView("dblclick") },
    { InputEventType::MouseDown, QLatin1StringView("mousedown") },
    { InputEventType::MouseUp, QLatin1StringView("mouseup") },
    { InputEventType::MouseMove, QLatin1StringView("mousemove") },
    { InputEventType::KeyDown, QLatin1StringView("keydown") },
    { InputEventType::KeyUp, QLatin1StringView("keyup") },
    { InputEventType::KeyPress, QLatin1StringView("keypress") },
    { InputEventType::Scroll, QLatin1StringView("scroll") },
    { InputEventType::Paste, QLatin1StringView("paste") },
    { InputEventType::Ime, QLatin1StringView("ime") },
    { InputEventType::Back, QLatin1StringView("back") },
    { InputEventType::Forward, QLatin1StringView("forward") },
    { InputEventType::Reload, QLatin1StringView("reload") },
    { InputEventType::Resolved, QLatin1StringView("resolved") },
    { InputEventType::Cancelled, QLatin1StringView("cancelled") },
} };

struct ButtonEntry {
    MouseButton button;
    QLatin1StringView name;
};

constexpr std::array<ButtonEntry, 6> ButtonNames { {
    { MouseButton::None, QLatin1StringView("none") },
    { MouseButton::Left, QLatin1StringView("left") },
    { MouseButton::Middle, QLatin1StringView("middle") },
    { MouseButton::Right, QLatin1StringView("right") },
    { MouseButton::Back, QLatin1StringView("back") },
    { MouseButton::Forward, QLatin1StringView("forward") },
} };

} // namespace

InputEvent InputEvent::pointer(InputEventType type, double x, double y, MouseButton button)
{
    InputEvent event(type);
    event.m_x = x;
    event.m_y = y;
    event.m_button = button;
    return event;
}

InputEvent InputEvent::keyboard(InputEventType type, QString key, QString code, int modifiers)
{
    InputEvent event(type);
    event.m_key = std::move(key);
    event.m_code = std::move(code);
    event.m_modifiers = modifiers;
    event.m_altKey = (modifiers & ModifierAlt) != 0;
    event.m_ctrlKey = (modifiers & ModifierCtrl) != 0;
    event.m_metaKey = (modifiers & ModifierMeta) != 0;
    event.m_shiftKey = (modifiers & ModifierShift) != 0;
    return event;
}

InputEvent InputEvent::click(double x, double y, MouseButton button, int clickCount)
{
    InputEvent event = pointer(InputEventType::Click, x, y, button);
    event.m_clickCount = clickCount;
    return event;
}

InputEvent InputEvent::doubleClick(double x, double y, MouseButton button, int clickCount)
{
    InputEvent event = pointer(InputEventType::DblClick, x, y, button);
    event.m_clickCount = clickCount;
    return event;
}

InputEvent InputEvent::mouseDown(double x, double y, MouseButton button, std::optional<int> buttons)
{
    InputEvent event = pointer(InputEventType::MouseDown, x, y, button);
    event.m_buttons = buttons;
    return event;
}

InputEvent InputEvent::mouseUp(double x, double y, MouseButton button, std::optional<int> buttons)
{
    InputEvent event = pointer(InputEventType::MouseUp, x, y, button);
    event.m_buttons = buttons;
    return event;
}

InputEvent InputEvent::mouseMove(double x, double y, MouseButton button, std::optional<int> buttons)
{
    InputEvent event = pointer(InputEventType::MouseMove, x, y, button);
    event.m_buttons = buttons;
    return event;
}

InputEvent InputEvent::keyDown(QString key, QString code, int modifiers)
{
    return keyboard(InputEventType::KeyDown, std::move(key), std::move(code), modifiers);
}

InputEvent InputEvent::keyUp(QString key, QString code, int modifiers)
{
    return keyboard(InputEventType::KeyUp, std::move(key), std::move(code), modifiers);
}

InputEvent InputEvent::keyPress(QString key)
{
    InputEvent event(InputEventType::KeyPress);
    event.m_key = std::move(key);
    return event;
}

InputEvent InputEvent::keyPress(QString key, QString code, int modifiers)
{
    return keyboard(InputEventType::KeyPress, std::move(key), std::move(code), modifiers);
}

InputEvent InputEvent::scroll(double x, double y, double deltaX, double deltaY)
{
    InputEvent event(InputEventType::Scroll);
    event.m_x = x;
    event.m_y = y;
    event.m_deltaX = deltaX;
    event.m_deltaY = deltaY;
    return event;
}

InputEvent InputEvent::paste(QString text)
{
    InputEvent event(InputEventType::Paste);
    event.m_text = std::move(text);
    return event;
}

InputEvent InputEvent::ime(QString text, bool commit, std::optional<int> selectionStart,
                           std::optional<int> selectionEnd)
{
    InputEvent event(InputEventType::Ime);
    event.m_text = std::move(text);
    event.m_commit = commit;
    event.m_selectionStart = selectionStart;
    event.m_selectionEnd = selectionEnd;
    return event;
}

InputEvent InputEvent::back()
{
    return InputEvent(InputEventType::Back);
}

InputEvent InputEvent::forward()
{
    return InputEvent(InputEventType::Forward);
}

InputEvent InputEvent::reload()
{
    return InputEvent(InputEventType::Reload);
}

InputEvent InputEvent::resolved()
{
    return InputEvent(InputEventType::Resolved);
}

InputEvent InputEvent::cancelled()
{
    return InputEvent(InputEventType::Cancelled);
}

QString InputEvent::typeName(InputEventType type)
{
    for (const TypeEntry& entry : TypeNames) {
        if (entry.type == type)
            return entry.name;
    }
    return QStringLiteral("unknown");
}

std::optional<InputEventType> InputEvent::typeFromName(QStringView name)
{
    for (const TypeEntry& entry : TypeNames) {
        if (name == entry.name)
            return entry.type;
    }
    return std::nullopt;
}

InputEventCategory InputEvent::categoryOf(InputEventType type)
{
    switch (type) {
    case InputEventType::Click:
    case InputEventType::DblClick:
    case InputEventType::MouseDown:
    case InputEventType::MouseUp:
    case InputEventType::MouseMove:
        return InputEventCategory::Pointer;
    case InputEventType::KeyDown:
    case InputEventType::KeyUp:
    case InputEventType::KeyPress:
        return InputEventCategory::Keyboard;
    case InputEventType::Scroll:
        return InputEventCategory::Scroll;
    case InputEventType::Paste:
    case InputEventType::Ime:
        return InputEventCategory::Text;
    case InputEventType::Back:
    case InputEventType::Forward:
    case InputEventType::Reload:
        return InputEventCategory::Navigation;
    case InputEventType::Resolved:
    case InputEventType::Cancelled:
        return InputEventCategory::Outcome;
    }
    return InputEventCategory::Outcome;
}

QString InputEvent::buttonName(MouseButton button)
{
    for (const ButtonEntry& entry : ButtonNames) {
        if (entry.button == button)
            return entry.name;
    }
    return QStringLiteral("none");
}

std::optional<MouseButton> InputEvent::buttonFromName(QStringView name)
{
    for (const ButtonEntry& entry : ButtonNames) {
        if (name == entry.name)
            return entry.button;
    }
    return std::nullopt;
}

} // namespace handoff::protocol
