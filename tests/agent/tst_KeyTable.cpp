// KeyTable: each mapped key produces the CDP Input.dispatchKeyEvent fields a
// real keyboard would (table-driven over the whole US layout).

#include "agent/input/KeyTable.h"

#include <QSet>
#include <QTest>

using namespace handoff::agent;

namespace {
constexpr int Alt = 1;
constexpr int Ctrl = 2;
constexpr int Meta = 4;
constexpr int Shift = 8;
} // namespace

class TestKeyTable final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resolve_data();
    void resolve();
    void tableIsConsistent();
    void everyCodeResolvesToItself();
    void functionKeys();
    void params_data();
    void params();
    void shortcuts_data();
    void shortcuts();
    void editingCommands_data();
    void editingCommands();
    void printableCharacter_data();
    void printableCharacter();
};

void TestKeyTable::resolve_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("modifiers");
    QTest::addColumn<QString>("expectedKey");
    QTest::addColumn<QString>("expectedCode");
    QTest::addColumn<int>("keyCode");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("unmodifiedText");
    QTest::addColumn<int>("location");

    const auto row = [](const char* name, const char* key, const char* code, int modifiers, const char* expectedKey,
                        const char* expectedCode, int keyCode, const QString& text, const QString& unmodified,
                        int location) {
        QTest::newRow(name) << QString::fromUtf8(key) << QString::fromUtf8(code) << modifiers
                            << QString::fromUtf8(expectedKey) << QString::fromUtf8(expectedCode) << keyCode << text
                            << unmodified << location;
    };
    const auto t = [](const char* s) { return QString::fromUtf8(s); };

    // Letters
    row("a", "a", "KeyA", 0, "a", "KeyA", 65, t("a"), t("a"), 0);
    row("A shifted", "A", "KeyA", Shift, "A", "KeyA", 65, t("A"), t("a"), 0);
    row("m", "m", "KeyM", 0, "m", "KeyM", 77, t("m"), t("m"), 0);
    row("z", "z", "KeyZ", 0, "z", "KeyZ", 90, t("z"), t("z"), 0);
    row("Z shifted", "Z", "KeyZ", Shift, "Z", "KeyZ", 90, t("Z"), t("z"), 0);
    row("letter by key only", "q", "", 0, "q", "KeyQ", 81, t("q"), t("q"), 0);
    row("capital by key only", "Q", "", Shift, "Q", "KeyQ", 81, t("Q"), t("q"), 0);
    // Digits and their shifted symbols
    row("0", "0", "Digit0", 0, "0", "Digit0", 48, t("0"), t("0"), 0);
    row("1", "1", "Digit1", 0, "1", "Digit1", 49, t("1"), t("1"), 0);
    row("9", "9", "Digit9", 0, "9", "Digit9", 57, t("9"), t("9"), 0);
    row("!", "!", "Digit1", Shift, "!", "Digit1", 49, t("!"), t("1"), 0);
    row("@", "@", "Digit2", Shift, "@", "Digit2", 50, t("@"), t("2"), 0);
    row("# by key only", "#", "", Shift, "#", "Digit3", 51, t("#"), t("3"), 0);
    row(")", ")", "Digit0", Shift, ")", "Digit0", 48, t(")"), t("0"), 0);
    // Punctuation
    row("space", " ", "Space", 0, " ", "Space", 32, t(" "), t(" "), 0);
    row("minus", "-", "Minus", 0, "-", "Minus", 189, t("-"), t("-"), 0);
    row("underscore", "_", "Minus", Shift, "_", "Minus", 189, t("_"), t("-"), 0);
    row("equal", "=", "Equal", 0, "=", "Equal", 187, t("="), t("="), 0);
    row("plus", "+", "Equal", Shift, "+", "Equal", 187, t("+"), t("="), 0);
    row("bracket left", "[", "BracketLeft", 0, "[", "BracketLeft", 219, t("["), t("["), 0);
    row("brace right", "}", "BracketRight", Shift, "}", "BracketRight", 221, t("}"), t("]"), 0);
    row("backslash", "\\", "Backslash", 0, "\\", "Backslash", 220, t("\\"), t("\\"), 0);
    row("pipe", "|", "Backslash", Shift, "|", "Backslash", 220, t("|"), t("\\"), 0);
    row("semicolon", ";", "Semicolon", 0, ";", "Semicolon", 186, t(";"), t(";"), 0);
    row("colon", ":", "Semicolon", Shift, ":", "Semicolon", 186, t(":"), t(";"), 0);
    row("quote", "'", "Quote", 0, "'", "Quote", 222, t("'"), t("'"), 0);
    row("double quote", "\"", "Quote", Shift, "\"", "Quote", 222, t("\""), t("'"), 0);
    row("backquote", "`", "Backquote", 0, "`", "Backquote", 192, t("`"), t("`"), 0);
    row("tilde", "~", "Backquote", Shift, "~", "Backquote", 192, t("~"), t("`"), 0);
    row("comma", ",", "Comma", 0, ",", "Comma", 188, t(","), t(","), 0);
    row("less", "<", "Comma", Shift, "<", "Comma", 188, t("<"), t(","), 0);
    row("period", ".", "Period", 0, ".", "Period", 190, t("."), t("."), 0);
    row("slash", "/", "Slash", 0, "/", "Slash", 191, t("/"), t("/"), 0);
    row("question", "?", "Slash", Shift, "?", "Slash", 191, t("?"), t("/"), 0);
    // Numpad
    row("numpad 0", "0", "Numpad0", 0, "0", "Numpad0", 96, t("0"), t("0"), 3);
    row("numpad 5", "5", "Numpad5", 0, "5", "Numpad5", 101, t("5"), t("5"), 3);
    row("numpad 9", "9", "Numpad9", 0, "9", "Numpad9", 105, t("9"), t("9"), 3);
    row("numpad multiply", "*", "NumpadMultiply", 0, "*", "NumpadMultiply", 106, t("*"), t("*"), 3);
    row("numpad add", "+", "NumpadAdd", 0, "+", "NumpadAdd", 107, t("+"), t("+"), 3);
    row("numpad subtract", "-", "NumpadSubtract", 0, "-", "NumpadSubtract", 109, t("-"), t("-"), 3);
    row("numpad decimal", ".", "NumpadDecimal", 0, ".", "NumpadDecimal", 110, t("."), t("."), 3);
    row("numpad divide", "/", "NumpadDivide", 0, "/", "NumpadDivide", 111, t("/"), t("/"), 3);
    row("numpad enter", "Enter", "NumpadEnter", 0, "Enter", "NumpadEnter", 13, t("\r"), t("\r"), 3);
    row("numlock", "NumLock", "NumLock", 0, "NumLock", "NumLock", 144, QString(), QString(), 0);
    // Editing keys
    row("enter", "Enter", "Enter", 0, "Enter", "Enter", 13, t("\r"), t("\r"), 0);
    row("enter by key only", "Enter", "", 0, "Enter", "Enter", 13, t("\r"), t("\r"), 0);
    row("shift enter", "Enter", "Enter", Shift, "Enter", "Enter", 13, t("\r"), t("\r"), 0);
    row("tab", "Tab", "Tab", 0, "Tab", "Tab", 9, QString(), QString(), 0);
    row("shift tab", "Tab", "Tab", Shift, "Tab", "Tab", 9, QString(), QString(), 0);
    row("backspace", "Backspace", "Backspace", 0, "Backspace", "Backspace", 8, QString(), QString(), 0);
    row("delete", "Delete", "Delete", 0, "Delete", "Delete", 46, QString(), QString(), 0);
    row("insert", "Insert", "Insert", 0, "Insert", "Insert", 45, QString(), QString(), 0);
    row("escape", "Escape", "Escape", 0, "Escape", "Escape", 27, QString(), QString(), 0);
    // Navigation
    row("left", "ArrowLeft", "ArrowLeft", 0, "ArrowLeft", "ArrowLeft", 37, QString(), QString(), 0);
    row("up", "ArrowUp", "ArrowUp", 0, "ArrowUp", "ArrowUp", 38, QString(), QString(), 0);
    row("right", "ArrowRight", "ArrowRight", 0, "ArrowRight", "ArrowRight", 39, QString(), QString(), 0);
    row("down", "ArrowDown", "ArrowDown", 0, "ArrowDown", "ArrowDown", 40, QString(), QString(), 0);
    row("home", "Home", "Home", 0, "Home", "Home", 36, QString(), QString(), 0);
    row("end", "End", "End", 0, "End", "End", 35, QString(), QString(), 0);
    row("page up", "PageUp", "PageUp", 0, "PageUp", "PageUp", 33, QString(), QString(), 0);
    row("page down", "PageDown", "PageDown", 0, "PageDown", "PageDown", 34, QString(), QString(), 0);
    // Modifiers, with their sides
    row("shift left", "Shift", "ShiftLeft", Shift, "Shift", "ShiftLeft", 16, QString(), QString(), 1);
    row("shift right", "Shift", "ShiftRight", Shift, "Shift", "ShiftRight", 16, QString(), QString(), 2);
    row("shift by key only", "Shift", "", Shift, "Shift", "ShiftLeft", 16, QString(), QString(), 1);
    row("control left", "Control", "ControlLeft", Ctrl, "Control", "ControlLeft", 17, QString(), QString(), 1);
    row("control right", "Control", "ControlRight", Ctrl, "Control", "ControlRight", 17, QString(), QString(), 2);
    row("alt left", "Alt", "AltLeft", Alt, "Alt", "AltLeft", 18, QString(), QString(), 1);
    row("alt right", "Alt", "AltRight", Alt, "Alt", "AltRight", 18, QString(), QString(), 2);
    row("altgraph", "AltGraph", "", 0, "AltGraph", "AltRight", 18, QString(), QString(), 2);
    row("meta left", "Meta", "MetaLeft", Meta, "Meta", "MetaLeft", 91, QString(), QString(), 1);
    row("meta right", "Meta", "MetaRight", Meta, "Meta", "MetaRight", 92, QString(), QString(), 2);
    row("caps lock", "CapsLock", "CapsLock", 0, "CapsLock", "CapsLock", 20, QString(), QString(), 0);
    row("scroll lock", "ScrollLock", "ScrollLock", 0, "ScrollLock", "ScrollLock", 145, QString(), QString(), 0);
    row("pause", "Pause", "Pause", 0, "Pause", "Pause", 19, QString(), QString(), 0);
    row("print screen", "PrintScreen", "PrintScreen", 0, "PrintScreen", "PrintScreen", 44, QString(), QString(), 0);
    row("context menu", "ContextMenu", "ContextMenu", 0, "ContextMenu", "ContextMenu", 93, QString(), QString(), 0);
    // Function keys
    row("F1", "F1", "F1", 0, "F1", "F1", 112, QString(), QString(), 0);
    row("F5", "F5", "F5", 0, "F5", "F5", 116, QString(), QString(), 0);
    row("F12", "F12", "F12", 0, "F12", "F12", 123, QString(), QString(), 0);
    row("F13", "F13", "F13", 0, "F13", "F13", 124, QString(), QString(), 0);
    row("F24", "F24", "F24", 0, "F24", "F24", 135, QString(), QString(), 0);
    // Shortcuts type nothing
    row("ctrl+a", "a", "KeyA", Ctrl, "a", "KeyA", 65, QString(), t("a"), 0);
    row("ctrl+shift+z", "Z", "KeyZ", Ctrl | Shift, "Z", "KeyZ", 90, QString(), t("z"), 0);
    row("meta+v", "v", "KeyV", Meta, "v", "KeyV", 86, QString(), t("v"), 0);
    row("ctrl+enter", "Enter", "Enter", Ctrl, "Enter", "Enter", 13, QString(), t("\r"), 0);
    // AltGr (Ctrl+Alt) and macOS Option type what the layout gives
    row("altgr euro", "€", "KeyE", Ctrl | Alt, "€", "KeyE", 69, t("€"), t("e"), 0);
    row("option a", "å", "KeyA", Alt, "å", "KeyA", 65, t("å"), t("a"), 0);
    // Non-US layouts: the code picks the key code, the key is what is typed
    row("azerty a on KeyQ", "a", "KeyQ", 0, "a", "KeyQ", 81, t("a"), t("q"), 0);
    row("german umlaut", "ü", "BracketLeft", 0, "ü", "BracketLeft", 219, t("ü"), t("["), 0);
    row("unknown code keeps key", "é", "Unidentified", 0, "é", "Unidentified", 0, t("é"), t("é"), 0);
    row("character without code", "ß", "", 0, "ß", "", 0, t("ß"), t("ß"), 0);
    row("emoji", "😀", "", 0, "😀", "", 0, t("😀"), t("😀"), 0);
    row("unknown named key", "BrowserBack", "BrowserBack", 0, "BrowserBack", "BrowserBack", 0, QString(), QString(), 0);
}

void TestKeyTable::resolve()
{
    QFETCH(QString, key);
    QFETCH(QString, code);
    QFETCH(int, modifiers);
    QFETCH(QString, expectedKey);
    QFETCH(QString, expectedCode);
    QFETCH(int, keyCode);
    QFETCH(QString, text);
    QFETCH(QString, unmodifiedText);
    QFETCH(int, location);

    const CdpKeyFields f = KeyTable::resolve(key, code, modifiers);
    QCOMPARE(f.key, expectedKey);
    QCOMPARE(f.code, expectedCode);
    QCOMPARE(f.windowsVirtualKeyCode, keyCode);
    QCOMPARE(f.nativeVirtualKeyCode, keyCode);
    QCOMPARE(f.text, text);
    QCOMPARE(f.unmodifiedText, unmodifiedText);
    QCOMPARE(f.location, location);
    QCOMPARE(f.isKeypad, location == KeyTable::LocationNumpad);
    QCOMPARE(f.known, keyCode != 0);
}

void TestKeyTable::tableIsConsistent()
{
    QSet<QString> codes;
    for (const KeyDefinition& k : KeyTable::all()) {
        QVERIFY2(!k.code.isEmpty(), "every key has a code");
        QVERIFY2(!codes.contains(k.code), qPrintable(k.code));
        codes.insert(k.code);
        QVERIFY2(k.keyCode > 0 && k.keyCode < 256, qPrintable(k.code));
        QVERIFY2(!k.key.isEmpty() && k.key.size() <= 20, qPrintable(k.code));
        QVERIFY2(k.location >= 0 && k.location <= 3, qPrintable(k.code));
        if (!k.text.isEmpty() && k.text != QLatin1String("\r")) {
            QCOMPARE(k.text, k.key);
            QCOMPARE(k.shiftText, k.shiftKey);
        }
        if (k.code.startsWith(QLatin1String("Numpad"))) {
            QCOMPARE(k.location, KeyTable::LocationNumpad);
        }
    }
    // The whole US layout: 26 letters, 10 digits, 13 punctuation keys (with Space),
    // 24 function keys, 6 editing keys, 8 navigation keys, 8 modifiers and 2 locks,
    // 4 system keys, and 19 numpad keys (10 digits, 7 operators, Enter, NumLock).
    QCOMPARE(KeyTable::all().size(), 26 + 10 + 13 + 24 + 6 + 8 + 10 + 4 + 19);
}

void TestKeyTable::everyCodeResolvesToItself()
{
    for (const KeyDefinition& k : KeyTable::all()) {
        const CdpKeyFields unshifted = KeyTable::resolve(k.key, k.code, 0);
        QCOMPARE(unshifted.code, k.code);
        QCOMPARE(unshifted.windowsVirtualKeyCode, k.keyCode);
        QCOMPARE(unshifted.location, k.location);
        QCOMPARE(unshifted.text, k.text);
        const CdpKeyFields shifted = KeyTable::resolve(k.shiftKey, k.code, Shift);
        QCOMPARE(shifted.text, k.shiftText);
        QCOMPARE(shifted.unmodifiedText, k.text);
        QVERIFY(KeyTable::byCode(k.code) == &k);
        // A key name finds a key with that name, preferring the standard location.
        const KeyDefinition* byKey = KeyTable::byKey(k.key);
        QVERIFY(byKey);
        QCOMPARE(byKey->key == k.key || byKey->shiftKey == k.key, true);
        if (k.location == KeyTable::LocationNumpad && byKey != &k) {
            QVERIFY(byKey->location != KeyTable::LocationNumpad);
        }
    }
}

void TestKeyTable::functionKeys()
{
    for (int n = 1; n <= 24; ++n) {
        const QString name = QStringLiteral("F%1").arg(n);
        const KeyDefinition* k = KeyTable::byCode(name);
        QVERIFY2(k, qPrintable(name));
        QCOMPARE(k->keyCode, 111 + n);
        QVERIFY(k->text.isEmpty());
        QCOMPARE(KeyTable::byKey(name), k);
    }
    QVERIFY(!KeyTable::byCode(QStringLiteral("F25")));
}

void TestKeyTable::params_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("modifiers");
    QTest::addColumn<bool>("hasText");

    QTest::newRow("keyDown a carries text") << QStringLiteral("keyDown") << QStringLiteral("a") << QStringLiteral("KeyA") << 0 << true;
    QTest::newRow("rawKeyDown a has no text") << QStringLiteral("rawKeyDown") << QStringLiteral("a") << QStringLiteral("KeyA") << 0 << false;
    QTest::newRow("char a carries text") << QStringLiteral("char") << QStringLiteral("a") << QStringLiteral("KeyA") << 0 << true;
    QTest::newRow("keyUp a has no text") << QStringLiteral("keyUp") << QStringLiteral("a") << QStringLiteral("KeyA") << 0 << false;
    QTest::newRow("keyDown Enter carries CR") << QStringLiteral("keyDown") << QStringLiteral("Enter") << QStringLiteral("Enter") << 0 << true;
    QTest::newRow("rawKeyDown Tab") << QStringLiteral("rawKeyDown") << QStringLiteral("Tab") << QStringLiteral("Tab") << 0 << false;
    QTest::newRow("keyDown ctrl+a has no text") << QStringLiteral("keyDown") << QStringLiteral("a") << QStringLiteral("KeyA") << Ctrl << false;
}

void TestKeyTable::params()
{
    QFETCH(QString, type);
    QFETCH(QString, key);
    QFETCH(QString, code);
    QFETCH(int, modifiers);
    QFETCH(bool, hasText);
    const CdpKeyFields f = KeyTable::resolve(key, code, modifiers);
    const QJsonObject p = KeyTable::params(type, f, modifiers);
    QCOMPARE(p.value(QLatin1String("type")).toString(), type);
    QCOMPARE(p.value(QLatin1String("key")).toString(), key);
    QCOMPARE(p.value(QLatin1String("code")).toString(), code);
    QCOMPARE(p.value(QLatin1String("modifiers")).toInt(), modifiers);
    QCOMPARE(p.value(QLatin1String("windowsVirtualKeyCode")).toInt(), f.windowsVirtualKeyCode);
    QCOMPARE(p.value(QLatin1String("nativeVirtualKeyCode")).toInt(), f.windowsVirtualKeyCode);
    QCOMPARE(p.value(QLatin1String("location")).toInt(), f.location);
    QCOMPARE(p.contains(QLatin1String("text")), hasText);
    QCOMPARE(p.contains(QLatin1String("unmodifiedText")), hasText);
    if (hasText) {
        QCOMPARE(p.value(QLatin1String("text")).toString(), f.text);
    }
}

void TestKeyTable::shortcuts_data()
{
    QTest::addColumn<int>("modifiers");
    QTest::addColumn<bool>("shortcut");
    QTest::newRow("none") << 0 << false;
    QTest::newRow("shift") << Shift << false;
    QTest::newRow("alt") << Alt << false;
    QTest::newRow("ctrl") << Ctrl << true;
    QTest::newRow("meta") << Meta << true;
    QTest::newRow("ctrl+shift") << (Ctrl | Shift) << true;
    QTest::newRow("ctrl+alt is altgr") << (Ctrl | Alt) << false;
    QTest::newRow("ctrl+alt+shift is altgr") << (Ctrl | Alt | Shift) << false;
    QTest::newRow("ctrl+alt+meta") << (Ctrl | Alt | Meta) << true;
    QTest::newRow("meta+alt") << (Meta | Alt) << true;
}

void TestKeyTable::shortcuts()
{
    QFETCH(int, modifiers);
    QFETCH(bool, shortcut);
    QCOMPARE(KeyTable::isShortcut(modifiers), shortcut);
}

void TestKeyTable::editingCommands_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("modifiers");
    QTest::addColumn<QString>("command");
    QTest::newRow("meta+a") << QStringLiteral("a") << Meta << QStringLiteral("selectAll");
    QTest::newRow("meta+c") << QStringLiteral("c") << Meta << QStringLiteral("copy");
    QTest::newRow("meta+x") << QStringLiteral("x") << Meta << QStringLiteral("cut");
    QTest::newRow("meta+v") << QStringLiteral("v") << Meta << QStringLiteral("paste");
    QTest::newRow("meta+z") << QStringLiteral("z") << Meta << QStringLiteral("undo");
    QTest::newRow("meta+shift+z") << QStringLiteral("Z") << (Meta | Shift) << QStringLiteral("redo");
    QTest::newRow("ctrl+a is Blink's own") << QStringLiteral("a") << Ctrl << QString();
    QTest::newRow("meta+ctrl+a") << QStringLiteral("a") << (Meta | Ctrl) << QString();
    QTest::newRow("meta+b") << QStringLiteral("b") << Meta << QString();
    QTest::newRow("plain a") << QStringLiteral("a") << 0 << QString();
}

void TestKeyTable::editingCommands()
{
    QFETCH(QString, key);
    QFETCH(int, modifiers);
    QFETCH(QString, command);
    QCOMPARE(KeyTable::editingCommand(KeyTable::resolve(key, QString(), modifiers), modifiers), command);
}

void TestKeyTable::printableCharacter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("printable");
    QTest::newRow("letter") << QStringLiteral("a") << true;
    QTest::newRow("space") << QStringLiteral(" ") << true;
    QTest::newRow("surrogate pair") << QString::fromUtf8("😀") << true;
    QTest::newRow("two letters") << QStringLiteral("ab") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("CR") << QStringLiteral("\r") << false;
    QTest::newRow("tab") << QStringLiteral("\t") << false;
    QTest::newRow("DEL") << QString(QChar(0x7f)) << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xd83d)) << false;
    QTest::newRow("named key") << QStringLiteral("Enter") << false;
}

void TestKeyTable::printableCharacter()
{
    QFETCH(QString, text);
    QFETCH(bool, printable);
    QCOMPARE(KeyTable::isPrintableCharacter(text), printable);
}

QTEST_GUILESS_MAIN(TestKeyTable)
#include "tst_KeyTable.moc"
