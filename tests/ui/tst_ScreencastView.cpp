// ScreencastView: real key, mouse, wheel, paste and IME events sent to the
// widget become the right PROTOCOL section 5 events, in page CSS pixels.

#include "tests/ui/ScreencastViewFixture.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QInputMethodEvent>
#include <QLabel>
#include <QPushButton>
#include <QScopeGuard>
#include <QVBoxLayout>
#include <QTest>
#include <QWheelEvent>

using handoff::protocol::InputEvent;
using handoff::protocol::InputEventType;
using handoff::protocol::MouseButton;
using handoff::test::ScreencastViewFixture;
using handoff::test::typesOf;
using handoff::test::withoutModifierKeys;

class TestScreencastView final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void printableKey();
    void shiftedKey();
    void ctrlShortcutStaysInTheView();
    void namedKeys_data();
    void namedKeys();
    void tabKeepsFocus();
    void f6MovesFocusOut();
    void autoRepeatSendsNoKeyUp();
    void pasteSendsClipboardText();
    void pasteIsCappedAt10000();
    void leftClick();
    void rightAndMiddleClicks_data();
    void rightAndMiddleClicks();
    void doubleClick();
    void drag();
    void hoverMovesAreThrottled();
    void wheelAngleDelta();
    void wheelPixelDelta();
    void imeComposition();
    void letterboxClickIsIgnored();
    void zoomedClickMapsToPage();
    void nothingWhileInputDisabled();

private:
    std::unique_ptr<ScreencastViewFixture> m_f;
};

void TestScreencastView::init()
{
    m_f = std::make_unique<ScreencastViewFixture>();
    QVERIFY(m_f->setUp());
}

void TestScreencastView::cleanup()
{
    QVERIFY(m_f->allValid());
    m_f.reset();
}

void TestScreencastView::printableKey()
{
    QTest::keyClick(m_f->view.get(), 'a');
    const auto& e = m_f->events;
    QCOMPARE(typesOf(e), (std::vector{InputEventType::KeyDown, InputEventType::KeyPress, InputEventType::KeyUp}));
    QCOMPARE(e[0].key(), QStringLiteral("a"));
    QCOMPARE(e[0].code(), QStringLiteral("KeyA"));
    QCOMPARE(e[0].modifiers(), 0);
    QCOMPARE(e[1].key(), QStringLiteral("a"));
    QCOMPARE(e[2].key(), QStringLiteral("a"));
}

void TestScreencastView::shiftedKey()
{
    QTest::keyClick(m_f->view.get(), '!', Qt::ShiftModifier);
    const auto e = withoutModifierKeys(m_f->events);
    QCOMPARE(typesOf(e), (std::vector{InputEventType::KeyDown, InputEventType::KeyPress, InputEventType::KeyUp}));
    QCOMPARE(e[0].key(), QStringLiteral("!"));
    QCOMPARE(e[0].code(), QStringLiteral("Digit1"));
    QCOMPARE(e[0].modifiers(), InputEvent::ModifierShift);
    QVERIFY(e[0].shiftKey());
    QCOMPARE(e[1].key(), QStringLiteral("!"));
}

void TestScreencastView::ctrlShortcutStaysInTheView()
{
    // A window shortcut on Ctrl+A must not fire while the view has focus.
    bool shortcutFired = false;
    QAction selectAll;
    selectAll.setShortcut(QKeySequence(Qt::CTRL | Qt::Key_A));
    selectAll.setShortcutContext(Qt::ApplicationShortcut);
    connect(&selectAll, &QAction::triggered, this, [&] { shortcutFired = true; });
    m_f->view->addAction(&selectAll);

    QTest::keyClick(m_f->view.get(), Qt::Key_A, Qt::ControlModifier);
    QVERIFY(!shortcutFired);
    const auto e = withoutModifierKeys(m_f->events);
    QCOMPARE(typesOf(e), (std::vector{InputEventType::KeyDown, InputEventType::KeyUp}));
    QCOMPARE(e[0].key(), QStringLiteral("a"));
    QCOMPARE(e[0].code(), QStringLiteral("KeyA"));
    QCOMPARE(e[0].modifiers(), InputEvent::ModifierCtrl);
    QVERIFY(e[0].ctrlKey());
}

void TestScreencastView::namedKeys_data()
{
    QTest::addColumn<int>("qtKey");
    QTest::addColumn<int>("qtModifiers");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("modifiers");
    QTest::newRow("Enter") << int(Qt::Key_Return) << 0 << QStringLiteral("Enter") << QStringLiteral("Enter") << 0;
    QTest::newRow("Backspace") << int(Qt::Key_Backspace) << 0 << QStringLiteral("Backspace")
                               << QStringLiteral("Backspace") << 0;
    QTest::newRow("Delete") << int(Qt::Key_Delete) << 0 << QStringLiteral("Delete") << QStringLiteral("Delete") << 0;
    QTest::newRow("Escape") << int(Qt::Key_Escape) << 0 << QStringLiteral("Escape") << QStringLiteral("Escape") << 0;
    QTest::newRow("ArrowLeft") << int(Qt::Key_Left) << 0 << QStringLiteral("ArrowLeft")
                               << QStringLiteral("ArrowLeft") << 0;
    QTest::newRow("Shift+ArrowDown") << int(Qt::Key_Down) << int(Qt::ShiftModifier) << QStringLiteral("ArrowDown")
                                     << QStringLiteral("ArrowDown") << InputEvent::ModifierShift;
    QTest::newRow("Home") << int(Qt::Key_Home) << 0 << QStringLiteral("Home") << QStringLiteral("Home") << 0;
    QTest::newRow("PageDown") << int(Qt::Key_PageDown) << 0 << QStringLiteral("PageDown")
                              << QStringLiteral("PageDown") << 0;
    QTest::newRow("F5") << int(Qt::Key_F5) << 0 << QStringLiteral("F5") << QStringLiteral("F5") << 0;
    QTest::newRow("F12") << int(Qt::Key_F12) << 0 << QStringLiteral("F12") << QStringLiteral("F12") << 0;
    QTest::newRow("Alt+Ctrl+Delete") << int(Qt::Key_Delete) << int(Qt::AltModifier | Qt::ControlModifier)
                                     << QStringLiteral("Delete") << QStringLiteral("Delete")
                                     << (InputEvent::ModifierAlt | InputEvent::ModifierCtrl);
    QTest::newRow("Keypad Enter") << int(Qt::Key_Enter) << int(Qt::KeypadModifier) << QStringLiteral("Enter")
                                  << QStringLiteral("NumpadEnter") << 0;
}

void TestScreencastView::namedKeys()
{
    QFETCH(int, qtKey);
    QFETCH(int, qtModifiers);
    QFETCH(QString, key);
    QFETCH(QString, code);
    QFETCH(int, modifiers);
    QTest::keyClick(m_f->view.get(), Qt::Key(qtKey), Qt::KeyboardModifiers(qtModifiers));
    const auto e = withoutModifierKeys(m_f->events);
    QCOMPARE(typesOf(e), (std::vector{InputEventType::KeyDown, InputEventType::KeyUp}));
    QCOMPARE(e[0].key(), key);
    QCOMPARE(e[0].code(), code);
    QCOMPARE(e[0].modifiers(), modifiers);
    QCOMPARE(e[1].key(), key);
}

void TestScreencastView::tabKeepsFocus()
{
    QWidget other;
    other.setFocusPolicy(Qt::StrongFocus);
    QTest::keyClick(m_f->view.get(), Qt::Key_Tab);
    QTest::keyClick(m_f->view.get(), Qt::Key_Backtab, Qt::ShiftModifier);
    QVERIFY(m_f->view->hasFocus());
    const auto e = withoutModifierKeys(m_f->events);
    QCOMPARE(typesOf(e), (std::vector{InputEventType::KeyDown, InputEventType::KeyUp, InputEventType::KeyDown,
                                      InputEventType::KeyUp}));
    QCOMPARE(e[0].key(), QStringLiteral("Tab"));
    QCOMPARE(e[2].key(), QStringLiteral("Tab"));
    QCOMPARE(e[2].modifiers(), InputEvent::ModifierShift);
}

void TestScreencastView::f6MovesFocusOut()
{
    QWidget window;
    auto* button = new QPushButton(QStringLiteral("toolbar"), &window);
    auto* layout = new QVBoxLayout(&window);
    layout->addWidget(button);
    layout->addWidget(m_f->view.get());
    // The fixture owns the view: take it back out of the window whatever happens.
    const auto giveBack = qScopeGuard([this] { m_f->view->setParent(nullptr); });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QApplication::setActiveWindow(&window); // no window manager under Xvfb
    m_f->view->setFocus();
    QTRY_VERIFY(m_f->view->hasFocus());
    QTest::keyClick(m_f->view.get(), Qt::Key_F6);
    QVERIFY(!m_f->view->hasFocus());
    QVERIFY(button->hasFocus());
    QVERIFY(m_f->events.empty());
}

void TestScreencastView::autoRepeatSendsNoKeyUp()
{
    QTest::keyPress(m_f->view.get(), Qt::Key_Backspace);
    QKeyEvent repeatRelease(QEvent::KeyRelease, Qt::Key_Backspace, Qt::NoModifier, QString(), true);
    QApplication::sendEvent(m_f->view.get(), &repeatRelease);
    QKeyEvent repeatPress(QEvent::KeyPress, Qt::Key_Backspace, Qt::NoModifier, QString(), true);
    QApplication::sendEvent(m_f->view.get(), &repeatPress);
    QTest::keyRelease(m_f->view.get(), Qt::Key_Backspace);
    QCOMPARE(typesOf(m_f->events),
             (std::vector{InputEventType::KeyDown, InputEventType::KeyDown, InputEventType::KeyUp}));
}

void TestScreencastView::pasteSendsClipboardText()
{
    QGuiApplication::clipboard()->setText(QStringLiteral("12345\n"));
    QTest::keyClick(m_f->view.get(), Qt::Key_V, Qt::ControlModifier);
    const auto e = withoutModifierKeys(m_f->events);
    QCOMPARE(typesOf(e), std::vector{InputEventType::Paste});
    QCOMPARE(e[0].text(), QStringLiteral("12345\n"));
    auto* note = m_f->view->findChild<QLabel*>(QStringLiteral("note"));
    QVERIFY(note);
    QVERIFY(note->isVisible());
    QCOMPARE(note->text(), QStringLiteral("Pasted 6 characters"));
}

void TestScreencastView::pasteIsCappedAt10000()
{
    QGuiApplication::clipboard()->setText(QString(12'000, u'x'));
    QTest::keyClick(m_f->view.get(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(typesOf(withoutModifierKeys(m_f->events)), std::vector{InputEventType::Paste});
    QCOMPARE(withoutModifierKeys(m_f->events)[0].text().size(), 10'000);
    auto* note = m_f->view->findChild<QLabel*>(QStringLiteral("note"));
    QCOMPARE(note->text(), QStringLiteral("Pasted the first 10000 of 12000 characters"));
}

void TestScreencastView::leftClick()
{
    // 800x450 shows 1280x720: one view pixel is 1.6 CSS pixels.
    QTest::mouseClick(m_f->surface(), Qt::LeftButton, {}, QPoint(100, 50));
    const auto& e = m_f->events;
    QCOMPARE(typesOf(e), (std::vector{InputEventType::MouseDown, InputEventType::MouseUp}));
    QCOMPARE(e[0].x(), 160.0);
    QCOMPARE(e[0].y(), 80.0);
    QCOMPARE(e[0].button(), MouseButton::Left);
    QCOMPARE(e[0].buttons(), InputEvent::ButtonsLeft);
    QCOMPARE(e[1].button(), MouseButton::Left);
    QCOMPARE(e[1].buttons(), 0);
    QVERIFY(m_f->view->hasFocus());
}

void TestScreencastView::rightAndMiddleClicks_data()
{
    QTest::addColumn<int>("qtButton");
    QTest::addColumn<MouseButton>("button");
    QTest::addColumn<int>("buttons");
    QTest::newRow("right") << int(Qt::RightButton) << MouseButton::Right << InputEvent::ButtonsRight;
    QTest::newRow("middle") << int(Qt::MiddleButton) << MouseButton::Middle << InputEvent::ButtonsMiddle;
}

void TestScreencastView::rightAndMiddleClicks()
{
    QFETCH(int, qtButton);
    QFETCH(MouseButton, button);
    QFETCH(int, buttons);
    QTest::mouseClick(m_f->surface(), Qt::MouseButton(qtButton), {}, QPoint(400, 225));
    const auto& e = m_f->events;
    QCOMPARE(typesOf(e), (std::vector{InputEventType::MouseDown, InputEventType::MouseUp}));
    QCOMPARE(e[0].button(), button);
    QCOMPARE(e[0].buttons(), buttons);
    QCOMPARE(e[0].x(), 640.0);
    QCOMPARE(e[0].y(), 360.0);
}

void TestScreencastView::doubleClick()
{
    QTest::mouseDClick(m_f->surface(), Qt::LeftButton, {}, QPoint(50, 50));
    std::vector<InputEventType> types = typesOf(m_f->events);
    // QTest may or may not precede the double click with a press/release pair.
    QVERIFY(!types.empty());
    QCOMPARE(types.back(), InputEventType::DblClick);
    const InputEvent& dbl = m_f->events.back();
    QCOMPARE(dbl.x(), 80.0);
    QCOMPARE(dbl.y(), 80.0);
    QCOMPARE(dbl.clickCount(), 2);
    QCOMPARE(dbl.button(), MouseButton::Left);
    // The release that ends the double click is covered by the dblclick itself.
    QCOMPARE(std::count(types.begin(), types.end(), InputEventType::MouseUp),
             std::count(types.begin(), types.end(), InputEventType::MouseDown));
}

void TestScreencastView::drag()
{
    QTest::mousePress(m_f->surface(), Qt::LeftButton, {}, QPoint(100, 100));
    QTest::mouseMove(m_f->surface(), QPoint(200, 150));
    QTest::qWait(2 * handoff::ui::ScreencastView::MoveIntervalMs);
    QTest::mouseMove(m_f->surface(), QPoint(300, 200));
    QTest::qWait(2 * handoff::ui::ScreencastView::MoveIntervalMs);
    QTest::mouseRelease(m_f->surface(), Qt::LeftButton, {}, QPoint(300, 200));
    const auto& e = m_f->events;
    QCOMPARE(typesOf(e), (std::vector{InputEventType::MouseDown, InputEventType::MouseMove,
                                      InputEventType::MouseMove, InputEventType::MouseUp}));
    QCOMPARE(e[1].x(), 320.0);
    QCOMPARE(e[1].y(), 240.0);
    QCOMPARE(e[1].buttons(), InputEvent::ButtonsLeft);
    QCOMPARE(e[1].button(), MouseButton::Left);
    QCOMPARE(e[3].x(), 480.0);
    QCOMPARE(e[3].y(), 320.0);
}

void TestScreencastView::hoverMovesAreThrottled()
{
    constexpr int Interval = handoff::ui::ScreencastView::MoveIntervalMs;
    // Counted from here to the moment the last position has gone out: a loaded
    // machine may deliver the moves late, and the X server's own pointer may have
    // sent a move (and started the interval) before the clock started.
    const size_t before = m_f->events.size();
    QElapsedTimer clock;
    clock.start();
    for (int i = 1; i <= 20; ++i)
        QTest::mouseMove(m_f->surface(), QPoint(10 + i * 10, 100));
    // The newest position is the one sent when the interval ends.
    QTRY_COMPARE(m_f->events.back().x(), 210 * 1.6);
    const qint64 elapsed = clock.elapsed();
    // A move goes at once when no interval is running; every other one waits for
    // the interval to end (a coarse timer ends it up to 5% early).
    const size_t sent = m_f->events.size() - before;
    QVERIFY2(sent >= 1 && sent <= size_t(1 + elapsed / (Interval * 0.95)),
             qPrintable(QStringLiteral("%1 moves sent in %2 ms").arg(sent).arg(elapsed)));
    // Nothing is left to send once the last position went.
    QTest::qWait(3 * Interval);
    QCOMPARE(m_f->events.size(), before + sent);
    for (const auto& e : m_f->events) {
        QCOMPARE(e.type(), InputEventType::MouseMove);
        QCOMPARE(e.buttons(), 0);
    }
}

void TestScreencastView::wheelAngleDelta()
{
    const QPointF pos(400, 225);
    QWheelEvent wheel(pos, m_f->surface()->mapToGlobal(pos), QPoint(), QPoint(0, -240), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_f->surface(), &wheel);
    const auto& e = m_f->events;
    QCOMPARE(typesOf(e), std::vector{InputEventType::Scroll});
    QCOMPARE(e[0].x(), 640.0);
    QCOMPARE(e[0].y(), 360.0);
    QCOMPARE(e[0].deltaX(), 0.0);
    QCOMPARE(e[0].deltaY(), 200.0); // two notches down
}

void TestScreencastView::wheelPixelDelta()
{
    const QPointF pos(400, 225);
    QWheelEvent wheel(pos, m_f->surface()->mapToGlobal(pos), QPoint(-10, 25), QPoint(-10, 25), Qt::NoButton,
                      Qt::NoModifier, Qt::ScrollUpdate, false);
    QApplication::sendEvent(m_f->surface(), &wheel);
    const auto& e = m_f->events;
    QCOMPARE(typesOf(e), std::vector{InputEventType::Scroll});
    QCOMPARE(e[0].deltaX(), 16.0);  // 10 view pixels are 16 CSS pixels, direction reversed
    QCOMPARE(e[0].deltaY(), -40.0); // content moved down: the page scrolls up
}

void TestScreencastView::imeComposition()
{
    QList<QInputMethodEvent::Attribute> attributes{{QInputMethodEvent::Cursor, 2, 1, QVariant()}};
    QInputMethodEvent preedit(QStringLiteral("にほ"), attributes);
    QApplication::sendEvent(m_f->view.get(), &preedit);
    QInputMethodEvent commit;
    commit.setCommitString(QStringLiteral("日本"));
    QApplication::sendEvent(m_f->view.get(), &commit);
    const auto& e = m_f->events;
    QCOMPARE(typesOf(e), (std::vector{InputEventType::Ime, InputEventType::Ime}));
    QCOMPARE(e[0].text(), QStringLiteral("にほ"));
    QVERIFY(!e[0].commit());
    QCOMPARE(e[0].selectionStart(), 2);
    QCOMPARE(e[1].text(), QStringLiteral("日本"));
    QVERIFY(e[1].commit());
    QVERIFY(m_f->view->inputMethodQuery(Qt::ImEnabled).toBool());
    QVERIFY(m_f->view->inputMethodQuery(Qt::ImHints).toInt() & Qt::ImhSensitiveData);
}

void TestScreencastView::letterboxClickIsIgnored()
{
    m_f->view->resize(1000, 450); // 1280x720 at 0.625 is 800 wide: 100-pixel bars left and right
    QTest::mouseClick(m_f->surface(), Qt::LeftButton, {}, QPoint(50, 200));
    QVERIFY(m_f->events.empty());
    QTest::mouseClick(m_f->surface(), Qt::LeftButton, {}, QPoint(100, 0));
    QCOMPARE(typesOf(m_f->events), (std::vector{InputEventType::MouseDown, InputEventType::MouseUp}));
    QCOMPARE(m_f->events[0].x(), 0.0);
    QCOMPARE(m_f->events[0].y(), 0.0);
}

void TestScreencastView::zoomedClickMapsToPage()
{
    m_f->view->setZoom(2.0);
    QCOMPARE(m_f->view->effectiveZoom(), 2.0);
    QTest::mouseClick(m_f->surface(), Qt::LeftButton, {}, QPoint(100, 60));
    QCOMPARE(m_f->events.size(), size_t(2));
    QCOMPARE(m_f->events[0].x(), 50.0);
    QCOMPARE(m_f->events[0].y(), 30.0);
    m_f->view->zoomIn();
    QCOMPARE(m_f->view->zoom(), std::optional<double>(2.5));
    m_f->view->zoomToFit();
    QVERIFY(!m_f->view->zoom().has_value());
}

void TestScreencastView::nothingWhileInputDisabled()
{
    m_f->view->setInputEnabled(false);
    QTest::keyClick(m_f->view.get(), 'a');
    QTest::keyClick(m_f->view.get(), Qt::Key_Tab);
    QTest::mouseClick(m_f->surface(), Qt::LeftButton, {}, QPoint(100, 50));
    QTest::mouseMove(m_f->surface(), QPoint(120, 60));
    QGuiApplication::clipboard()->setText(QStringLiteral("secret"));
    QTest::keyClick(m_f->view.get(), Qt::Key_V, Qt::ControlModifier);
    QTest::qWait(50);
    QVERIFY(m_f->events.empty());
}

QTEST_MAIN(TestScreencastView)
#include "tst_ScreencastView.moc"
