// PlainText::isDeceptive, the one character rule behind the server's
// binding_message and session text checks, the agent's ServerText and what the app
// shows of a session: what could hide, reorder or fake text is refused, every
// ordinary character (accents, symbols, emoji, combining marks, the spaces)
// passes. containsDeceptive() and sanitized() apply it to whole strings.

#include "core/common/PlainText.h"

#include <QTest>

using handoff::PlainText;

class tst_PlainText final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void isDeceptive_data()
    {
        QTest::addColumn<uint>("codePoint");
        QTest::addColumn<bool>("deceptive");
        const auto row = [](const char* name, uint codePoint, bool deceptive) {
            QTest::newRow(name) << codePoint << deceptive;
        };
        row("NUL", 0x0000, true);
        row("tab", 0x0009, true);
        row("line feed", 0x000a, true);
        row("escape", 0x001b, true);
        row("delete", 0x007f, true);
        row("next line (C1)", 0x0085, true);
        row("right-to-left override", 0x202e, true);
        row("left-to-right isolate", 0x2066, true);
        row("zero-width space", 0x200b, true);
        row("zero-width joiner", 0x200d, true);
        row("byte order mark", 0xfeff, true);
        row("soft hyphen", 0x00ad, true);
        row("line separator", 0x2028, true);
        row("paragraph separator", 0x2029, true);
        row("lone surrogate", 0xd800, true);
        row("private use", 0xe000, true);
        row("private use, plane 15", 0xf0000, true);
        row("unassigned", 0x0378, true);
        row("noncharacter", 0x10ffff, true);

        row("letter", 'a', false);
        row("digit", '7', false);
        row("dollar", '$', false);
        row("space", ' ', false);
        row("no-break space", 0x00a0, false);
        row("ideographic space", 0x3000, false);
        row("e acute", 0x00e9, false);
        row("combining acute", 0x0301, false);
        row("euro sign", 0x20ac, false);
        row("CJK", 0x4e2d, false);
        row("emoji", 0x1f600, false);
    }

    void isDeceptive()
    {
        QFETCH(uint, codePoint);
        QFETCH(bool, deceptive);
        QCOMPARE(PlainText::isDeceptive(char32_t(codePoint)), deceptive);
    }

    void wholeStrings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("deceptive");
        QTest::addColumn<QString>("sanitized");
        const QString r = QString(QChar::ReplacementCharacter);
        QTest::newRow("plain") << QStringLiteral("Banque d’épargne 🏦") << false << QStringLiteral("Banque d’épargne 🏦");
        QTest::newRow("markup is plain text") << QStringLiteral("<b>PIN</b>") << false << QStringLiteral("<b>PIN</b>");
        QTest::newRow("right-to-left override") << QStringLiteral("Bank\u202Eknab") << true << QStringLiteral("Bank") + r + QStringLiteral("knab");
        QTest::newRow("zero-width joiner") << QStringLiteral("a\u200Db") << true << QStringLiteral("a") + r + QStringLiteral("b");
        QTest::newRow("newline") << QStringLiteral("a\nb") << true << QStringLiteral("a") + r + QStringLiteral("b");
        QTest::newRow("two in a row") << QStringLiteral("\u2066\u2069") << true << r + r;
        QTest::newRow("lone high surrogate") << QString(QChar(0xD800)) + QStringLiteral("x") << true << r + QStringLiteral("x");
        QTest::newRow("astral emoji kept whole") << QStringLiteral("\U0001F600") << false << QStringLiteral("\U0001F600");
        QTest::newRow("empty") << QString() << false << QString();
    }

    void wholeStrings()
    {
        QFETCH(QString, text);
        QFETCH(bool, deceptive);
        QFETCH(QString, sanitized);
        QCOMPARE(PlainText::containsDeceptive(text), deceptive);
        QCOMPARE(PlainText::sanitized(text), sanitized);
        QVERIFY(!PlainText::containsDeceptive(PlainText::sanitized(text)));
    }
};

QTEST_GUILESS_MAIN(tst_PlainText)
#include "tst_PlainText.moc"
