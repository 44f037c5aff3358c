// The per-second limits of PROTOCOL section 5, on a clock the test controls.
//
// Each row is a script of steps "<type>@<ms>[x<count>]=<verdicts>", where the verdict
// is A (allowed), K (too many keystrokes) or C (too many clicks) and applies to
// every repetition of the step.

#include "core/protocol/InputEvent.h"
#include "core/protocol/InputRateLimiter.h"

#include <QTest>

using handoff::protocol::InputEvent;
using handoff::protocol::InputEventType;
using handoff::protocol::InputRateLimiter;
using namespace Qt::StringLiterals;

namespace {

char letterOf(InputRateLimiter::Verdict verdict)
{
    switch (verdict) {
    case InputRateLimiter::Verdict::Allowed:
        return 'A';
    case InputRateLimiter::Verdict::TooManyKeystrokes:
        return 'K';
    case InputRateLimiter::Verdict::TooManyClicks:
        return 'C';
    }
    return '?';
}

} // namespace

class TestInputRateLimiter final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void script_data();
    void script();
    void kinds_data();
    void kinds();
    void eventOverload();
    void reset();
    void humanTyping();
};

void TestInputRateLimiter::script_data()
{
    QTest::addColumn<QString>("script");

    // Keystrokes.
    QTest::newRow("30 keydowns in one ms pass, the 31st does not") << u"keydown@0x30=A keydown@0=K"_s;
    QTest::newRow("window is (now-1000, now]") << u"keydown@0x30=A keydown@999=K keydown@1000x30=A keydown@1000=K"_s;
    QTest::newRow("keypress alone counts") << u"keypress@0x30=A keypress@10=K"_s;
    QTest::newRow("keyup never counts") << u"keydown@0x30=A keyup@0x100=A keydown@0=K"_s;
    QTest::newRow("keydown + keypress is one keystroke")
        << u"keydown@0=A keypress@0=A keydown@1=A keypress@1=A keydown@2x28=A keydown@3=K"_s;
    QTest::newRow("a keydown pairs with one keypress only") << u"keydown@0x30=A keypress@0=A keypress@0=K"_s;
    QTest::newRow("keyup and mouse moves keep the pair")
        << u"keydown@0x30=A keyup@0=A mousemove@0=A scroll@0=A keypress@0=A keypress@0=K"_s;
    QTest::newRow("a click between breaks the pair") << u"keydown@0x29=A click@0=A keypress@0=A keypress@0=K"_s;
    QTest::newRow("keydown + ime is one keystroke") << u"keydown@0x30=A ime@0=A ime@0=K"_s;
    QTest::newRow("a rejected keydown pairs with nothing") << u"keydown@0x30=A keydown@0=K keypress@0=K"_s;
    QTest::newRow("paste counts once") << u"paste@0x30=A paste@500=K keypress@999=K paste@1000=A"_s;
    QTest::newRow("paste and keys share the limit") << u"paste@0x10=A keydown@0x20=A keypress@0=A keypress@1=K"_s;
    QTest::newRow("ime alone counts") << u"ime@0x30=A ime@0=K"_s;

    // Clicks.
    QTest::newRow("10 clicks pass, the 11th does not") << u"click@0x10=A click@0=C"_s;
    QTest::newRow("dblclick and mousedown are clicks") << u"click@0x4=A dblclick@0x3=A mousedown@0x3=A mousedown@0=C"_s;
    QTest::newRow("mouseup does not count") << u"mousedown@0x10=A mouseup@0x50=A click@0=C"_s;
    QTest::newRow("navigation counts as clicks") << u"back@0x4=A forward@0x3=A reload@0x3=A reload@0=C click@0=C"_s;
    QTest::newRow("sliding, not fixed, window")
        << u"click@0=A click@100=A click@200=A click@300=A click@400=A click@500=A click@600=A click@700=A "
           u"click@800=A click@900=A click@999=C click@1000=A click@1050=C click@1100=A"_s;
    QTest::newRow("clicks recover a second later") << u"click@0x10=A click@500=C click@1000x10=A click@1999=C"_s;
    QTest::newRow("rejected clicks do not count") << u"click@0x10=A click@500x100=C click@1000x10=A"_s;

    // Independent and unlimited.
    QTest::newRow("keystrokes and clicks are separate") << u"keydown@0x30=A click@0x10=A keydown@0=K click@0=C"_s;
    QTest::newRow("mouse moves and scrolls are unlimited") << u"mousemove@0x1000=A scroll@0x1000=A"_s;
    QTest::newRow("outcomes are unlimited") << u"click@0x10=A keydown@0x30=A resolved@0=A cancelled@0=A"_s;

    // The clock.
    QTest::newRow("a clock going backwards does not reopen the window")
        << u"click@5000x10=A click@0=C click@4001=C click@6000=A"_s;
    QTest::newRow("large timestamps")
        << u"keydown@9000000000000x30=A keydown@9000000000999=K keydown@9000000001000=A"_s;
    QTest::newRow("negative timestamps") << u"click@-5000x10=A click@-4001=C click@-4000=A"_s;
}

void TestInputRateLimiter::script()
{
    QFETCH(QString, script);

    InputRateLimiter limiter;
    int stepNumber = 0;
    for (const QString& step : script.split(u' ', Qt::SkipEmptyParts)) {
        ++stepNumber;
        const qsizetype at = step.indexOf(u'@');
        const qsizetype equals = step.indexOf(u'=');
        QVERIFY2(at > 0 && equals > at, qPrintable(step));
        const auto type = InputEvent::typeFromName(QStringView(step).left(at));
        QVERIFY2(type.has_value(), qPrintable(step));
        QStringView timeAndCount = QStringView(step).mid(at + 1, equals - at - 1);
        int count = 1;
        const qsizetype times = timeAndCount.indexOf(u'x');
        if (times >= 0) {
            count = timeAndCount.mid(times + 1).toInt();
            timeAndCount = timeAndCount.left(times);
        }
        bool ok = false;
        const qint64 nowMs = timeAndCount.toLongLong(&ok);
        QVERIFY2(ok && count > 0, qPrintable(step));
        const char expected = step.at(equals + 1).toLatin1();

        for (int i = 0; i < count; ++i) {
            const char got = letterOf(limiter.check(*type, nowMs));
            if (got != expected) {
                QFAIL(qPrintable(u"step %1 (%2), repetition %3: got %4, expected %5"_s.arg(stepNumber)
                                     .arg(step)
                                     .arg(i + 1)
                                     .arg(QChar::fromLatin1(got))
                                     .arg(QChar::fromLatin1(expected))));
            }
        }
    }
}

void TestInputRateLimiter::kinds_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("kind");

    const int keystroke = int(InputRateLimiter::Kind::Keystroke);
    const int click = int(InputRateLimiter::Kind::Click);
    const int unlimited = int(InputRateLimiter::Kind::Unlimited);
    QTest::newRow("keydown") << u"keydown"_s << keystroke;
    QTest::newRow("keypress") << u"keypress"_s << keystroke;
    QTest::newRow("paste") << u"paste"_s << keystroke;
    QTest::newRow("ime") << u"ime"_s << keystroke;
    QTest::newRow("keyup") << u"keyup"_s << unlimited;
    QTest::newRow("click") << u"click"_s << click;
    QTest::newRow("dblclick") << u"dblclick"_s << click;
    QTest::newRow("mousedown") << u"mousedown"_s << click;
    QTest::newRow("back") << u"back"_s << click;
    QTest::newRow("forward") << u"forward"_s << click;
    QTest::newRow("reload") << u"reload"_s << click;
    QTest::newRow("mouseup") << u"mouseup"_s << unlimited;
    QTest::newRow("mousemove") << u"mousemove"_s << unlimited;
    QTest::newRow("scroll") << u"scroll"_s << unlimited;
    QTest::newRow("resolved") << u"resolved"_s << unlimited;
    QTest::newRow("cancelled") << u"cancelled"_s << unlimited;
}

void TestInputRateLimiter::kinds()
{
    QFETCH(QString, type);
    QFETCH(int, kind);
    const auto parsed = InputEvent::typeFromName(type);
    QVERIFY(parsed.has_value());
    QCOMPARE(int(InputRateLimiter::kindOf(*parsed)), kind);
}

void TestInputRateLimiter::eventOverload()
{
    InputRateLimiter limiter;
    for (int i = 0; i < InputRateLimiter::MaxClicksPerWindow; ++i)
        QCOMPARE(limiter.check(InputEvent::click(1, 1), 0), InputRateLimiter::Verdict::Allowed);
    QCOMPARE(limiter.check(InputEvent::doubleClick(1, 1), 0), InputRateLimiter::Verdict::TooManyClicks);
    QCOMPARE(limiter.check(InputEvent::paste(u"x"_s), 0), InputRateLimiter::Verdict::Allowed);
}

void TestInputRateLimiter::reset()
{
    InputRateLimiter limiter;
    for (int i = 0; i < InputRateLimiter::MaxKeystrokesPerWindow; ++i)
        QCOMPARE(limiter.check(InputEventType::KeyPress, 100), InputRateLimiter::Verdict::Allowed);
    QCOMPARE(limiter.check(InputEventType::KeyPress, 100), InputRateLimiter::Verdict::TooManyKeystrokes);
    limiter.reset();
    // After a reset even an earlier clock (a new session's timer) starts afresh.
    QCOMPARE(limiter.check(InputEventType::KeyPress, 0), InputRateLimiter::Verdict::Allowed);
}

void TestInputRateLimiter::humanTyping()
{
    // A fast typist: 15 characters a second for ten seconds, each as keydown, keypress,
    // keyup, 66 ms apart; plus Shift held for every third. Never limited.
    InputRateLimiter limiter;
    qint64 now = 0;
    for (int i = 0; i < 150; ++i, now += 66) {
        if (i % 3 == 0)
            QCOMPARE(limiter.check(InputEventType::KeyDown, now), InputRateLimiter::Verdict::Allowed);
        QCOMPARE(limiter.check(InputEventType::KeyDown, now + 1), InputRateLimiter::Verdict::Allowed);
        QCOMPARE(limiter.check(InputEventType::KeyPress, now + 1), InputRateLimiter::Verdict::Allowed);
        QCOMPARE(limiter.check(InputEventType::KeyUp, now + 40), InputRateLimiter::Verdict::Allowed);
        if (i % 3 == 0)
            QCOMPARE(limiter.check(InputEventType::KeyUp, now + 50), InputRateLimiter::Verdict::Allowed);
    }
}

QTEST_GUILESS_MAIN(TestInputRateLimiter)
#include "tst_InputRateLimiter.moc"
