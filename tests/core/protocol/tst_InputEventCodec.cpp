// Input events of PROTOCOL section 5: every type parses, every limit rejects with
// its own code and a message free of the event's content, and what the app builds
// serialises to the exact field names and parses back unchanged.

#include "core/protocol/InputEvent.h"
#include "core/protocol/InputEventCodec.h"
#include "tests/support/FuzzSeed.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <limits>

using handoff::protocol::InputEvent;
using handoff::protocol::InputEventCategory;
using handoff::protocol::InputEventCodec;
using handoff::protocol::InputEventType;
using handoff::protocol::MouseButton;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(handoff::protocol::InputEvent)

namespace {

QJsonObject objectOf(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray utf8(const char16_t* text)
{
    return QString::fromUtf16(text).toUtf8();
}

// Every string value of a JSON object that is content (not a protocol name).
QStringList contentStrings(const QByteArray& json)
{
    static const QSet<QString> vocabulary { u"click"_s,     u"dblclick"_s, u"mousedown"_s, u"mouseup"_s, u"mousemove"_s,
                                            u"keydown"_s,   u"keyup"_s,    u"keypress"_s,  u"scroll"_s,  u"paste"_s,
                                            u"ime"_s,       u"back"_s,     u"forward"_s,   u"reload"_s,  u"resolved"_s,
                                            u"cancelled"_s, u"none"_s,     u"left"_s,      u"middle"_s,  u"right"_s };
    QStringList strings;
    const QJsonObject object = objectOf(json);
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString value = it.value().toString();
        if (value.size() >= 2 && !vocabulary.contains(value))
            strings << value;
    }
    return strings;
}

} // namespace

class TestInputEventCodec final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseGood_data();
    void parseGood();
    void parseBad_data();
    void parseBad();
    void validateBuilt_data();
    void validateBuilt();
    void roundTrip_data();
    void roundTrip();
    void exactFieldNames_data();
    void exactFieldNames();
    void parsedValues();
    void sizeBounds();
    void messagesHoldNoContent();
    void describeIsContentFree();
    void typeNames();
};

// ---------------------------------------------------------------- good input

void TestInputEventCodec::parseGood_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("canonical"); // what serialize() gives back, compared as JSON objects

    QTest::newRow("click, minimal") << R"({"type":"click","x":10,"y":20})"_ba
                                    << R"({"type":"click","x":10,"y":20})"_ba;
    QTest::newRow("click, all fields") << R"({"type":"click","x":10.5,"y":20.25,"button":"right","clickCount":2})"_ba
                                       << R"({"type":"click","x":10.5,"y":20.25,"button":"right","clickCount":2})"_ba;
    QTest::newRow("click, bounds 0 and 10000")
        << R"({"type":"click","x":0,"y":10000,"button":"left","clickCount":3})"_ba
        << R"({"type":"click","x":0,"y":10000,"button":"left","clickCount":3})"_ba;
    QTest::newRow("click, clickCount written 1.0") << R"({"type":"click","x":1,"y":1,"clickCount":1.0})"_ba
                                                   << R"({"type":"click","x":1,"y":1,"clickCount":1})"_ba;
    QTest::newRow("dblclick") << R"({"type":"dblclick","x":300,"y":400,"button":"left","clickCount":2})"_ba
                              << R"({"type":"dblclick","x":300,"y":400,"button":"left","clickCount":2})"_ba;
    QTest::newRow("mousedown, buttons") << R"({"type":"mousedown","x":5,"y":6,"button":"middle","buttons":4})"_ba
                                        << R"({"type":"mousedown","x":5,"y":6,"button":"middle","buttons":4})"_ba;
    QTest::newRow("mouseup, back button") << R"({"type":"mouseup","x":5,"y":6,"button":"back","buttons":0})"_ba
                                          << R"({"type":"mouseup","x":5,"y":6,"button":"back","buttons":0})"_ba;
    QTest::newRow("mousemove, dragging all buttons")
        << R"({"type":"mousemove","x":9999.99,"y":0.01,"button":"forward","buttons":31})"_ba
        << R"({"type":"mousemove","x":9999.99,"y":0.01,"button":"forward","buttons":31})"_ba;
    QTest::newRow("mousemove, hover") << R"({"type":"mousemove","x":1,"y":2})"_ba
                                      << R"({"type":"mousemove","x":1,"y":2})"_ba;
    QTest::newRow("keydown a")
        << R"({"type":"keydown","key":"a","code":"KeyA","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba
        << R"({"type":"keydown","key":"a","code":"KeyA","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keydown Shift+Enter")
        << R"({"type":"keydown","key":"Enter","code":"Enter","modifiers":8,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":true})"_ba
        << R"({"type":"keydown","key":"Enter","code":"Enter","modifiers":8,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":true})"_ba;
    QTest::newRow("keydown all modifiers")
        << R"({"type":"keydown","key":"Tab","code":"Tab","modifiers":15,"altKey":true,"ctrlKey":true,"metaKey":true,"shiftKey":true})"_ba
        << R"({"type":"keydown","key":"Tab","code":"Tab","modifiers":15,"altKey":true,"ctrlKey":true,"metaKey":true,"shiftKey":true})"_ba;
    QTest::newRow("keydown space key")
        << R"({"type":"keydown","key":" ","code":"Space","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba
        << R"({"type":"keydown","key":" ","code":"Space","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keydown euro with AltGr")
        << utf8(
               uR"({"type":"keydown","key":"€","code":"KeyE","modifiers":3,"altKey":true,"ctrlKey":true,"metaKey":false,"shiftKey":false})")
        << utf8(
               uR"({"type":"keydown","key":"€","code":"KeyE","modifiers":3,"altKey":true,"ctrlKey":true,"metaKey":false,"shiftKey":false})");
    QTest::newRow("keydown 20-char key name")
        << R"({"type":"keydown","key":"AudioVolumeMuteXXXXX","code":"AudioVolumeMute","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba
        << R"({"type":"keydown","key":"AudioVolumeMuteXXXXX","code":"AudioVolumeMute","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keyup ArrowLeft with Ctrl")
        << R"({"type":"keyup","key":"ArrowLeft","code":"ArrowLeft","modifiers":2,"altKey":false,"ctrlKey":true,"metaKey":false,"shiftKey":false})"_ba
        << R"({"type":"keyup","key":"ArrowLeft","code":"ArrowLeft","modifiers":2,"altKey":false,"ctrlKey":true,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keypress ascii") << R"({"type":"keypress","key":"a"})"_ba
                                    << R"({"type":"keypress","key":"a"})"_ba;
    QTest::newRow("keypress space") << R"({"type":"keypress","key":" "})"_ba
                                    << R"({"type":"keypress","key":" "})"_ba;
    QTest::newRow("keypress precomposed e-acute")
        << utf8(uR"({"type":"keypress","key":"é"})") << utf8(uR"({"type":"keypress","key":"é"})");
    QTest::newRow("keypress e + combining acute")
        << R"({"type":"keypress","key":"e\u0301"})"_ba << utf8(u"{\"type\":\"keypress\",\"key\":\"e\u0301\"}");
    QTest::newRow("keypress astral emoji with skin tone")
        << utf8(uR"({"type":"keypress","key":"👍🏽"})") << utf8(uR"({"type":"keypress","key":"👍🏽"})");
    QTest::newRow("keypress family ZWJ sequence") << utf8(uR"({"type":"keypress","key":"👨‍👩‍👧‍👦"})")
                                                  << utf8(uR"({"type":"keypress","key":"👨‍👩‍👧‍👦"})");
    QTest::newRow("keypress flag") << utf8(uR"({"type":"keypress","key":"🇩🇪"})")
                                   << utf8(uR"({"type":"keypress","key":"🇩🇪"})");
    QTest::newRow("keypress CJK") << utf8(uR"({"type":"keypress","key":"漢"})")
                                  << utf8(uR"({"type":"keypress","key":"漢"})");
    // AuthLoop's viewer leaves out "modifiers" (its agent reads the booleans) and
    // sends keypress with the key's code and modifier flags.
    QTest::newRow("keydown without modifiers, as AuthLoop's viewer")
        << R"({"type":"keydown","key":"Enter","code":"Enter","altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":true})"_ba
        << R"({"type":"keydown","key":"Enter","code":"Enter","modifiers":8,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":true})"_ba;
    QTest::newRow("keyup without modifiers, as AuthLoop's viewer")
        << R"({"type":"keyup","key":"a","code":"KeyA","altKey":true,"ctrlKey":true,"metaKey":false,"shiftKey":false})"_ba
        << R"({"type":"keyup","key":"a","code":"KeyA","modifiers":3,"altKey":true,"ctrlKey":true,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keypress with code and flags, as AuthLoop's viewer")
        << R"({"type":"keypress","key":"A","code":"KeyA","altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":true})"_ba
        << R"({"type":"keypress","key":"A","code":"KeyA","modifiers":8,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":true})"_ba;
    QTest::newRow("keypress with code only")
        << R"({"type":"keypress","key":"1","code":"Numpad1"})"_ba
        << R"({"type":"keypress","key":"1","code":"Numpad1","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("keypress Enter's character") << R"({"type":"keypress","key":"\r"})"_ba
                                                << R"({"type":"keypress","key":"\r"})"_ba;
    QTest::newRow("keypress Enter's character with its code")
        << R"({"type":"keypress","key":"\r","code":"Enter","altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba
        << R"({"type":"keypress","key":"\r","code":"Enter","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})"_ba;
    QTest::newRow("scroll") << R"({"type":"scroll","x":100,"y":200,"deltaX":-10000,"deltaY":10000})"_ba
                            << R"({"type":"scroll","x":100,"y":200,"deltaX":-10000,"deltaY":10000})"_ba;
    QTest::newRow("scroll fractional") << R"({"type":"scroll","x":0,"y":0,"deltaX":0,"deltaY":-53.5})"_ba
                                       << R"({"type":"scroll","x":0,"y":0,"deltaX":0,"deltaY":-53.5})"_ba;
    QTest::newRow("paste with tab and line breaks") << R"({"type":"paste","text":"line one\r\nline\ttwo\n"})"_ba
                                                    << R"({"type":"paste","text":"line one\r\nline\ttwo\n"})"_ba;
    QTest::newRow("paste unicode") << utf8(uR"({"type":"paste","text":"Grüße, 世界 🌍"})")
                                   << utf8(uR"({"type":"paste","text":"Grüße, 世界 🌍"})");
    const QByteArray longest = R"({"type":"paste","text":")" + QByteArray(10'000, 'x') + "\"}";
    QTest::newRow("paste exactly 10000 chars") << longest << longest;
    QTest::newRow("ime composition with selection")
        << utf8(uR"({"type":"ime","text":"にほん","selectionStart":1,"selectionEnd":3,"commit":false})")
        << utf8(uR"({"type":"ime","text":"にほん","selectionStart":1,"selectionEnd":3,"commit":false})");
    QTest::newRow("ime commit") << utf8(uR"({"type":"ime","text":"日本","commit":true})")
                                << utf8(uR"({"type":"ime","text":"日本","commit":true})");
    QTest::newRow("ime cancelled composition, empty text")
        << R"({"type":"ime","text":"","selectionStart":0,"selectionEnd":0,"commit":false})"_ba
        << R"({"type":"ime","text":"","selectionStart":0,"selectionEnd":0,"commit":false})"_ba;
    QTest::newRow("back") << R"({"type":"back"})"_ba
                          << R"({"type":"back"})"_ba;
    QTest::newRow("forward") << R"({"type":"forward"})"_ba
                             << R"({"type":"forward"})"_ba;
    QTest::newRow("reload") << R"({"type":"reload"})"_ba
                            << R"({"type":"reload"})"_ba;
    QTest::newRow("resolved") << R"({"type":"resolved"})"_ba
                              << R"({"type":"resolved"})"_ba;
    QTest::newRow("cancelled") << R"({"type":"cancelled"})"_ba
                               << R"({"type":"cancelled"})"_ba;
    QTest::newRow("unknown fields ignored") << R"({"type":"click","x":1,"y":2,"timestamp":123,"extra":{"a":[1]}})"_ba
                                            << R"({"type":"click","x":1,"y":2})"_ba;
    QTest::newRow("fields of other types ignored") << R"({"type":"back","x":-5,"text":"ignored"})"_ba
                                                   << R"({"type":"back"})"_ba;
    QTest::newRow("whitespace around JSON") << " \n{ \"type\" : \"reload\" }\n"_ba
                                            << R"({"type":"reload"})"_ba;
}

void TestInputEventCodec::parseGood()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, canonical);
    handoff::testutil::recordFuzzSeed("input_event", json);

    const auto parsed = InputEventCodec::parse(json);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().code + u": "_s + parsed.error().message));
    QVERIFY(InputEventCodec::validate(*parsed).ok());

    const QByteArray serialized = InputEventCodec::serialize(*parsed);
    QCOMPARE(objectOf(serialized), objectOf(canonical));
    QVERIFY(!serialized.contains('\n')); // compact

    const auto again = InputEventCodec::parse(serialized);
    QVERIFY(again.ok());
    QCOMPARE(*again, *parsed);
}

// ---------------------------------------------------------------- bad input

void TestInputEventCodec::parseBad_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("code");

    const QString notJson = InputEventCodec::ErrorNotJson;
    const QString notObject = InputEventCodec::ErrorNotObject;
    const QString missingType = InputEventCodec::ErrorMissingType;
    const QString unknownType = InputEventCodec::ErrorUnknownType;
    const QString missing = InputEventCodec::ErrorMissingField;
    const QString wrongType = InputEventCodec::ErrorWrongFieldType;
    const QString notInteger = InputEventCodec::ErrorNotInteger;
    const QString coordinate = InputEventCodec::ErrorCoordinateRange;
    const QString delta = InputEventCodec::ErrorDeltaRange;
    const QString modifiersRange = InputEventCodec::ErrorModifiersRange;
    const QString mismatch = InputEventCodec::ErrorModifiersMismatch;
    const QString badButton = InputEventCodec::ErrorBadButton;
    const QString buttonsRange = InputEventCodec::ErrorButtonsRange;
    const QString clickCount = InputEventCodec::ErrorClickCountRange;
    const QString badKey = InputEventCodec::ErrorBadKey;
    const QString badCode = InputEventCodec::ErrorBadCode;
    const QString notOne = InputEventCodec::ErrorNotOneCharacter;
    const QString tooLong = InputEventCodec::ErrorTextTooLong;
    const QString emptyText = InputEventCodec::ErrorEmptyText;
    const QString badText = InputEventCodec::ErrorBadText;
    const QString badSelection = InputEventCodec::ErrorBadSelection;

    const auto key = [](const char* fields) { return R"({"type":"keydown",)" + QByteArray(fields) + "}"; };
    const QByteArray okKeyTail = R"("modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false)";

    // Not an event at all.
    QTest::newRow("empty input") << ""_ba << notJson;
    QTest::newRow("plain text") << "click at 10,20"_ba << notJson;
    QTest::newRow("truncated JSON") << R"({"type":"click","x":1)"_ba << notJson;
    QTest::newRow("trailing garbage") << R"({"type":"back"} {"type":"reload"})"_ba << notJson;
    QTest::newRow("invalid UTF-8 in a string") << "{\"type\":\"paste\",\"text\":\"\xff\xfe\"}"_ba << notJson;
    QTest::newRow("number overflowing a double") << R"({"type":"click","x":1e400,"y":1})"_ba << notJson;
    QTest::newRow("NaN literal") << R"({"type":"click","x":NaN,"y":1})"_ba << notJson;
    QTest::newRow("array") << R"([{"type":"click","x":1,"y":1}])"_ba << notObject;
    QTest::newRow("empty array") << "[]"_ba << notObject;
    // Qt's parser takes only an object or an array at the top level.
    QTest::newRow("string") << R"("click")"_ba << notJson;
    QTest::newRow("number") << "42"_ba << notJson;

    // The type.
    QTest::newRow("no type") << R"({"x":1,"y":2})"_ba << missingType;
    QTest::newRow("type is a number") << R"({"type":5})"_ba << wrongType;
    QTest::newRow("type is null") << R"({"type":null})"_ba << wrongType;
    QTest::newRow("unknown type") << R"({"type":"hover","x":1,"y":1})"_ba << unknownType;
    QTest::newRow("type in the wrong case") << R"({"type":"Click","x":1,"y":1})"_ba << unknownType;
    QTest::newRow("empty type") << R"({"type":""})"_ba << unknownType;

    // Pointer events.
    QTest::newRow("click without y") << R"({"type":"click","x":1})"_ba << missing;
    QTest::newRow("click without coordinates") << R"({"type":"click"})"_ba << missing;
    QTest::newRow("x as a string") << R"({"type":"click","x":"1","y":2})"_ba << wrongType;
    QTest::newRow("y null") << R"({"type":"mouseup","x":1,"y":null})"_ba << wrongType;
    QTest::newRow("x negative") << R"({"type":"click","x":-1,"y":2})"_ba << coordinate;
    QTest::newRow("x just over 10000") << R"({"type":"dblclick","x":10000.5,"y":2})"_ba << coordinate;
    QTest::newRow("y huge") << R"({"type":"mousemove","x":1,"y":1e308})"_ba << coordinate;
    QTest::newRow("negative zero-ish is fine but -0.001 is not")
        << R"({"type":"mousedown","x":-0.001,"y":0})"_ba << coordinate;
    QTest::newRow("unknown button") << R"({"type":"click","x":1,"y":2,"button":"sideways"})"_ba << badButton;
    QTest::newRow("button in the wrong case") << R"({"type":"click","x":1,"y":2,"button":"Left"})"_ba << badButton;
    QTest::newRow("button as a number") << R"({"type":"mousedown","x":1,"y":2,"button":0})"_ba << wrongType;
    QTest::newRow("clickCount 0") << R"({"type":"click","x":1,"y":2,"clickCount":0})"_ba << clickCount;
    QTest::newRow("clickCount 4") << R"({"type":"dblclick","x":1,"y":2,"clickCount":4})"_ba << clickCount;
    QTest::newRow("clickCount 1e10") << R"({"type":"click","x":1,"y":2,"clickCount":1e10})"_ba << clickCount;
    QTest::newRow("clickCount 1.5") << R"({"type":"click","x":1,"y":2,"clickCount":1.5})"_ba << notInteger;
    QTest::newRow("clickCount as a string") << R"({"type":"click","x":1,"y":2,"clickCount":"2"})"_ba << wrongType;
    QTest::newRow("buttons 32") << R"({"type":"mousemove","x":1,"y":2,"buttons":32})"_ba << buttonsRange;
    QTest::newRow("buttons negative") << R"({"type":"mousedown","x":1,"y":2,"buttons":-1})"_ba << buttonsRange;
    QTest::newRow("buttons fractional") << R"({"type":"mouseup","x":1,"y":2,"buttons":0.5})"_ba << notInteger;

    // Keyboard events.
    QTest::newRow("keydown without code")
        << key(R"("key":"a","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false)") << missing;
    QTest::newRow("keydown without shiftKey")
        << key(R"("key":"a","code":"KeyA","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false)") << missing;
    QTest::newRow("keydown without modifiers or altKey")
        << key(R"("key":"a","code":"KeyA","ctrlKey":false,"metaKey":false,"shiftKey":false)") << missing;
    QTest::newRow("key empty") << key(R"("key":"","code":"KeyA",)" + okKeyTail) << badKey;
    QTest::newRow("key 21 chars") << key(R"("key":"Abcdefghijklmnopqrstu","code":"KeyA",)" + okKeyTail) << badKey;
    QTest::newRow("key with a control character") << key(R"("key":"\u0007","code":"KeyG",)" + okKeyTail) << badKey;
    QTest::newRow("key a lone surrogate") << key(R"("key":"\ud800","code":"KeyA",)" + okKeyTail) << badKey;
    QTest::newRow("key as a number") << key(R"("key":65,"code":"KeyA",)" + okKeyTail) << wrongType;
    QTest::newRow("code empty") << key(R"("key":"a","code":"",)" + okKeyTail) << badCode;
    QTest::newRow("code 21 chars") << key(R"("key":"a","code":"KeyAKeyAKeyAKeyAKeyA1",)" + okKeyTail) << badCode;
    QTest::newRow("code with a space") << key(R"("key":"a","code":"Key A",)" + okKeyTail) << badCode;
    QTest::newRow("code non-ASCII") << utf8(
        uR"({"type":"keyup","key":"a","code":"KeyÄ","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})")
                                    << badCode;
    QTest::newRow("modifiers 16") << key(
        R"("key":"a","code":"KeyA","modifiers":16,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false)")
                                  << modifiersRange;
    QTest::newRow("modifiers -1") << key(
        R"("key":"a","code":"KeyA","modifiers":-1,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false)")
                                  << modifiersRange;
    QTest::newRow("modifiers 2.5") << key(
        R"("key":"a","code":"KeyA","modifiers":2.5,"altKey":false,"ctrlKey":true,"metaKey":false,"shiftKey":false)")
                                   << notInteger;
    QTest::newRow("modifiers say Ctrl, ctrlKey says no") << key(
        R"("key":"a","code":"KeyA","modifiers":2,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false)")
                                                         << mismatch;
    QTest::newRow("shiftKey without the Shift bit")
        << R"({"type":"keyup","key":"A","code":"KeyA","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":true})"_ba
        << mismatch;
    QTest::newRow("altKey as a string") << key(
        R"("key":"a","code":"KeyA","modifiers":1,"altKey":"yes","ctrlKey":false,"metaKey":false,"shiftKey":false)")
                                        << wrongType;
    QTest::newRow("metaKey as 1") << key(
        R"("key":"a","code":"KeyA","modifiers":4,"altKey":false,"ctrlKey":false,"metaKey":1,"shiftKey":false)")
                                  << wrongType;
    QTest::newRow("keypress two letters") << R"({"type":"keypress","key":"ab"})"_ba << notOne;
    QTest::newRow("keypress a word") << R"({"type":"keypress","key":"Enter"})"_ba << notOne;
    QTest::newRow("keypress empty") << R"({"type":"keypress","key":""})"_ba << notOne;
    QTest::newRow("keypress two flags") << utf8(uR"({"type":"keypress","key":"🇩🇪🇫🇷"})") << notOne;
    QTest::newRow("keypress newline") << R"({"type":"keypress","key":"\n"})"_ba << badKey;
    QTest::newRow("keypress NUL") << R"({"type":"keypress","key":"\u0000"})"_ba << badKey;
    QTest::newRow("keypress lone surrogate") << R"({"type":"keypress","key":"\udc00"})"_ba << badKey;
    QTest::newRow("keypress one grapheme of 21 units")
        << R"({"type":"keypress","key":"a\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301"})"_ba
        << badKey;
    QTest::newRow("keypress without key") << R"({"type":"keypress"})"_ba << missing;
    QTest::newRow("keypress two Enters") << R"({"type":"keypress","key":"\r\r"})"_ba << badKey;
    QTest::newRow("keypress carriage return and a letter") << R"({"type":"keypress","key":"\ra"})"_ba << badKey;
    QTest::newRow("keypress empty code") << R"({"type":"keypress","key":"a","code":""})"_ba << badCode;
    QTest::newRow("keypress code as a number") << R"({"type":"keypress","key":"a","code":65})"_ba << wrongType;
    QTest::newRow("keypress shiftKey as a string")
        << R"({"type":"keypress","key":"a","code":"KeyA","shiftKey":"yes"})"_ba << wrongType;
    QTest::newRow("keypress modifiers disagree with flags")
        << R"({"type":"keypress","key":"a","code":"KeyA","modifiers":2,"ctrlKey":false})"_ba << mismatch;
    QTest::newRow("keypress modifiers 16") << R"({"type":"keypress","key":"a","modifiers":16})"_ba << modifiersRange;

    // Scroll.
    QTest::newRow("scroll without deltaY") << R"({"type":"scroll","x":1,"y":1,"deltaX":0})"_ba << missing;
    QTest::newRow("scroll deltaX over 10000")
        << R"({"type":"scroll","x":1,"y":1,"deltaX":10001,"deltaY":0})"_ba << delta;
    QTest::newRow("scroll deltaY -1e6") << R"({"type":"scroll","x":1,"y":1,"deltaX":0,"deltaY":-1e6})"_ba << delta;
    QTest::newRow("scroll x out of range")
        << R"({"type":"scroll","x":10001,"y":1,"deltaX":0,"deltaY":0})"_ba << coordinate;
    QTest::newRow("scroll delta as a string")
        << R"({"type":"scroll","x":1,"y":1,"deltaX":"5","deltaY":0})"_ba << wrongType;

    // Text.
    QTest::newRow("paste 10001 chars") << R"({"type":"paste","text":")" + QByteArray(10'001, 'x') + "\"}" << tooLong;
    QTest::newRow("paste 5001 astral chars (10002 units)") << R"({"type":"paste","text":")"
            + QString(5'001, QChar(u'x')).replace(u"x"_s, QString::fromUtf16(u"😀")).toUtf8()
            + "\"}" << tooLong;
    QTest::newRow("paste empty") << R"({"type":"paste","text":""})"_ba << emptyText;
    QTest::newRow("paste without text") << R"({"type":"paste"})"_ba << missing;
    QTest::newRow("paste text as an array") << R"({"type":"paste","text":["hunter2"]})"_ba << wrongType;
    QTest::newRow("paste with NUL") << R"({"type":"paste","text":"hunter2\u0000"})"_ba << badText;
    QTest::newRow("paste with escape sequence") << R"({"type":"paste","text":"\u001b[31mhunter2"})"_ba << badText;
    QTest::newRow("paste with a lone surrogate") << R"({"type":"paste","text":"hunter2\ud83d"})"_ba << badText;
    QTest::newRow("ime with a line break") << R"({"type":"ime","text":"ab\ncd","commit":true})"_ba << badText;
    QTest::newRow("ime 10001 chars") << R"({"type":"ime","commit":true,"text":")" + QByteArray(10'001, 'x') + "\"}"
                                     << tooLong;
    QTest::newRow("ime without commit") << R"({"type":"ime","text":"ab"})"_ba << missing;
    QTest::newRow("ime commit as a number") << R"({"type":"ime","text":"ab","commit":1})"_ba << wrongType;
    QTest::newRow("ime selectionStart past the text")
        << R"({"type":"ime","text":"ab","selectionStart":3,"commit":false})"_ba << badSelection;
    QTest::newRow("ime selectionEnd past the text")
        << R"({"type":"ime","text":"ab","selectionEnd":3,"commit":false})"_ba << badSelection;
    QTest::newRow("ime selection backwards")
        << R"({"type":"ime","text":"abc","selectionStart":2,"selectionEnd":1,"commit":false})"_ba << badSelection;
    QTest::newRow("ime selectionStart negative")
        << R"({"type":"ime","text":"abc","selectionStart":-1,"commit":false})"_ba << badSelection;
    QTest::newRow("ime selectionStart huge")
        << R"({"type":"ime","text":"abc","selectionStart":1e300,"commit":false})"_ba << badSelection;
    QTest::newRow("ime selectionEnd fractional")
        << R"({"type":"ime","text":"abc","selectionEnd":1.5,"commit":false})"_ba << notInteger;

    // Size.
    QTest::newRow("over 64 KiB") << R"({"type":"paste","text":"x","pad":")"
            + QByteArray(InputEventCodec::MaxJsonBytes, 'p')
            + "\"}" << QString(InputEventCodec::ErrorTooLarge);
}

void TestInputEventCodec::parseBad()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, code);
    handoff::testutil::recordFuzzSeed("input_event", json);

    const auto parsed = InputEventCodec::parse(json);
    QVERIFY2(!parsed.ok(), "accepted a bad event");
    QCOMPARE(parsed.error().code, code);
    QVERIFY(!parsed.error().message.isEmpty());
    for (const QString& content : contentStrings(json))
        QVERIFY2(!parsed.error().message.contains(content),
                 qPrintable(u"message repeats content: "_s + parsed.error().message));
}

// ---------------------------------------------------------------- events the app builds

void TestInputEventCodec::validateBuilt_data()
{
    QTest::addColumn<InputEvent>("event");
    QTest::addColumn<QString>("code"); // empty: valid

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const QString ok;

    QTest::newRow("valid click") << InputEvent::click(1, 2) << ok;
    QTest::newRow("valid keydown") << InputEvent::keyDown(u"A"_s, u"KeyA"_s, InputEvent::ModifierShift) << ok;
    QTest::newRow("valid ime") << InputEvent::ime(u"ab"_s, false, 0, 2) << ok;
    QTest::newRow("NaN x") << InputEvent::click(nan, 2) << QString(InputEventCodec::ErrorNotFinite);
    QTest::newRow("infinite y") << InputEvent::mouseMove(1, inf) << QString(InputEventCodec::ErrorNotFinite);
    QTest::newRow("infinite delta") << InputEvent::scroll(1, 1, -inf, 0) << QString(InputEventCodec::ErrorNotFinite);
    QTest::newRow("NaN delta") << InputEvent::scroll(1, 1, 0, nan) << QString(InputEventCodec::ErrorNotFinite);
    QTest::newRow("x out of range") << InputEvent::mouseDown(10'001, 0)
                                    << QString(InputEventCodec::ErrorCoordinateRange);
    QTest::newRow("clickCount 5") << InputEvent::click(1, 1, MouseButton::Left, 5)
                                  << QString(InputEventCodec::ErrorClickCountRange);
    QTest::newRow("buttons 64") << InputEvent::mouseMove(1, 1, MouseButton::None, 64)
                                << QString(InputEventCodec::ErrorButtonsRange);
    QTest::newRow("modifiers 99") << InputEvent::keyUp(u"a"_s, u"KeyA"_s, 99)
                                  << QString(InputEventCodec::ErrorModifiersRange);
    QTest::newRow("keypress two chars") << InputEvent::keyPress(u"ab"_s)
                                        << QString(InputEventCodec::ErrorNotOneCharacter);
    QTest::newRow("keypress newline") << InputEvent::keyPress(u"\n"_s) << QString(InputEventCodec::ErrorBadKey);
    QTest::newRow("keypress bad code") << InputEvent::keyPress(u"a"_s, u"Key A"_s, 0)
                                       << QString(InputEventCodec::ErrorBadCode);
    QTest::newRow("paste too long") << InputEvent::paste(QString(10'001, u'x'))
                                    << QString(InputEventCodec::ErrorTextTooLong);
    QTest::newRow("ime selection past text")
        << InputEvent::ime(u"ab"_s, false, 0, 5) << QString(InputEventCodec::ErrorBadSelection);
    QTest::newRow("bad code") << InputEvent::keyDown(u"a"_s, u"Key-A"_s) << QString(InputEventCodec::ErrorBadCode);
}

void TestInputEventCodec::validateBuilt()
{
    QFETCH(InputEvent, event);
    QFETCH(QString, code);

    const auto result = InputEventCodec::validate(event);
    if (code.isEmpty()) {
        QVERIFY(result.ok());
    } else {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, code);
    }
}

void TestInputEventCodec::roundTrip_data()
{
    QTest::addColumn<InputEvent>("event");

    QTest::newRow("click") << InputEvent::click(12.5, 99, MouseButton::Left, 1);
    QTest::newRow("click right") << InputEvent::click(0, 10'000, MouseButton::Right, 1);
    QTest::newRow("dblclick") << InputEvent::doubleClick(1.0 / 3, 2.0 / 3);
    QTest::newRow("mousedown") << InputEvent::mouseDown(5, 5, MouseButton::Left, InputEvent::ButtonsLeft);
    QTest::newRow("mouseup") << InputEvent::mouseUp(5, 5, MouseButton::Left, 0);
    QTest::newRow("mousemove no buttons field") << InputEvent::mouseMove(0.1, 0.2);
    QTest::newRow("mousemove drag") << InputEvent::mouseMove(7, 8, MouseButton::None,
                                                             InputEvent::ButtonsLeft | InputEvent::ButtonsRight);
    QTest::newRow("keydown") << InputEvent::keyDown(u"a"_s, u"KeyA"_s);
    QTest::newRow("keydown modifiers") << InputEvent::keyDown(u"S"_s, u"KeyS"_s,
                                                              InputEvent::ModifierCtrl | InputEvent::ModifierShift);
    QTest::newRow("keyup") << InputEvent::keyUp(u"Meta"_s, u"MetaLeft"_s, InputEvent::ModifierMeta);
    QTest::newRow("keypress") << InputEvent::keyPress(u"z"_s);
    QTest::newRow("keypress quote") << InputEvent::keyPress(u"\""_s);
    QTest::newRow("keypress backslash") << InputEvent::keyPress(u"\\"_s);
    QTest::newRow("keypress emoji") << InputEvent::keyPress(QString::fromUtf16(u"🙂"));
    QTest::newRow("keypress with code") << InputEvent::keyPress(u"A"_s, u"KeyA"_s, InputEvent::ModifierShift);
    QTest::newRow("keypress Enter's character") << InputEvent::keyPress(u"\r"_s, u"NumpadEnter"_s, 0);
    QTest::newRow("scroll") << InputEvent::scroll(10, 20, -3.25, 120);
    QTest::newRow("paste") << InputEvent::paste(u"correct horse \"battery\" \\ staple\n"_s);
    QTest::newRow("paste max") << InputEvent::paste(QString(InputEventCodec::MaxTextLength, u'\u00e9'));
    QTest::newRow("ime") << InputEvent::ime(QString::fromUtf16(u"かな"), false, 1, 2);
    QTest::newRow("ime commit") << InputEvent::ime(QString::fromUtf16(u"仮名"), true);
    QTest::newRow("back") << InputEvent::back();
    QTest::newRow("forward") << InputEvent::forward();
    QTest::newRow("reload") << InputEvent::reload();
    QTest::newRow("resolved") << InputEvent::resolved();
    QTest::newRow("cancelled") << InputEvent::cancelled();
}

void TestInputEventCodec::roundTrip()
{
    QFETCH(InputEvent, event);

    QVERIFY(InputEventCodec::validate(event).ok());
    const QByteArray json = InputEventCodec::serialize(event);
    const auto parsed = InputEventCodec::parse(json);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(*parsed, event);
    QCOMPARE(InputEventCodec::serialize(*parsed), json);
}

// ---------------------------------------------------------------- wire names

void TestInputEventCodec::exactFieldNames_data()
{
    QTest::addColumn<InputEvent>("event");
    QTest::addColumn<QStringList>("fields");

    QTest::newRow("click") << InputEvent::click(1, 2, MouseButton::Middle, 2)
                           << QStringList { u"type"_s, u"x"_s, u"y"_s, u"button"_s, u"clickCount"_s };
    QTest::newRow("dblclick") << InputEvent::doubleClick(1, 2)
                              << QStringList { u"type"_s, u"x"_s, u"y"_s, u"button"_s, u"clickCount"_s };
    QTest::newRow("mousedown") << InputEvent::mouseDown(1, 2, MouseButton::Left, 1)
                               << QStringList { u"type"_s, u"x"_s, u"y"_s, u"button"_s, u"buttons"_s };
    QTest::newRow("mouseup") << InputEvent::mouseUp(1, 2) << QStringList { u"type"_s, u"x"_s, u"y"_s, u"button"_s };
    QTest::newRow("mousemove") << InputEvent::mouseMove(1, 2, MouseButton::None, 0)
                               << QStringList { u"type"_s, u"x"_s, u"y"_s, u"button"_s, u"buttons"_s };
    const QStringList keyFields { u"type"_s,   u"key"_s,     u"code"_s,    u"modifiers"_s,
                                  u"altKey"_s, u"ctrlKey"_s, u"metaKey"_s, u"shiftKey"_s };
    QTest::newRow("keydown") << InputEvent::keyDown(u"a"_s, u"KeyA"_s, 5) << keyFields;
    QTest::newRow("keyup") << InputEvent::keyUp(u"a"_s, u"KeyA"_s) << keyFields;
    QTest::newRow("keypress") << InputEvent::keyPress(u"a"_s) << QStringList { u"type"_s, u"key"_s };
    QTest::newRow("keypress with code") << InputEvent::keyPress(u"a"_s, u"KeyA"_s, 0) << keyFields;
    QTest::newRow("scroll") << InputEvent::scroll(1, 2, 3, 4)
                            << QStringList { u"type"_s, u"x"_s, u"y"_s, u"deltaX"_s, u"deltaY"_s };
    QTest::newRow("paste") << InputEvent::paste(u"p"_s) << QStringList { u"type"_s, u"text"_s };
    QTest::newRow("ime") << InputEvent::ime(u"abc"_s, false, 0, 1)
                         << QStringList { u"type"_s, u"text"_s, u"selectionStart"_s, u"selectionEnd"_s, u"commit"_s };
    QTest::newRow("ime without selection")
        << InputEvent::ime(u"abc"_s, true) << QStringList { u"type"_s, u"text"_s, u"commit"_s };
    QTest::newRow("back") << InputEvent::back() << QStringList { u"type"_s };
    QTest::newRow("resolved") << InputEvent::resolved() << QStringList { u"type"_s };
}

void TestInputEventCodec::exactFieldNames()
{
    QFETCH(InputEvent, event);
    QFETCH(QStringList, fields);

    const QJsonObject object = objectOf(InputEventCodec::serialize(event));
    QStringList keys = object.keys();
    keys.sort();
    fields.sort();
    QCOMPARE(keys, fields);
    QCOMPARE(object.value(u"type"_s).toString(), event.describe());
}

void TestInputEventCodec::parsedValues()
{
    const auto click = InputEventCodec::parse(R"({"type":"click","x":10.5,"y":20,"button":"right","clickCount":2})"_ba);
    QVERIFY(click.ok());
    QCOMPARE(click->type(), InputEventType::Click);
    QCOMPARE(click->x(), 10.5);
    QCOMPARE(click->y(), 20.0);
    QCOMPARE(click->button(), std::optional<MouseButton>(MouseButton::Right));
    QCOMPARE(click->clickCount(), std::optional<int>(2));
    QVERIFY(!click->buttons().has_value());

    const auto bare = InputEventCodec::parse(R"({"type":"click","x":1,"y":2})"_ba);
    QVERIFY(bare.ok());
    QVERIFY(!bare->button().has_value());
    QVERIFY(!bare->clickCount().has_value());

    const auto key = InputEventCodec::parse(
        R"({"type":"keydown","key":"s","code":"KeyS","modifiers":6,"altKey":false,"ctrlKey":true,"metaKey":true,"shiftKey":false})"_ba);
    QVERIFY(key.ok());
    QCOMPARE(key->key(), u"s"_s);
    QCOMPARE(key->code(), u"KeyS"_s);
    QCOMPARE(key->modifiers(), 6);
    QVERIFY(key->ctrlKey() && key->metaKey() && !key->altKey() && !key->shiftKey());
    QCOMPARE(key->category(), InputEventCategory::Keyboard);

    const auto ime
        = InputEventCodec::parse(R"({"type":"ime","text":"abc","selectionStart":1,"selectionEnd":2,"commit":true})"_ba);
    QVERIFY(ime.ok());
    QCOMPARE(ime->text(), u"abc"_s);
    QCOMPARE(ime->selectionStart(), std::optional<int>(1));
    QCOMPARE(ime->selectionEnd(), std::optional<int>(2));
    QVERIFY(ime->commit());

    // JSON.parse semantics for a repeated key: the last one wins.
    const auto repeated = InputEventCodec::parse(R"({"type":"paste","text":"a","text":"b"})"_ba);
    QVERIFY(repeated.ok());
    QCOMPARE(repeated->text(), u"b"_s);

    // keyDown() derives the booleans from the bits.
    const InputEvent built
        = InputEvent::keyDown(u"x"_s, u"KeyX"_s, InputEvent::ModifierAlt | InputEvent::ModifierShift);
    QVERIFY(built.altKey() && built.shiftKey() && !built.ctrlKey() && !built.metaKey());
}

void TestInputEventCodec::sizeBounds()
{
    // The largest legal paste, escaped as much as possible, still fits the input bound.
    const QString worst = QString(InputEventCodec::MaxTextLength, u'"');
    const QByteArray json = InputEventCodec::serialize(InputEvent::paste(worst));
    QVERIFY(json.size() <= InputEventCodec::MaxJsonBytes);
    QVERIFY(InputEventCodec::parse(json).ok());

    // Exactly at the bound is accepted, one byte more is not.
    QByteArray padded = R"({"type":"back","pad":")"_ba;
    padded += QByteArray(InputEventCodec::MaxJsonBytes - padded.size() - 2, 'p') + "\"}";
    QCOMPARE(padded.size(), InputEventCodec::MaxJsonBytes);
    QVERIFY(InputEventCodec::parse(padded).ok());
    padded.insert(padded.size() - 2, 'p');
    QCOMPARE(InputEventCodec::parse(padded).error().code, QString(InputEventCodec::ErrorTooLarge));
}

void TestInputEventCodec::messagesHoldNoContent()
{
    // Distinctive secrets in every content field of a bad event: none may appear in the message.
    const QByteArray secret = "Sup3rS3cretPassw0rd";
    const QList<QByteArray> bad {
        R"({"type":"paste","text":")" + secret + QByteArray(10'000, 'x') + "\"}",
        R"({"type":"paste","text":")" + secret + "\\u0000\"}",
        R"({"type":"ime","text":")" + secret + R"(","selectionStart":99,"commit":false})",
        R"({"type":"keydown","key":")" + secret
            + R"(XY","code":"KeyA","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})",
        R"({"type":"keydown","key":"a","code":")" + secret
            + R"(XY","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})",
        R"({"type":"keypress","key":")" + secret + "\"}",
        R"({"type":")" + secret + "\"}",
        R"({"type":"click","x":1,"y":2,"button":")" + secret + "\"}",
        R"({"type":"paste","text":")" + secret + "\"",
    };
    for (const QByteArray& json : bad) {
        const auto parsed = InputEventCodec::parse(json);
        QVERIFY2(!parsed.ok(), json.left(60).constData());
        QVERIFY2(!parsed.error().message.contains(QString::fromLatin1(secret)), qPrintable(parsed.error().message));
        QVERIFY(!parsed.error().message.contains(u"S3cret"_s));
    }
}

void TestInputEventCodec::describeIsContentFree()
{
    QCOMPARE(InputEvent::paste(u"my password"_s).describe(), u"paste"_s);
    QCOMPARE(InputEvent::keyPress(u"q"_s).describe(), u"keypress"_s);
    QCOMPARE(InputEvent::keyDown(u"Enter"_s, u"Enter"_s).describe(), u"keydown"_s);
    QCOMPARE(InputEvent::ime(u"secret"_s, true).describe(), u"ime"_s);
    QCOMPARE(InputEvent::paste(u"x"_s).category(), InputEventCategory::Text);
    QCOMPARE(InputEvent::scroll(0, 0, 0, 0).category(), InputEventCategory::Scroll);
    QCOMPARE(InputEvent::reload().category(), InputEventCategory::Navigation);
    QCOMPARE(InputEvent::cancelled().category(), InputEventCategory::Outcome);
    QCOMPARE(InputEvent::mouseMove(0, 0).category(), InputEventCategory::Pointer);
}

void TestInputEventCodec::typeNames()
{
    const QStringList names { u"click"_s,   u"dblclick"_s, u"mousedown"_s, u"mouseup"_s,  u"mousemove"_s, u"keydown"_s,
                              u"keyup"_s,   u"keypress"_s, u"scroll"_s,    u"paste"_s,    u"ime"_s,       u"back"_s,
                              u"forward"_s, u"reload"_s,   u"resolved"_s,  u"cancelled"_s };
    for (const QString& name : names) {
        const auto type = InputEvent::typeFromName(name);
        QVERIFY2(type.has_value(), qPrintable(name));
        QCOMPARE(InputEvent::typeName(*type), name);
    }
    const QStringList buttons { u"none"_s, u"left"_s, u"middle"_s, u"right"_s, u"back"_s, u"forward"_s };
    for (const QString& name : buttons) {
        const auto button = InputEvent::buttonFromName(name);
        QVERIFY2(button.has_value(), qPrintable(name));
        QCOMPARE(InputEvent::buttonName(*button), name);
    }
    QVERIFY(!InputEvent::typeFromName(u"CLICK").has_value());
    QVERIFY(!InputEvent::buttonFromName(u"").has_value());
}

QTEST_GUILESS_MAIN(TestInputEventCodec)
#include "tst_InputEventCodec.moc"
