#include "ui/KeyMapper.h"

#include "core/protocol/InputEvent.h"

#include <QHash>
#include <QKeyEvent>

namespace handoff::ui {

namespace {

using protocol::InputEvent;

struct Named final {
    const char* key;
    const char* code;
};

// Keys that do not type a character.
const QHash<int, Named>& namedKeys()
{
    static const QHash<int, Named> keys = {
        {Qt::Key_Backspace, {"Backspace", "Backspace"}},
        {Qt::Key_Tab, {"Tab", "Tab"}},
        {Qt::Key_Backtab, {"Tab", "Tab"}},
        {Qt::Key_Return, {"Enter", "Enter"}},
        {Qt::Key_Enter, {"Enter", "NumpadEnter"}},
        {Qt::Key_Escape, {"Escape", "Escape"}},
        {Qt::Key_Delete, {"Delete", "Delete"}},
        {Qt::Key_Insert, {"Insert", "Insert"}},
        {Qt::Key_Home, {"Home", "Home"}},
        {Qt::Key_End, {"End", "End"}},
        {Qt::Key_PageUp, {"PageUp", "PageUp"}},
        {Qt::Key_PageDown, {"PageDown", "PageDown"}},
        {Qt::Key_Left, {"ArrowLeft", "ArrowLeft"}},
        {Qt::Key_Right, {"ArrowRight", "ArrowRight"}},
        {Qt::Key_Up, {"ArrowUp", "ArrowUp"}},
        {Qt::Key_Down, {"ArrowDown", "ArrowDown"}},
        {Qt::Key_Shift, {"Shift", "ShiftLeft"}},
        {Qt::Key_Control, {"Control", "ControlLeft"}},
        {Qt::Key_Alt, {"Alt", "AltLeft"}},
        {Qt::Key_AltGr, {"AltGraph", "AltRight"}},
        {Qt::Key_Meta, {"Meta", "MetaLeft"}},
        {Qt::Key_Super_L, {"Meta", "MetaLeft"}},
        {Qt::Key_Super_R, {"Meta", "MetaRight"}},
        {Qt::Key_CapsLock, {"CapsLock", "CapsLock"}},
        {Qt::Key_NumLock, {"NumLock", "NumLock"}},
        {Qt::Key_ScrollLock, {"ScrollLock", "ScrollLock"}},
        {Qt::Key_Pause, {"Pause", "Pause"}},
        {Qt::Key_Print, {"PrintScreen", "PrintScreen"}},
        {Qt::Key_Menu, {"ContextMenu", "ContextMenu"}},
        {Qt::Key_Clear, {"Clear", "NumpadEqual"}},
    };
    return keys;
}

// The physical key that types `c` on a US layout (shifted or not).
QString usLayoutCode(QChar c, bool keypad)
{
    const char16_t u = c.toLower().unicode();
    if (keypad) {
        if (u >= u'0' && u <= u'9')
            return QStringLiteral("Numpad") + c;
        switch (u) {
        case u'+':
            return QStringLiteral("NumpadAdd");
        case u'-':
            return QStringLiteral("NumpadSubtract");
        case u'*':
            return QStringLiteral("NumpadMultiply");
        case u'/':
            return QStringLiteral("NumpadDivide");
        case u'.':
        case u',':
            return QStringLiteral("NumpadDecimal");
        default:
            break;
        }
    }
    if (u >= u'a' && u <= u'z')
        return QStringLiteral("Key") + QChar(u).toUpper();
    if (u >= u'0' && u <= u'9')
        return QStringLiteral("Digit") + QChar(u);
    static const QHash<char16_t, const char*> punctuation = {
        {u' ', "Space"},        {u'-', "Minus"},        {u'_', "Minus"},     {u'=', "Equal"},
        {u'+', "Equal"},        {u'[', "BracketLeft"},  {u'{', "BracketLeft"}, {u']', "BracketRight"},
        {u'}', "BracketRight"}, {u'\\', "Backslash"},   {u'|', "Backslash"}, {u';', "Semicolon"},
        {u':', "Semicolon"},    {u'\'', "Quote"},       {u'"', "Quote"},     {u'`', "Backquote"},
        {u'~', "Backquote"},    {u',', "Comma"},        {u'<', "Comma"},     {u'.', "Period"},
        {u'>', "Period"},       {u'/', "Slash"},        {u'?', "Slash"},     {u'!', "Digit1"},
        {u'@', "Digit2"},       {u'#', "Digit3"},       {u'$', "Digit4"},    {u'%', "Digit5"},
        {u'^', "Digit6"},       {u'&', "Digit7"},       {u'*', "Digit8"},    {u'(', "Digit9"},
        {u')', "Digit0"},
    };
    if (const auto it = punctuation.constFind(u); it != punctuation.cend())
        return QString::fromLatin1(it.value());
    return QStringLiteral("Unidentified");
}

// One user-perceived character of `text`, keeping a surrogate pair whole.
QString firstCharacter(const QString& text)
{
    if (text.size() >= 2 && text.at(0).isHighSurrogate() && text.at(1).isLowSurrogate())
        return text.left(2);
    return text.left(1);
}

bool isPrintable(const QString& text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || c.unicode() == 0x7f)
            return false;
    }
    return true;
}

} // namespace

int KeyMapper::modifiersOf(Qt::KeyboardModifiers modifiers)
{
    int bits = 0;
    if (modifiers & Qt::AltModifier)
        bits |= InputEvent::ModifierAlt;
    if (modifiers & Qt::ControlModifier)
        bits |= InputEvent::ModifierCtrl;
    if (modifiers & Qt::MetaModifier)
        bits |= InputEvent::ModifierMeta;
    if (modifiers & Qt::ShiftModifier)
        bits |= InputEvent::ModifierShift;
    return bits;
}

KeyMapper::Mapped KeyMapper::map(const QKeyEvent& event)
{
    Mapped mapped;
    mapped.modifiers = modifiersOf(event.modifiers());
    const int qtKey = event.key();
    const bool keypad = event.modifiers() & Qt::KeypadModifier;

    if (qtKey >= Qt::Key_F1 && qtKey <= Qt::Key_F35) {
        mapped.key = QStringLiteral("F") + QString::number(qtKey - Qt::Key_F1 + 1);
        mapped.code = mapped.key;
        return mapped;
    }
    if (const auto it = namedKeys().constFind(qtKey); it != namedKeys().cend()) {
        mapped.key = QString::fromLatin1(it->key);
        mapped.code = QString::fromLatin1(it->code);
        return mapped;
    }

    const QString text = event.text();
    // With Ctrl or Meta held the key is a shortcut that types nothing, and Qt's
    // text is then a control character or empty: the key comes from Qt's key
    // code. Ctrl+Alt is AltGr on Windows and does type.
    const Qt::KeyboardModifiers held = event.modifiers();
    const bool shortcut = (held & (Qt::ControlModifier | Qt::MetaModifier))
        && !((held & Qt::ControlModifier) && (held & Qt::AltModifier));
    if (isPrintable(text) && !shortcut) {
        mapped.key = firstCharacter(text);
        mapped.text = text;
    } else if (qtKey > 0 && qtKey < 0x110000 && QChar::isPrint(char32_t(qtKey))) {
        // Qt's key codes for printable keys are the upper-case character.
        const char32_t ucs4 = char32_t(qtKey);
        const QString base = QString::fromUcs4(&ucs4, 1);
        mapped.key = held & Qt::ShiftModifier ? base.toUpper() : base.toLower();
    }
    if (mapped.key.isEmpty())
        return mapped;
    mapped.code = usLayoutCode(mapped.key.front(), keypad);
    return mapped;
}

} // namespace handoff::ui
