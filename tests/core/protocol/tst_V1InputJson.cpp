// Version-1 input JSON (core/protocol/V1InputJson): each event in exactly the
// fields AuthLoop's own viewer writes (scripts/test-relay.mjs in AuthLoop's
// repository: click {x, y, button:"left"}, dblclick {x, y}, keys with code and the
// four booleans but no "modifiers", scroll), coordinates in whole pixels, and
// InputEventCodec::parse() reading each one back.

#include "core/protocol/InputEvent.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/V1InputJson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using handoff::protocol::InputEvent;
using handoff::protocol::InputEventCodec;
using handoff::protocol::MouseButton;
using handoff::protocol::V1InputJson;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(handoff::protocol::InputEvent)

class TestV1InputJson final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exactFields_data();
    void exactFields();
    void wholePixels_data();
    void wholePixels();
};

void TestV1InputJson::exactFields_data()
{
    QTest::addColumn<InputEvent>("event");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("click") << InputEvent::click(100, 200) << R"({"type":"click","x":100,"y":200,"button":"left"})"_ba;
    QTest::newRow("dblclick") << InputEvent::doubleClick(100, 200) << R"({"type":"dblclick","x":100,"y":200})"_ba;
    QTest::newRow("keypress")
        << InputEvent::keyPress(u"A"_s, u"KeyA"_s, InputEvent::ModifierShift)
        << R"({"type":"keypress","key":"A","code":"KeyA","altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":true})"_ba;
    QTest::newRow("keypress of Enter")
        << InputEvent::keyPress(u"\r"_s, u"Enter"_s, 0)
        << R"({"type":"keypress","key":"\r","code":"Enter","altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keypress without code")
        << InputEvent::keyPress(u"a"_s)
        << R"({"type":"keypress","key":"a","altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keydown")
        << InputEvent::keyDown(u"Enter"_s, u"Enter"_s)
        << R"({"type":"keydown","key":"Enter","code":"Enter","altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keydown shortcut")
        << InputEvent::keyDown(u"a"_s, u"KeyA"_s, InputEvent::ModifierCtrl)
        << R"({"type":"keydown","key":"a","code":"KeyA","altKey":false,"ctrlKey":true,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keyup")
        << InputEvent::keyUp(u"a"_s, u"KeyA"_s, InputEvent::ModifierAlt | InputEvent::ModifierMeta)
        << R"({"type":"keyup","key":"a","code":"KeyA","altKey":true,"ctrlKey":false,"metaKey":true,"shiftKey":false})"_ba;
    QTest::newRow("scroll") << InputEvent::scroll(10, 20, -3.5, 120)
                            << R"({"type":"scroll","x":10,"y":20,"deltaX":-3.5,"deltaY":120})"_ba;
    QTest::newRow("paste as always") << InputEvent::paste(u"123456"_s) << R"({"type":"paste","text":"123456"})"_ba;
    QTest::newRow("resolved") << InputEvent::resolved() << R"({"type":"resolved"})"_ba;
    QTest::newRow("cancelled") << InputEvent::cancelled() << R"({"type":"cancelled"})"_ba;
    QTest::newRow("reload") << InputEvent::reload() << R"({"type":"reload"})"_ba;
}

void TestV1InputJson::exactFields()
{
    QFETCH(InputEvent, event);
    QFETCH(QByteArray, expected);

    QVERIFY(InputEventCodec::validate(event).ok());
    const QByteArray json = V1InputJson::serialize(event);
    QCOMPARE(QJsonDocument::fromJson(json).object(), QJsonDocument::fromJson(expected).object());
    QVERIFY(!json.contains('\n'));
    // handoff-agent reads it, and gets the same event back (a click's count and a
    // dblclick's button are the defaults it assumes).
    const auto parsed = InputEventCodec::parse(json);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed->type(), event.type());
    QCOMPARE(parsed->key(), event.key());
    QCOMPARE(parsed->code(), event.code());
    QCOMPARE(parsed->modifiers(), event.modifiers());
    QCOMPARE(parsed->x(), event.x());
    QCOMPARE(parsed->y(), event.y());
    QCOMPARE(parsed->text(), event.text());
}

void TestV1InputJson::wholePixels_data()
{
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("y");
    QTest::addColumn<int>("expectedX");
    QTest::addColumn<int>("expectedY");
    QTest::newRow("down") << 10.2 << 0.49 << 10 << 0;
    QTest::newRow("halves up, as Math.round") << 10.5 << 99.5 << 11 << 100;
    QTest::newRow("up") << 10.7 << 9999.6 << 11 << 10000;
    QTest::newRow("edges") << 0.0 << 10'000.0 << 0 << 10'000;
}

void TestV1InputJson::wholePixels()
{
    QFETCH(double, x);
    QFETCH(double, y);
    QFETCH(int, expectedX);
    QFETCH(int, expectedY);
    for (const InputEvent& event :
         { InputEvent::click(x, y), InputEvent::doubleClick(x, y), InputEvent::scroll(x, y, 0, 1) }) {
        const QJsonObject object = QJsonDocument::fromJson(V1InputJson::serialize(event)).object();
        QCOMPARE(object.value(u"x"_s).toDouble(), double(expectedX));
        QCOMPARE(object.value(u"y"_s).toDouble(), double(expectedY));
        QVERIFY(InputEventCodec::parse(V1InputJson::serialize(event)).ok());
    }
}

QTEST_GUILESS_MAIN(TestV1InputJson)
#include "tst_V1InputJson.moc"
