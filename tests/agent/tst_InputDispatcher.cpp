// InputDispatcher against a real headless Chromium: typing with Backspace
// corrections, Tab between fields, Enter submitting a form, paste, clicks that
// focus, shortcuts, IME, mouse buttons, drags, the wheel, history and reload;
// and the validation and rate limits that keep content out of the logs.

#include "agent/cdp/CdpClient.h"
#include "agent/input/InputDispatcher.h"
#include "core/protocol/InputEvent.h"
#include "core/protocol/V1InputJson.h"
#include "tests/agent/CdpTestUtil.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPageServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace handoff::agent;
using handoff::protocol::InputEvent;
using handoff::protocol::MouseButton;
using handoff::test::ChromiumProcess;
using handoff::test::TestPageServer;

namespace {

constexpr int Ctrl = 2;
constexpr int Meta = 4;
constexpr int Shift = 8;

const QByteArray FormPage = R"(<!doctype html>
<html><head><title>form</title><style>
 body { margin: 0; font: 16px sans-serif; }
 input, textarea { display: block; width: 300px; height: 30px; margin: 10px; }
 #tall { height: 3000px; }
</style></head><body>
<form id="f" action="/submitted" method="post">
  <input id="user" name="user" autocomplete="off">
  <input id="pass" name="pass" type="password" autocomplete="off">
  <input id="code" name="code" autocomplete="off">
  <button id="go" type="submit">Sign in</button>
</form>
<textarea id="area"></textarea>
<div id="pad" style="width:300px;height:100px;margin:10px;background:#ccc"></div>
<div id="tall"></div>
<script>
  window.log = [];
  const pad = document.getElementById('pad');
  for (const t of ['mousedown', 'mouseup', 'click', 'dblclick', 'contextmenu', 'auxclick']) {
    pad.addEventListener(t, e => { log.push(t + ':' + e.button + ':' + e.detail); if (t === 'contextmenu') e.preventDefault(); });
  }
  pad.addEventListener('mousemove', e => { if (e.buttons) log.push('drag:' + e.buttons); });
  document.addEventListener('keydown', e => log.push('keydown:' + e.key + ':' + e.code + ':' + e.keyCode + ':' + e.location));
  document.addEventListener('keypress', e => log.push('keypress:' + e.key));
  document.addEventListener('compositionend', e => log.push('compositionend:' + e.data));
</script>
</body></html>)";

} // namespace

class TestInputDispatcher final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void signInFormWithCorrectionsTabPasteAndEnter();
    void viewerWithoutKeypressStillTypes();
    void versionOneAppInput();
    void shiftArrowsDeleteAndHome();
    void numpadDigits();
    void ctrlAndMetaShortcuts();
    void imeComposition();
    void mouseButtonsAndClickCounts();
    void dragCarriesButtons();
    void wheelScrolls();
    void backForwardAndReload();
    void invalidEventsAreRejectedWithoutContent();
    void rateLimits();
    void outcomes();

private:
    QRect elementRect(const QString& id);
    void clickOn(const QString& id);
    void type(const QString& text, bool withKeyPress = true);
    void press(const QString& key, const QString& code, int modifiers = 0);
    void handle(const InputEvent& event);
    QString valueOf(const QString& id);
    bool waitForValue(const QString& id, const QString& value);

    std::unique_ptr<ChromiumProcess> m_chromium;
    TestPageServer m_pages;
    std::unique_ptr<CdpClient> m_cdp;
    std::unique_ptr<InputDispatcher> m_input;
};

void TestInputDispatcher::initTestCase()
{
    if (ChromiumProcess::executable().isEmpty()) {
        QSKIP("no Chromium executable on this machine");
    }
    QVERIFY(m_pages.listen());
    m_pages.setPage("/form", FormPage);
    m_pages.setPage("/submitted", "<html><head><title>submitted</title></head><body>ok</body></html>");
    m_pages.setPage("/a", "<html><head><title>page a</title></head><body>a</body></html>");
    m_pages.setPage("/b", "<html><head><title>page b</title></head><body>b</body></html>");
    m_chromium = std::make_unique<ChromiumProcess>();
    QVERIFY2(m_chromium->start(m_pages.url(QStringLiteral("/a"))), qPrintable(m_chromium->errorString()));
}

void TestInputDispatcher::init()
{
    m_cdp = std::make_unique<CdpClient>();
    QVERIFY(testutil::connectClient(*m_cdp, m_chromium->httpEndpoint()));
    m_input = std::make_unique<InputDispatcher>(m_cdp.get());
    QVERIFY(testutil::navigate(*m_cdp, m_pages.url(QStringLiteral("/form"))));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.readyState === 'complete'")));
}

void TestInputDispatcher::cleanup()
{
    m_input.reset();
    m_cdp.reset();
}

void TestInputDispatcher::cleanupTestCase()
{
    m_chromium.reset();
}

void TestInputDispatcher::handle(const InputEvent& event)
{
    // Keep below the protocol's 30 keystrokes / 10 clicks per second.
    QTest::qWait(event.category() == handoff::protocol::InputEventCategory::Keyboard ? 36 : 5);
    QCOMPARE(m_input->handle(event), InputDispatcher::Outcome::Dispatched);
}

QRect TestInputDispatcher::elementRect(const QString& id)
{
    const QJsonValue r = testutil::evaluate(
        *m_cdp, QStringLiteral("(() => { const r = document.getElementById('%1').getBoundingClientRect();"
                               " return [r.x, r.y, r.width, r.height]; })()")
                    .arg(id));
    const QJsonArray a = r.toArray();
    return QRect(a.at(0).toInt(), a.at(1).toInt(), a.at(2).toInt(), a.at(3).toInt());
}

void TestInputDispatcher::clickOn(const QString& id)
{
    const QRect rect = elementRect(id);
    handle(InputEvent::click(rect.center().x(), rect.center().y()));
}

void TestInputDispatcher::press(const QString& key, const QString& code, int modifiers)
{
    handle(InputEvent::keyDown(key, code, modifiers));
    handle(InputEvent::keyUp(key, code, modifiers));
}

// Types like a viewer would: keydown, keypress (unless told not to), keyup.
void TestInputDispatcher::type(const QString& text, bool withKeyPress)
{
    for (const QChar c : text) {
        const QString key(c);
        const auto* def = KeyTable::byKey(key);
        const QString code = def ? def->code : QString();
        const int modifiers = (def && def->shiftKey == key && def->key != key) ? Shift : 0;
        handle(InputEvent::keyDown(key, code, modifiers));
        if (withKeyPress) {
            handle(InputEvent::keyPress(key));
        }
        handle(InputEvent::keyUp(key, code, modifiers));
    }
}

QString TestInputDispatcher::valueOf(const QString& id)
{
    return testutil::evaluate(*m_cdp, QStringLiteral("document.getElementById('%1').value").arg(id)).toString();
}

bool TestInputDispatcher::waitForValue(const QString& id, const QString& value)
{
    const QString expression = QStringLiteral("document.getElementById('%1').value === %2")
                                   .arg(id, QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1));
    const bool ok = testutil::waitForTrue(*m_cdp, expression, 5000);
    if (!ok) {
        qWarning().noquote() << "value of" << id << "is" << valueOf(id);
    }
    return ok;
}

void TestInputDispatcher::signInFormWithCorrectionsTabPasteAndEnter()
{
    const qsizetype requestsBefore = m_pages.requests().size();
    // A click focuses the user name field.
    clickOn(QStringLiteral("user"));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.activeElement.id === 'user'")));

    type(QStringLiteral("alicx"));
    press(QStringLiteral("Backspace"), QStringLiteral("Backspace"));
    type(QStringLiteral("e"));
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("alice")));

    // Tab moves focus to the password field.
    press(QStringLiteral("Tab"), QStringLiteral("Tab"));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.activeElement.id === 'pass'")));
    type(QStringLiteral("Hunter#3x"));
    press(QStringLiteral("Backspace"), QStringLiteral("Backspace"));
    press(QStringLiteral("Backspace"), QStringLiteral("Backspace"));
    type(QStringLiteral("2!"));
    QVERIFY(waitForValue(QStringLiteral("pass"), QStringLiteral("Hunter#2!")));

    // Tab again, then the one-time code by paste.
    press(QStringLiteral("Tab"), QStringLiteral("Tab"));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.activeElement.id === 'code'")));
    handle(InputEvent::paste(QStringLiteral("123456")));
    QVERIFY(waitForValue(QStringLiteral("code"), QStringLiteral("123456")));

    // Enter submits the form.
    press(QStringLiteral("Enter"), QStringLiteral("Enter"));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.title === 'submitted'")));
    QTRY_VERIFY(m_pages.requests().size() > requestsBefore);
    const auto post = std::find_if(m_pages.requests().cbegin() + requestsBefore, m_pages.requests().cend(),
                                   [](const handoff::test::RecordedRequest& r) { return r.method == "POST"; });
    QVERIFY(post != m_pages.requests().cend());
    QCOMPARE(post->path, QByteArray("/submitted"));
    QCOMPARE(post->body, QByteArray("user=alice&pass=Hunter%232%21&code=123456"));
}

void TestInputDispatcher::viewerWithoutKeypressStillTypes()
{
    clickOn(QStringLiteral("user"));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.activeElement.id === 'user'")));
    type(QStringLiteral("Bob 42"), false);
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("Bob 42")));
    // Exactly one keypress per character: nothing typed twice.
    QCOMPARE(testutil::evaluate(*m_cdp, QStringLiteral("log.filter(e => e.startsWith('keypress:')).length")).toInt(), 6);
    // A keydown followed directly by the next keydown (key rollover) still types both.
    handle(InputEvent::keyDown(QStringLiteral("x"), QStringLiteral("KeyX")));
    handle(InputEvent::keyDown(QStringLiteral("y"), QStringLiteral("KeyY")));
    handle(InputEvent::keyUp(QStringLiteral("x"), QStringLiteral("KeyX")));
    handle(InputEvent::keyUp(QStringLiteral("y"), QStringLiteral("KeyY")));
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("Bob 42xy")));
}

// What the app sends in version 1 (V1InputJson, the form of AuthLoop's viewer):
// click {x, y, button}, keypress + keyup for characters (no keydown, no
// "modifiers"), and keydown Enter + keypress "\r" + keyup. Each character is
// typed once with its keydown, and Enter submits the form exactly once.
void TestInputDispatcher::versionOneAppInput()
{
    // Submits are counted here instead of leaving the page.
    testutil::evaluate(*m_cdp,
                       QStringLiteral("window.submits = 0; document.getElementById('f').addEventListener("
                                      "'submit', e => { e.preventDefault(); submits++; }); true"));
    const auto send = [this](const InputEvent& event) {
        QTest::qWait(36);
        QCOMPARE(m_input->handleJson(handoff::protocol::V1InputJson::serialize(event)),
                 InputDispatcher::Outcome::Dispatched);
    };
    const QRect user = elementRect(QStringLiteral("user"));
    send(InputEvent::click(user.center().x() + 0.4, user.center().y()));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.activeElement.id === 'user'")));
    for (const QString& key : { QStringLiteral("B"), QStringLiteral("o"), QStringLiteral("b") }) {
        const QString code = QStringLiteral("Key") + key.toUpper();
        const int modifiers = key == key.toUpper() ? Shift : 0;
        send(InputEvent::keyPress(key, code, modifiers));
        send(InputEvent::keyUp(key, code, modifiers));
    }
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("Bob")));
    QVERIFY(testutil::evaluate(*m_cdp, QStringLiteral("log.includes('keydown:B:KeyB:66:0')")).toBool());
    send(InputEvent::keyDown(QStringLiteral("Enter"), QStringLiteral("Enter")));
    send(InputEvent::keyPress(QStringLiteral("\r"), QStringLiteral("Enter"), 0));
    send(InputEvent::keyUp(QStringLiteral("Enter"), QStringLiteral("Enter")));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("submits === 1")));
    // A character typed after Enter shows that everything before it was replayed.
    send(InputEvent::keyPress(QStringLiteral("!"), QStringLiteral("Digit1"), Shift));
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("Bob!")));
    QCOMPARE(testutil::evaluate(*m_cdp, QStringLiteral("submits")).toInt(), 1);
    QCOMPARE(testutil::evaluate(*m_cdp, QStringLiteral("log.filter(e => e === 'keypress:Enter').length")).toInt(), 1);
}

void TestInputDispatcher::shiftArrowsDeleteAndHome()
{
    clickOn(QStringLiteral("user"));
    type(QStringLiteral("abcdef"));
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("abcdef")));
    press(QStringLiteral("ArrowLeft"), QStringLiteral("ArrowLeft"));
    press(QStringLiteral("ArrowLeft"), QStringLiteral("ArrowLeft"));
    press(QStringLiteral("Backspace"), QStringLiteral("Backspace")); // removes d
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("abcef")));
    press(QStringLiteral("Home"), QStringLiteral("Home"));
    press(QStringLiteral("Delete"), QStringLiteral("Delete")); // removes a
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("bcef")));
    press(QStringLiteral("End"), QStringLiteral("End"));
    type(QStringLiteral("Z"));
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("bcefZ")));
    // The page sees the key codes a real keyboard gives.
    QVERIFY(testutil::evaluate(*m_cdp, QStringLiteral("log.includes('keydown:Backspace:Backspace:8:0')")).toBool());
    QVERIFY(testutil::evaluate(*m_cdp, QStringLiteral("log.includes('keydown:Delete:Delete:46:0')")).toBool());
    QVERIFY(testutil::evaluate(*m_cdp, QStringLiteral("log.includes('keydown:ArrowLeft:ArrowLeft:37:0')")).toBool());
    QVERIFY(testutil::evaluate(*m_cdp, QStringLiteral("log.includes('keydown:Z:KeyZ:90:0')")).toBool());
}

void TestInputDispatcher::numpadDigits()
{
    clickOn(QStringLiteral("code"));
    for (int d : {4, 0, 7}) {
        const QString key = QString::number(d);
        const QString code = QStringLiteral("Numpad") + key;
        handle(InputEvent::keyDown(key, code));
        handle(InputEvent::keyPress(key));
        handle(InputEvent::keyUp(key, code));
    }
    QVERIFY(waitForValue(QStringLiteral("code"), QStringLiteral("407")));
    QVERIFY(testutil::evaluate(*m_cdp, QStringLiteral("log.includes('keydown:4:Numpad4:100:3')")).toBool());
}

void TestInputDispatcher::ctrlAndMetaShortcuts()
{
    clickOn(QStringLiteral("user"));
    type(QStringLiteral("wrong"));
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("wrong")));
    // Ctrl+A selects all (Blink's own key binding), Backspace clears; Ctrl+A typed no "a".
    handle(InputEvent::keyDown(QStringLiteral("Control"), QStringLiteral("ControlLeft"), Ctrl));
    press(QStringLiteral("a"), QStringLiteral("KeyA"), Ctrl);
    handle(InputEvent::keyUp(QStringLiteral("Control"), QStringLiteral("ControlLeft"), 0));
    press(QStringLiteral("Backspace"), QStringLiteral("Backspace"));
    QVERIFY(waitForValue(QStringLiteral("user"), QString()));

    // Meta+A from a macOS viewer selects all through the editing command.
    type(QStringLiteral("again"));
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("again")));
    press(QStringLiteral("a"), QStringLiteral("KeyA"), Meta);
    type(QStringLiteral("x"));
    QVERIFY(waitForValue(QStringLiteral("user"), QStringLiteral("x")));
}

void TestInputDispatcher::imeComposition()
{
    clickOn(QStringLiteral("area"));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.activeElement.id === 'area'")));
    handle(InputEvent::ime(QStringLiteral("nihon"), false));
    QVERIFY(waitForValue(QStringLiteral("area"), QStringLiteral("nihon")));
    handle(InputEvent::ime(QString::fromUtf8("にほん"), false, 3, 3));
    QVERIFY(waitForValue(QStringLiteral("area"), QString::fromUtf8("にほん")));
    handle(InputEvent::ime(QString::fromUtf8("日本"), true));
    QVERIFY(waitForValue(QStringLiteral("area"), QString::fromUtf8("日本")));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("log.some(e => e.startsWith('compositionend:'))")));
}

void TestInputDispatcher::mouseButtonsAndClickCounts()
{
    const QPoint c = elementRect(QStringLiteral("pad")).center();
    handle(InputEvent::click(c.x(), c.y()));
    handle(InputEvent::click(c.x(), c.y(), MouseButton::Left, 2));
    handle(InputEvent::doubleClick(c.x(), c.y()));
    handle(InputEvent::click(c.x(), c.y(), MouseButton::Right));
    handle(InputEvent::click(c.x(), c.y(), MouseButton::Middle));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("log.includes('auxclick:1:1')")));
    const QJsonArray log = testutil::evaluate(*m_cdp, QStringLiteral("log")).toArray();
    QStringList got;
    for (const QJsonValue& v : log) {
        got << v.toString();
    }
    QVERIFY2(got.contains(QStringLiteral("click:0:1")), qPrintable(got.join(u' ')));
    QVERIFY2(got.contains(QStringLiteral("click:0:2")), qPrintable(got.join(u' ')));
    QVERIFY2(got.contains(QStringLiteral("dblclick:0:2")), qPrintable(got.join(u' ')));
    QVERIFY2(got.contains(QStringLiteral("contextmenu:2:0")), qPrintable(got.join(u' ')));
    QVERIFY2(got.contains(QStringLiteral("mousedown:1:1")), qPrintable(got.join(u' ')));
}

void TestInputDispatcher::dragCarriesButtons()
{
    const QRect pad = elementRect(QStringLiteral("pad"));
    const int y = pad.center().y();
    handle(InputEvent::mouseMove(pad.left() + 10, y));
    handle(InputEvent::mouseDown(pad.left() + 10, y));
    // Blink coalesces moves within one animation frame: leave a frame between them.
    QTest::qWait(100);
    handle(InputEvent::mouseMove(pad.left() + 50, y)); // buttons from the press
    QTest::qWait(100);
    handle(InputEvent::mouseMove(pad.left() + 90, y, MouseButton::None, 1)); // buttons given
    QTest::qWait(100);
    handle(InputEvent::mouseUp(pad.left() + 90, y));
    QTest::qWait(100);
    handle(InputEvent::mouseMove(pad.left() + 120, y)); // no button held any more
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("log.includes('mouseup:0:1')")));
    QCOMPARE(testutil::evaluate(*m_cdp, QStringLiteral("log.filter(e => e === 'drag:1').length")).toInt(), 2);
}

void TestInputDispatcher::wheelScrolls()
{
    QCOMPARE(testutil::evaluate(*m_cdp, QStringLiteral("window.scrollY")).toInt(), 0);
    handle(InputEvent::scroll(200, 200, 0, 600));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("window.scrollY >= 500")));
    handle(InputEvent::scroll(200, 200, 0, -600));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("window.scrollY === 0")));
}

void TestInputDispatcher::backForwardAndReload()
{
    QVERIFY(testutil::navigate(*m_cdp, m_pages.url(QStringLiteral("/a"))));
    QVERIFY(testutil::navigate(*m_cdp, m_pages.url(QStringLiteral("/b"))));
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.title === 'page b'")));
    handle(InputEvent::back());
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.title === 'page a'")));
    handle(InputEvent::forward());
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("document.title === 'page b'")));
    // Forward at the end of the history does nothing.
    handle(InputEvent::forward());
    QTest::qWait(300);
    QVERIFY(testutil::evaluate(*m_cdp, QStringLiteral("document.title === 'page b'")).toBool());

    QVERIFY(testutil::evaluate(*m_cdp, QStringLiteral("window.marker = 1")).toInt() == 1);
    handle(InputEvent::reload());
    QVERIFY(testutil::waitForTrue(*m_cdp, QStringLiteral("window.marker === undefined && document.readyState === 'complete'")));
}

void TestInputDispatcher::invalidEventsAreRejectedWithoutContent()
{
    QSignalSpy rejected(m_input.get(), &InputDispatcher::eventRejected);
    QSignalSpy written(m_cdp.get(), &CdpClient::commandWritten);
    const QList<QByteArray> bad = {
        R"({"type":"click","x":-1,"y":5})",
        R"({"type":"click","x":10001,"y":5})",
        R"({"type":"click","x":"1","y":5})",
        R"({"type":"keydown","key":"ThisKeyNameIsFarTooLongToBeReal","code":"KeyA","modifiers":0,"altKey":false,"ctrlKey":false,"metaKey":false,"shiftKey":false})",
        R"({"type":"keypress","key":"secret"})",
        R"({"type":"launch_missiles"})",
        R"({"x":1})",
        R"(not json at all)",
        R"([1,2,3])",
        R"({"type":"paste"})",
        R"({"type":"scroll","x":1,"y":1,"deltaX":1e999,"deltaY":0})",
    };
    for (const QByteArray& json : bad) {
        QCOMPARE(m_input->handleJson(json), InputDispatcher::Outcome::Rejected);
    }
    QCOMPARE(rejected.size(), bad.size());
    QCOMPARE(m_input->rejectedCount(), quint64(bad.size()));
    QCOMPARE(written.size(), 0);
    for (const QList<QVariant>& args : std::as_const(rejected)) {
        const QString all = args.at(0).toString() + u' ' + args.at(1).toString();
        QVERIFY2(!all.contains(QStringLiteral("secret")) && !all.contains(QStringLiteral("launch_missiles"))
                     && !all.contains(QStringLiteral("ThisKeyName")),
                 qPrintable(all));
    }
    // A valid event still goes through afterwards.
    QCOMPARE(m_input->handleJson(R"({"type":"paste","text":"ok"})"), InputDispatcher::Outcome::Dispatched);
}

void TestInputDispatcher::rateLimits()
{
    QSignalSpy rejected(m_input.get(), &InputDispatcher::eventRejected);
    int allowed = 0;
    for (int i = 0; i < 40; ++i) {
        if (m_input->handle(InputEvent::keyDown(QStringLiteral("a"), QStringLiteral("KeyA")))
            == InputDispatcher::Outcome::Dispatched) {
            ++allowed;
        }
    }
    QCOMPARE(allowed, 30);
    QCOMPARE(rejected.size(), 10);
    QCOMPARE(rejected.at(0).at(0).toString(), QStringLiteral("keydown"));
    QCOMPARE(rejected.at(0).at(1).toString(), QStringLiteral("too_many_keystrokes"));

    int clicks = 0;
    for (int i = 0; i < 15; ++i) {
        if (m_input->handle(InputEvent::click(5, 5)) == InputDispatcher::Outcome::Dispatched) {
            ++clicks;
        }
    }
    QCOMPARE(clicks, 10);
    QCOMPARE(rejected.last().at(1).toString(), QStringLiteral("too_many_clicks"));
}

void TestInputDispatcher::outcomes()
{
    QSignalSpy outcome(m_input.get(), &InputDispatcher::outcomeRequested);
    QCOMPARE(m_input->handleJson(R"({"type":"resolved"})"), InputDispatcher::Outcome::Resolved);
    QCOMPARE(m_input->handle(InputEvent::cancelled()), InputDispatcher::Outcome::Cancelled);
    QCOMPARE(outcome.size(), 2);
    QCOMPARE(outcome.at(0).at(0).toBool(), true);
    QCOMPARE(outcome.at(1).at(0).toBool(), false);
}

QTEST_GUILESS_MAIN(TestInputDispatcher)
#include "tst_InputDispatcher.moc"
