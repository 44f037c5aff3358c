#include "agent/input/KeyTable.h"

#include <QHash>
#include <QJsonArray>
#include <QList>

namespace handoff::agent {

namespace {

constexpr int ModAlt = 1;
constexpr int ModCtrl = 2;
constexpr int ModMeta = 4;
constexpr int ModShift = 8;

QString s(const char* latin1)
{
    return QString::fromLatin1(latin1);
}

KeyDefinition named(const char* code, const char* key, int keyCode, int location = KeyTable::LocationStandard,
                    const char* text = "")
{
    return KeyDefinition{s(code), s(key), s(key), keyCode, s(text), s(text), location};
}

KeyDefinition printable(const char* code, const char* key, const char* shiftKey, int keyCode,
                        int location = KeyTable::LocationStandard)
{
    return KeyDefinition{s(code), s(key), s(shiftKey), keyCode, s(key), s(shiftKey), location};
}

QList<KeyDefinition> buildTable()
{
    QList<KeyDefinition> keys;
    // Letters: VK_A..VK_Z are the upper-case ASCII codes.
    for (char c = 'a'; c <= 'z'; ++c) {
        const char upper = static_cast<char>(c - 'a' + 'A');
        const QByteArray code = QByteArrayLiteral("Key") + upper;
        const char lower[2] = {c, 0};
        const char shifted[2] = {upper, 0};
        keys.append(printable(code.constData(), lower, shifted, upper));
    }
    // Digits and the symbols Shift puts on them.
    const char* digitShift = ")!@#$%^&*(";
    for (int d = 0; d <= 9; ++d) {
        const QByteArray code = QByteArrayLiteral("Digit") + QByteArray::number(d);
        const char digit[2] = {static_cast<char>('0' + d), 0};
        const char shifted[2] = {digitShift[d], 0};
        keys.append(printable(code.constData(), digit, shifted, '0' + d));
    }
    // Punctuation: the VK_OEM_* codes of a US layout.
    keys.append(printable("Space", " ", " ", 32));
    keys.append(printable("Minus", "-", "_", 189));
    keys.append(printable("Equal", "=", "+", 187));
    keys.append(printable("BracketLeft", "[", "{", 219));
    keys.append(printable("BracketRight", "]", "}", 221));
    keys.append(printable("Backslash", "\\", "|", 220));
    keys.append(printable("Semicolon", ";", ":", 186));
    keys.append(printable("Quote", "'", "\"", 222));
    keys.append(printable("Backquote", "`", "~", 192));
    keys.append(printable("Comma", ",", "<", 188));
    keys.append(printable("Period", ".", ">", 190));
    keys.append(printable("Slash", "/", "?", 191));
    keys.append(printable("IntlBackslash", "\\", "|", 226));

    // Function keys: VK_F1 (112) .. VK_F24 (135).
    for (int f = 1; f <= 24; ++f) {
        const QByteArray name = QByteArrayLiteral("F") + QByteArray::number(f);
        keys.append(named(name.constData(), name.constData(), 111 + f));
    }

    // Editing and whitespace.
    keys.append(named("Enter", "Enter", 13, KeyTable::LocationStandard, "\r"));
    keys.append(named("Tab", "Tab", 9));
    keys.append(named("Backspace", "Backspace", 8));
    keys.append(named("Delete", "Delete", 46));
    keys.append(named("Insert", "Insert", 45));
    keys.append(named("Escape", "Escape", 27));
    // Navigation.
    keys.append(named("ArrowLeft", "ArrowLeft", 37));
    keys.append(named("ArrowUp", "ArrowUp", 38));
    keys.append(named("ArrowRight", "ArrowRight", 39));
    keys.append(named("ArrowDown", "ArrowDown", 40));
    keys.append(named("Home", "Home", 36));
    keys.append(named("End", "End", 35));
    keys.append(named("PageUp", "PageUp", 33));
    keys.append(named("PageDown", "PageDown", 34));
    // Modifiers and locks.
    keys.append(named("ShiftLeft", "Shift", 16, KeyTable::LocationLeft));
    keys.append(named("ShiftRight", "Shift", 16, KeyTable::LocationRight));
    keys.append(named("ControlLeft", "Control", 17, KeyTable::LocationLeft));
    keys.append(named("ControlRight", "Control", 17, KeyTable::LocationRight));
    keys.append(named("AltLeft", "Alt", 18, KeyTable::LocationLeft));
    keys.append(named("AltRight", "Alt", 18, KeyTable::LocationRight));
    keys.append(named("MetaLeft", "Meta", 91, KeyTable::LocationLeft));
    keys.append(named("MetaRight", "Meta", 92, KeyTable::LocationRight));
    keys.append(named("CapsLock", "CapsLock", 20));
    keys.append(named("ScrollLock", "ScrollLock", 145));
    // System keys.
    keys.append(named("Pause", "Pause", 19));
    keys.append(named("PrintScreen", "PrintScreen", 44));
    keys.append(named("ContextMenu", "ContextMenu", 93));
    keys.append(named("Help", "Help", 47));
    // Numpad last, so that a key name finds the standard-location key first.
    // (With NumLock on: the digits type.)
    for (int d = 0; d <= 9; ++d) {
        const QByteArray code = QByteArrayLiteral("Numpad") + QByteArray::number(d);
        const char digit[2] = {static_cast<char>('0' + d), 0};
        keys.append(printable(code.constData(), digit, digit, 96 + d, KeyTable::LocationNumpad));
    }
    keys.append(printable("NumpadMultiply", "*", "*", 106, KeyTable::LocationNumpad));
    keys.append(printable("NumpadAdd", "+", "+", 107, KeyTable::LocationNumpad));
    keys.append(printable("NumpadSubtract", "-", "-", 109, KeyTable::LocationNumpad));
    keys.append(printable("NumpadDecimal", ".", ".", 110, KeyTable::LocationNumpad));
    keys.append(printable("NumpadDivide", "/", "/", 111, KeyTable::LocationNumpad));
    keys.append(printable("NumpadComma", ",", ",", 194, KeyTable::LocationNumpad));
    keys.append(printable("NumpadEqual", "=", "=", 187, KeyTable::LocationNumpad));
    keys.append(named("NumpadEnter", "Enter", 13, KeyTable::LocationNumpad, "\r"));
    keys.append(named("NumLock", "NumLock", 144));

    return keys;
}

struct Index final {
    QList<KeyDefinition> keys;
    QHash<QString, qsizetype> byCode;
    QHash<QString, qsizetype> byKey;
};

const Index& index()
{
    static const Index idx = [] {
        Index i;
        i.keys = buildTable();
        // Keys that are not the code of any physical key but that a viewer may
        // send as `key` with an empty or unknown `code`.
        const QList<std::pair<const char*, const char*>> aliases = {
            {"AltGraph", "AltRight"},
            {"OS", "MetaLeft"},
        };
        for (qsizetype n = 0; n < i.keys.size(); ++n) {
            const KeyDefinition& k = i.keys.at(n);
            i.byCode.insert(k.code, n);
            // The standard-location key wins for a key name (Digit1 over Numpad1,
            // ShiftLeft over ShiftRight, Enter over NumpadEnter): first one in,
            // and buildTable() lists the numpad last.
            if (!i.byKey.contains(k.key)) {
                i.byKey.insert(k.key, n);
            }
            if (!i.byKey.contains(k.shiftKey)) {
                i.byKey.insert(k.shiftKey, n);
            }
        }
        for (const auto& [key, code] : aliases) {
            i.byKey.insert(QString::fromLatin1(key), i.byCode.value(QString::fromLatin1(code)));
        }
        return i;
    }();
    return idx;
}

} // namespace

const KeyDefinition* KeyTable::byCode(QStringView code)
{
    const Index& i = index();
    const auto it = i.byCode.constFind(code.toString());
    return it == i.byCode.cend() ? nullptr : &i.keys.at(*it);
}

const KeyDefinition* KeyTable::byKey(QStringView key)
{
    const Index& i = index();
    const auto it = i.byKey.constFind(key.toString());
    return it == i.byKey.cend() ? nullptr : &i.keys.at(*it);
}

const QList<KeyDefinition>& KeyTable::all()
{
    return index().keys;
}

bool KeyTable::isShortcut(int modifiers)
{
    const bool ctrl = modifiers & ModCtrl;
    const bool meta = modifiers & ModMeta;
    const bool alt = modifiers & ModAlt;
    return (ctrl || meta) && !(ctrl && alt && !meta);
}

bool KeyTable::isPrintableCharacter(QStringView text)
{
    if (text.size() == 2 && text.at(0).isHighSurrogate() && text.at(1).isLowSurrogate()) {
        return QChar::isPrint(QChar::surrogateToUcs4(text.at(0), text.at(1)));
    }
    return text.size() == 1 && text.at(0).isPrint();
}

CdpKeyFields KeyTable::resolve(const QString& key, const QString& code, int modifiers)
{
    CdpKeyFields fields;
    const KeyDefinition* def = code.isEmpty() ? nullptr : byCode(code);
    if (!def && !key.isEmpty()) {
        def = byKey(key);
    }
    const bool shift = modifiers & ModShift;
    if (def) {
        fields.known = true;
        fields.code = def->code;
        fields.windowsVirtualKeyCode = def->keyCode;
        fields.location = def->location;
        fields.key = key.isEmpty() ? (shift ? def->shiftKey : def->key) : key;
        fields.unmodifiedText = def->text;
    } else {
        fields.code = code;
        fields.key = key;
    }
    // A code the table does not know is still passed on as the viewer named it.
    if (!code.isEmpty() && (!def || def->code != code)) {
        fields.code = code;
    }
    fields.nativeVirtualKeyCode = fields.windowsVirtualKeyCode;
    fields.isKeypad = fields.location == LocationNumpad;

    if (!isShortcut(modifiers)) {
        if (isPrintableCharacter(fields.key)) {
            fields.text = fields.key;
        } else if (fields.key == QLatin1String("Enter")) {
            fields.text = QStringLiteral("\r");
        }
    }
    if (fields.unmodifiedText.isEmpty()) {
        fields.unmodifiedText = fields.text;
    }
    return fields;
}

QJsonObject KeyTable::params(const QString& type, const CdpKeyFields& fields, int modifiers)
{
    QJsonObject p{
        {QStringLiteral("type"), type},
        {QStringLiteral("modifiers"), modifiers},
        {QStringLiteral("windowsVirtualKeyCode"), fields.windowsVirtualKeyCode},
        {QStringLiteral("nativeVirtualKeyCode"), fields.nativeVirtualKeyCode},
        {QStringLiteral("location"), fields.location},
        {QStringLiteral("isKeypad"), fields.isKeypad},
    };
    if (!fields.key.isEmpty()) {
        p.insert(QStringLiteral("key"), fields.key);
    }
    if (!fields.code.isEmpty()) {
        p.insert(QStringLiteral("code"), fields.code);
    }
    if ((type == QLatin1String("keyDown") || type == QLatin1String("char")) && !fields.text.isEmpty()) {
        p.insert(QStringLiteral("text"), fields.text);
        p.insert(QStringLiteral("unmodifiedText"),
                 fields.unmodifiedText.isEmpty() ? fields.text : fields.unmodifiedText);
    }
    return p;
}

QString KeyTable::editingCommand(const CdpKeyFields& fields, int modifiers)
{
    // Only Meta (the macOS Command key), not Ctrl: Blink maps Ctrl shortcuts itself.
    if (!(modifiers & ModMeta) || (modifiers & (ModCtrl | ModAlt))) {
        return {};
    }
    const bool shift = modifiers & ModShift;
    switch (fields.windowsVirtualKeyCode) {
    case 'A':
        return shift ? QString() : QStringLiteral("selectAll");
    case 'C':
        return shift ? QString() : QStringLiteral("copy");
    case 'X':
        return shift ? QString() : QStringLiteral("cut");
    case 'V':
        return shift ? QString() : QStringLiteral("paste");
    case 'Z':
        return shift ? QStringLiteral("redo") : QStringLiteral("undo");
    default:
        return {};
    }
}

} // namespace handoff::agent
