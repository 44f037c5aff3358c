// ScreencastView in the AuthLoopViewer input style (protocol version 1): real
// mouse, key and IME events become exactly what AuthLoop's own viewer sends
// (scripts/test-relay.mjs in AuthLoop's repository): DOM click and dblclick, no
// mousedown/mouseup/mousemove; a one-character key without Ctrl or Meta as
// keypress with its code and modifier flags, every other key as keydown, keyup
// for all. Enter adds the keypress "\r" an agent built on AuthLoop's core needs to
// submit a form; committed IME text goes as paste.

#include "core/protocol/V1InputJson.h"
#include "tests/ui/ScreencastViewFixture.h"

#include <QApplication>
#include <QInputMethodEvent>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMouseEvent>
#include <QTest>
#include <QWheelEvent>

using handoff::protocol::InputEvent;
using handoff::protocol::InputEventType;
using handoff::protocol::MouseButton;
using handoff::protocol::V1InputJson;
using handoff::test::ScreencastViewFixture;
using handoff::test::typesOf;
using handoff::test::withoutModifierKeys;
using handoff::ui::ScreencastView;

namespace {

QJsonObject wire(const InputEvent& event)
{
    return QJsonDocument::fromJson(V1InputJson::serialize(event)).object();
}

} // namespace

class TestScreencastViewAuthLoop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void clickGoesOnRelease();
    void doubleClickIsClickClickDblclick();
    void otherButtonsHoverAndDragSendNoMouseEvents();
    void releaseOffThePageIsNoClick();
    void printableKeysAreKeypress();
    void enterAddsItsKeypress();
    void shortcutsAndNamedKeysAreKeydown();
    void imeCommitGoesAsPaste();
    void wheelScrolls();
    void fullStyleAgain();

private:
    QWidget* surface() const { return m_f->surface(); }

    std::unique_ptr<ScreencastViewFixture> m_f;
};

void TestScreencastViewAuthLoop::init()
{
    m_f = std::make_unique<ScreencastViewFixture>();
    QVERIFY(m_f->setUp());
    m_f->view->setInputStyle(ScreencastView::InputStyle::AuthLoopViewer);
}

void TestScreencastViewAuthLoop::cleanup()
{
    QVERIFY(m_f->allValid());
    m_f.reset();
}

void TestScreencastViewAuthLoop::clickGoesOnRelease()
{
    // 800x450 shows 1280x720: one view pixel is 1.6 CSS pixels.
    QTest::mousePress(surface(), Qt::LeftButton, {}, QPoint(100, 50));
    QVERIFY(m_f->events.empty());
    QVERIFY(m_f->view->hasFocus());
    QTest::mouseRelease(surface(), Qt::LeftButton, {}, QPoint(101, 50));
    QCOMPARE(typesOf(m_f->events), (std::vector { InputEventType::Click }));
    const InputEvent& click = m_f->events.front();
    QCOMPARE(click.x(), 161.6); // where the button came up, as a browser's click
    QCOMPARE(click.y(), 80.0);
    QCOMPARE(click.button(), MouseButton::Left);
    QCOMPARE(wire(click), QJsonDocument::fromJson(R"({"type":"click","x":162,"y":80,"button":"left"})").object());
}

void TestScreencastViewAuthLoop::doubleClickIsClickClickDblclick()
{
    // Qt reports press, release, double-click, release; a browser's viewer sees
    // click, click, dblclick.
    const QPoint at(50, 50);
    QTest::mouseClick(surface(), Qt::LeftButton, {}, at);
    QMouseEvent second(QEvent::MouseButtonDblClick, QPointF(at), QPointF(surface()->mapToGlobal(at)), Qt::LeftButton,
                       Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(surface(), &second);
    QCOMPARE(typesOf(m_f->events), (std::vector { InputEventType::Click }));
    QTest::mouseRelease(surface(), Qt::LeftButton, {}, at);
    QCOMPARE(typesOf(m_f->events),
             (std::vector { InputEventType::Click, InputEventType::Click, InputEventType::DblClick }));
    const InputEvent& dbl = m_f->events.back();
    QCOMPARE(dbl.x(), 80.0);
    QCOMPARE(dbl.y(), 80.0);
    QCOMPARE(wire(dbl), QJsonDocument::fromJson(R"({"type":"dblclick","x":80,"y":80})").object());
}

void TestScreencastViewAuthLoop::otherButtonsHoverAndDragSendNoMouseEvents()
{
    QTest::mouseClick(surface(), Qt::RightButton, {}, QPoint(400, 225));
    QTest::mouseClick(surface(), Qt::MiddleButton, {}, QPoint(400, 225));
    QTest::mouseMove(surface(), QPoint(200, 150));
    QTest::qWait(2 * ScreencastView::MoveIntervalMs);
    QTest::mouseMove(surface(), QPoint(250, 150));
    QTest::qWait(2 * ScreencastView::MoveIntervalMs);
    QVERIFY(m_f->events.empty());
    // A drag is a click where it ends.
    QTest::mousePress(surface(), Qt::LeftButton, {}, QPoint(100, 100));
    QTest::mouseMove(surface(), QPoint(200, 150));
    QTest::qWait(2 * ScreencastView::MoveIntervalMs);
    QTest::mouseRelease(surface(), Qt::LeftButton, {}, QPoint(300, 200));
    QCOMPARE(typesOf(m_f->events), (std::vector { InputEventType::Click }));
    QCOMPARE(m_f->events.front().x(), 480.0);
    QCOMPARE(m_f->events.front().y(), 320.0);
}

void TestScreencastViewAuthLoop::releaseOffThePageIsNoClick()
{
    m_f->view->resize(1000, 450); // 1280x720 at 0.625 is 800 wide: 100-pixel bars left and right
    QTest::mousePress(surface(), Qt::LeftButton, {}, QPoint(150, 200));
    QTest::mouseRelease(surface(), Qt::LeftButton, {}, QPoint(50, 200));
    QVERIFY(m_f->events.empty());
    QTest::mousePress(surface(), Qt::LeftButton, {}, QPoint(50, 200));
    QTest::mouseRelease(surface(), Qt::LeftButton, {}, QPoint(150, 200));
    QVERIFY(m_f->events.empty()); // the press was not on the page either
}

void TestScreencastViewAuthLoop::printableKeysAreKeypress()
{
    QTest::keyClick(m_f->view.get(), 'a');
    QTest::keyClick(m_f->view.get(), '!', Qt::ShiftModifier);
    QTest::keyClick(m_f->view.get(), ' ');
    const auto e = withoutModifierKeys(m_f->events);
    QCOMPARE(typesOf(e),
             (std::vector { InputEventType::KeyPress, InputEventType::KeyUp, InputEventType::KeyPress,
                            InputEventType::KeyUp, InputEventType::KeyPress, InputEventType::KeyUp }));
    QCOMPARE(e[0].key(), QStringLiteral("a"));
    QCOMPARE(e[0].code(), QStringLiteral("KeyA"));
    QCOMPARE(e[2].key(), QStringLiteral("!"));
    QCOMPARE(e[2].code(), QStringLiteral("Digit1"));
    QVERIFY(e[2].shiftKey());
    QCOMPARE(e[4].key(), QStringLiteral(" "));
    QCOMPARE(e[4].code(), QStringLiteral("Space"));
    QCOMPARE(wire(e[2]),
             QJsonDocument::fromJson(R"({"type":"keypress","key":"!","code":"Digit1","altKey":false,)"
                                     R"("ctrlKey":false,"metaKey":false,"shiftKey":true})")
                 .object());
    QCOMPARE(wire(e[3]),
             QJsonDocument::fromJson(R"({"type":"keyup","key":"!","code":"Digit1","altKey":false,)"
                                     R"("ctrlKey":false,"metaKey":false,"shiftKey":true})")
                 .object());
}

void TestScreencastViewAuthLoop::enterAddsItsKeypress()
{
    QTest::keyClick(m_f->view.get(), Qt::Key_Return);
    QTest::keyClick(m_f->view.get(), Qt::Key_Enter, Qt::KeypadModifier);
    const auto& e = m_f->events;
    QCOMPARE(typesOf(e),
             (std::vector { InputEventType::KeyDown, InputEventType::KeyPress, InputEventType::KeyUp,
                            InputEventType::KeyDown, InputEventType::KeyPress, InputEventType::KeyUp }));
    QCOMPARE(e[0].key(), QStringLiteral("Enter"));
    QCOMPARE(e[0].code(), QStringLiteral("Enter"));
    QCOMPARE(e[1].key(), QStringLiteral("\r"));
    QCOMPARE(e[1].code(), QStringLiteral("Enter"));
    QCOMPARE(e[2].key(), QStringLiteral("Enter"));
    QCOMPARE(e[4].key(), QStringLiteral("\r"));
    QCOMPARE(e[4].code(), QStringLiteral("NumpadEnter"));
    QCOMPARE(wire(e[0]),
             QJsonDocument::fromJson(R"({"type":"keydown","key":"Enter","code":"Enter","altKey":false,)"
                                     R"("ctrlKey":false,"metaKey":false,"shiftKey":false})")
                 .object());
    QCOMPARE(wire(e[1]),
             QJsonDocument::fromJson(R"({"type":"keypress","key":"\r","code":"Enter","altKey":false,)"
                                     R"("ctrlKey":false,"metaKey":false,"shiftKey":false})")
                 .object());
}

void TestScreencastViewAuthLoop::shortcutsAndNamedKeysAreKeydown()
{
    QTest::keyClick(m_f->view.get(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(m_f->view.get(), Qt::Key_Backspace);
    QTest::keyClick(m_f->view.get(), Qt::Key_Tab);
    QTest::keyClick(m_f->view.get(), Qt::Key_Return, Qt::ControlModifier); // no character with Ctrl
    const auto e = withoutModifierKeys(m_f->events);
    QCOMPARE(typesOf(e),
             (std::vector { InputEventType::KeyDown, InputEventType::KeyUp, InputEventType::KeyDown,
                            InputEventType::KeyUp, InputEventType::KeyDown, InputEventType::KeyUp,
                            InputEventType::KeyDown, InputEventType::KeyUp }));
    QCOMPARE(e[0].key(), QStringLiteral("a"));
    QVERIFY(e[0].ctrlKey());
    QCOMPARE(e[2].key(), QStringLiteral("Backspace"));
    QCOMPARE(e[4].key(), QStringLiteral("Tab"));
    QCOMPARE(e[6].key(), QStringLiteral("Enter"));
    // The modifier keys themselves are named keys: keydown and keyup.
    const auto modifierDown = std::find_if(m_f->events.begin(), m_f->events.end(),
                                           [](const InputEvent& x) { return x.key() == QStringLiteral("Control"); });
    QVERIFY(modifierDown != m_f->events.end());
    QCOMPARE(modifierDown->type(), InputEventType::KeyDown);
}

void TestScreencastViewAuthLoop::imeCommitGoesAsPaste()
{
    QList<QInputMethodEvent::Attribute> attributes { { QInputMethodEvent::Cursor, 2, 1, QVariant() } };
    QInputMethodEvent preedit(QStringLiteral("にほ"), attributes);
    QApplication::sendEvent(m_f->view.get(), &preedit);
    QVERIFY(m_f->events.empty());
    QInputMethodEvent commit;
    commit.setCommitString(QStringLiteral("日本"));
    QApplication::sendEvent(m_f->view.get(), &commit);
    QCOMPARE(typesOf(m_f->events), (std::vector { InputEventType::Paste }));
    QCOMPARE(m_f->events.front().text(), QStringLiteral("日本"));
}

void TestScreencastViewAuthLoop::wheelScrolls()
{
    const QPointF at(100, 50);
    QWheelEvent wheel(at, surface()->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(surface(), &wheel);
    QCOMPARE(typesOf(m_f->events), (std::vector { InputEventType::Scroll }));
    QCOMPARE(m_f->events.front().deltaY(), ScreencastView::WheelPixelsPerNotch);
}

void TestScreencastViewAuthLoop::fullStyleAgain()
{
    QTest::mousePress(surface(), Qt::LeftButton, {}, QPoint(100, 50));
    m_f->view->setInputStyle(ScreencastView::InputStyle::Full);
    QTest::mouseRelease(surface(), Qt::LeftButton, {}, QPoint(100, 50)); // the press of the other style is forgotten
    QVERIFY(m_f->events.empty());
    QTest::mouseClick(surface(), Qt::LeftButton, {}, QPoint(100, 50));
    QTest::keyClick(m_f->view.get(), Qt::Key_Return);
    QCOMPARE(typesOf(m_f->events),
             (std::vector { InputEventType::MouseDown, InputEventType::MouseUp, InputEventType::KeyDown,
                            InputEventType::KeyUp }));
}

QTEST_MAIN(TestScreencastViewAuthLoop)
#include "tst_ScreencastViewAuthLoop.moc"
