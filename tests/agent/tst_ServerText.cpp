// ServerText: text a server sent, made safe to show or log. code() is what the
// agent logs of a relay's error code (issue 13): a hostile relay cannot flood
// the log or put control characters, newlines or escape sequences in it;
// table-driven. printable() is covered with PlainText (tests/core/common).

#include "agent/approval/ServerText.h"

#include <QTest>

using namespace handoff::agent;

class TestServerText final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void code_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("logged");
        QTest::newRow("a plain code") << QStringLiteral("rate_limited") << QStringLiteral("rate_limited");
        QTest::newRow("dots and dashes") << QStringLiteral("viewer-key.required") << QStringLiteral("viewer-key.required");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("newline: a forged log line") << QStringLiteral("x\n2025-01-01 agent: resolved")
                                                   << QStringLiteral("x?2025-01-01?agent??resolved");
        QTest::newRow("terminal escape") << QStringLiteral("\x1b[2Jgone") << QStringLiteral("??2Jgone");
        QTest::newRow("bidi override") << QStringLiteral("ok\u202egnp.exe") << QStringLiteral("ok?gnp.exe");
        QTest::newRow("not ASCII") << QStringLiteral("erreur_\u00e9") << QStringLiteral("erreur_?");
        QTest::newRow("exactly the bound") << QString(ServerText::MaxCodeLength, QLatin1Char('a'))
                                           << QString(ServerText::MaxCodeLength, QLatin1Char('a'));
        QTest::newRow("a megabyte") << QString(1024 * 1024, QLatin1Char('b'))
                                    << QString(ServerText::MaxCodeLength, QLatin1Char('b')) + QStringLiteral("...");
    }

    void code()
    {
        QFETCH(QString, text);
        QFETCH(QString, logged);
        QCOMPARE(ServerText::code(text), logged);
    }
};

QTEST_GUILESS_MAIN(TestServerText)
#include "tst_ServerText.moc"
