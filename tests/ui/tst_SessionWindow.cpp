// SessionWindow with a real ViewerSession against the scripted relay and agent:
// the version-1 warning, the key-mismatch explanation, the SAS panel, no input
// before the channel is ready, and typed keys reaching the agent decrypted.

#include "core/protocol/SessionLinkParser.h"
#include "tests/ui/ScriptedAgentRelay.h"
#include "ui/ScreencastView.h"
#include "ui/SessionWindow.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QStackedWidget>
#include <QTest>

using handoff::protocol::InputEventType;
using handoff::protocol::SessionLinkParser;
using handoff::session::ViewerSession;
using handoff::test::ScriptedAgentRelay;
using handoff::ui::ScreencastView;
using handoff::ui::SessionWindow;
using State = ViewerSession::State;

namespace {

constexpr int Timeout = 10000;

// A shown window on a session of `relay`; the window owns (and deletes) the session.
QPointer<SessionWindow> openWindow(const ScriptedAgentRelay& relay, bool start = true)
{
    auto link = SessionLinkParser::parse(relay.link());
    if (!link)
        qFatal("bad link");
    ViewerSession::Options options;
    options.reconnectInitialDelay = std::chrono::milliseconds(20);
    auto* window = new SessionWindow(new ViewerSession(*link, options));
    window->show();
    if (start)
        window->session()->start();
    return window;
}

template <typename T>
T* child(QWidget* window, const char* name)
{
    return window->findChild<T*>(QString::fromLatin1(name));
}

} // namespace

class TestSessionWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void showsSessionInfoAndLock();
    void noInputBeforeTheChannelIsReady();
    void typedKeysReachTheAgent();
    void version1WarningIsShown();
    void keyMismatchIsExplained();
    void sasPanelGatesInput();
    void doneResolvesAndTheWindowCloses();
    void endPageShowsItsWholeMessage_data();
    void endPageShowsItsWholeMessage();
    void headerIsPlainText();
    void headerShowsTheAgentsWords();

private:
    QPointer<SessionWindow> m_window;
};

void TestSessionWindow::cleanup()
{
    delete m_window.data();
}

void TestSessionWindow::showsSessionInfoAndLock()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), State::Ready, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(m_window, "service")->text(), QStringLiteral("Demo Bank"), Timeout);
    QVERIFY(child<QLabel>(m_window, "blocker")->text().contains(QStringLiteral("One-time code")));
    QVERIFY(child<QLabel>(m_window, "blocker")->text().contains(QStringLiteral("phone")));
    QCOMPARE(child<QLabel>(m_window, "connection")->text(), QStringLiteral("Connected"));
    QVERIFY(child<QLabel>(m_window, "timeLeft")->text().endsWith(QStringLiteral("left")));
    QCOMPARE(child<QLabel>(m_window, "security")->text(), QStringLiteral("End-to-end encrypted, key verified"));
    QVERIFY(child<QLabel>(m_window, "securityIcon")->isVisible());
    QVERIFY(!child<QWidget>(m_window, "v1Warning")->isVisible());
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("Demo Bank")));
    // Toolbar controls have accessible names or text a screen reader can read.
    QVERIFY(!child<QPushButton>(m_window, "done")->accessibleName().isEmpty());
    QVERIFY(!child<QPushButton>(m_window, "cancel")->accessibleName().isEmpty());
    QVERIFY(child<QPushButton>(m_window, "done")->isEnabled());
}

void TestSessionWindow::noInputBeforeTheChannelIsReady()
{
    ScriptedAgentRelay::Options options;
    options.sendReady = false;
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    QTRY_COMPARE_WITH_TIMEOUT(relay.viewerKeys, 1, Timeout);
    ScreencastView* view = m_window->view();
    QVERIFY(!view->isInputEnabled());
    QVERIFY(!child<QPushButton>(m_window, "done")->isEnabled());
    view->setFocus();
    QTest::keyClicks(view, QStringLiteral("hunter2"));
    QTest::keyClick(view, Qt::Key_Return);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(20, 20));
    QTest::qWait(300);
    QVERIFY(relay.inputs.empty());
    QCOMPARE(m_window->session()->state(), State::Handshaking);
    // No lock before the agent proved it holds the key the link names.
    QCOMPARE(child<QLabel>(m_window, "security")->text(), QStringLiteral("Checking the agent's key…"));
    QVERIFY(!child<QLabel>(m_window, "securityIcon")->isVisible());
}

void TestSessionWindow::typedKeysReachTheAgent()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), State::Ready, Timeout);
    QImage frame(1280, 720, QImage::Format_RGB32);
    frame.fill(Qt::white);
    QVERIFY(relay.sendFrame(frame));
    ScreencastView* view = m_window->view();
    QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame(), Timeout);
    QVERIFY(view->isInputEnabled());
    view->setFocus();
    QTest::keyClicks(view, QStringLiteral("ab"));
    QTRY_COMPARE_WITH_TIMEOUT(relay.inputs.size(), size_t(6), Timeout); // keydown, keypress, keyup twice
    QCOMPARE(relay.inputs[0].type(), InputEventType::KeyDown);
    QCOMPARE(relay.inputs[1].type(), InputEventType::KeyPress);
    QCOMPARE(relay.inputs[1].key(), QStringLiteral("a"));
    QCOMPARE(relay.inputs[4].key(), QStringLiteral("b"));
    // A picture of the window for people to look at (CI keeps artifacts/).
    const QString artifacts = qEnvironmentVariable("HANDOFF_ARTIFACTS_DIR", QDir::tempPath());
    QDir().mkpath(artifacts);
    QVERIFY(m_window->grab().save(QDir(artifacts).filePath(QStringLiteral("session-window.png"))));
    // The window asked the agent to size its page to the view.
    QTRY_VERIFY_WITH_TIMEOUT(!relay.controls.empty(), Timeout);
    QCOMPARE(relay.controls.back().value(QStringLiteral("type")).toString(), QStringLiteral("viewport"));
    QCOMPARE(relay.controls.back().value(QStringLiteral("width")).toInt(), view->desiredViewport().width());
}

void TestSessionWindow::version1WarningIsShown()
{
    ScriptedAgentRelay::Options options;
    options.version = 1;
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), State::Ready, Timeout);
    auto* warning = child<QWidget>(m_window, "v1Warning");
    QVERIFY(warning->isVisible());
    QVERIFY(child<QLabel>(m_window, "v1WarningText")->text().contains(QStringLiteral("relay server can see this screen")));
    QCOMPARE(child<QLabel>(m_window, "security")->text(), QStringLiteral("Relay can see the screen"));
    // Persistent: still there after frames and input.
    QImage frame(640, 360, QImage::Format_RGB32);
    frame.fill(Qt::gray);
    QVERIFY(relay.sendFrame(frame));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->view()->hasFrame(), Timeout);
    QVERIFY(warning->isVisible());
}

void TestSessionWindow::keyMismatchIsExplained()
{
    ScriptedAgentRelay::Options options;
    options.substituteKey = true;
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    auto* pages = child<QStackedWidget>(m_window, "pages");
    QTRY_COMPARE_WITH_TIMEOUT(pages->currentIndex(), 1, Timeout);
    QCOMPARE(child<QLabel>(m_window, "endTitle")->text(), QStringLiteral("Stopped for your safety"));
    QVERIFY(child<QLabel>(m_window, "endMessage")->text().contains(QStringLiteral("substituted")));
    QVERIFY(child<QLabel>(m_window, "endMessage")->isVisible());
    QVERIFY(!child<QLabel>(m_window, "endIcon")->pixmap().isNull());
    // The status bar must not go on claiming a verified key.
    QCOMPARE(child<QLabel>(m_window, "security")->text(), QStringLiteral("The agent's key did not match the link"));
    const QString artifacts = qEnvironmentVariable("HANDOFF_ARTIFACTS_DIR", QDir::tempPath());
    QDir().mkpath(artifacts);
    QVERIFY(m_window->grab().save(QDir(artifacts).filePath(QStringLiteral("session-window-key-mismatch.png"))));
    // The explanation stays: no automatic close.
    QTest::qWait(SessionWindow::CloseDelayMs + 500);
    QVERIFY(m_window);
    QVERIFY(m_window->isVisible());
    QCOMPARE(relay.viewerKeys, 0);
}

void TestSessionWindow::sasPanelGatesInput()
{
    ScriptedAgentRelay::Options options;
    options.keyInLink = false;
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    auto* panel = child<QWidget>(m_window, "sasPanel");
    QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible(), Timeout);
    const QString shown = child<QLabel>(m_window, "sasDigits")->text().remove(QLatin1Char(' '));
    QCOMPARE(shown, m_window->session()->sas());
    QVERIFY(!m_window->view()->isInputEnabled());
    QTest::keyClicks(m_window->view(), QStringLiteral("x"));
    QTest::qWait(100);
    QVERIFY(relay.inputs.empty());

    QTest::mouseClick(child<QPushButton>(m_window, "sasConfirm"), Qt::LeftButton);
    QCOMPARE(m_window->session()->state(), State::Ready);
    QVERIFY(!panel->isVisible());
    QCOMPARE(child<QLabel>(m_window, "security")->text(), QStringLiteral("End-to-end encrypted, code compared"));
    QVERIFY(m_window->view()->isInputEnabled());
}

void TestSessionWindow::doneResolvesAndTheWindowCloses()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), State::Ready, Timeout);
    QTest::mouseClick(child<QPushButton>(m_window, "done"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(relay.inputs.size(), size_t(1), Timeout);
    QCOMPARE(relay.inputs[0].type(), InputEventType::Resolved);
    // The agent resolves the session; the relay says so and closes.
    relay.endSession(QStringLiteral("session_resolved"));
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(m_window, "endTitle")->text(), QStringLiteral("Done"), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_window.isNull(), SessionWindow::CloseDelayMs + 3000); // closed and deleted itself
}

void TestSessionWindow::endPageShowsItsWholeMessage_data()
{
    QTest::addColumn<QString>("serverMessage");
    QTest::addColumn<QString>("title");
    QTest::newRow("resolved") << QStringLiteral("session_resolved") << QStringLiteral("Done");
    QTest::newRow("cancelled") << QStringLiteral("session_cancelled") << QStringLiteral("Session cancelled");
    QTest::newRow("expired") << QStringLiteral("session_expired") << QStringLiteral("Session expired");
}

void TestSessionWindow::endPageShowsItsWholeMessage()
{
    QFETCH(QString, serverMessage);
    QFETCH(QString, title);
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), State::Ready, Timeout);
    relay.endSession(serverMessage);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(m_window, "endTitle")->text(), title, Timeout);
    QApplication::processEvents(); // the page's layout settles
    auto* message = child<QLabel>(m_window, "endMessage");
    QVERIFY(message->isVisible());
    QVERIFY(message->text().contains(QStringLiteral("closes in a moment")));
    // Every line of the message fits into the label: none is cut off.
    QVERIFY2(message->height() >= message->heightForWidth(message->width()),
             qPrintable(QStringLiteral("%1x%2 shows less than the %3 pixels the text needs")
                            .arg(message->width())
                            .arg(message->height())
                            .arg(message->heightForWidth(message->width()))));
    QVERIFY(message->width() >= message->fontMetrics().horizontalAdvance(QStringLiteral("The agent is carrying on.")));
    auto* icon = child<QLabel>(m_window, "endIcon");
    QVERIFY(icon);
    QVERIFY(!icon->pixmap().isNull());
    const QString artifacts = qEnvironmentVariable("HANDOFF_ARTIFACTS_DIR", QDir::tempPath());
    QDir().mkpath(artifacts);
    const QString name = QStringLiteral("session-window-end-%1.png").arg(QString::fromLatin1(QTest::currentDataTag()));
    QVERIFY(m_window->grab().save(QDir(artifacts).filePath(name)));
}

// A service name or hint with markup and a right-to-left override reads as
// written: no bold, no link, no reordering.
void TestSessionWindow::headerIsPlainText()
{
    ScriptedAgentRelay::Options options;
    options.service = QStringLiteral("<b>Handoff</b> Security\u202Etneilc");
    options.hint = QStringLiteral("<a href=\"https://evil.example\">Type your bank PIN</a>");
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    auto* service = child<QLabel>(m_window, "service");
    auto* blocker = child<QLabel>(m_window, "blocker");
    QTRY_VERIFY_WITH_TIMEOUT(service->text().contains(QStringLiteral("Security")), Timeout);
    QCOMPARE(service->textFormat(), Qt::PlainText);
    QCOMPARE(blocker->textFormat(), Qt::PlainText);
    QCOMPARE(service->text(), QStringLiteral("<b>Handoff</b> Security\uFFFDtneilc"));
    QVERIFY(!service->text().contains(QChar(0x202E)));
    QVERIFY(blocker->text().contains(QStringLiteral("<a href=")));
    QVERIFY(!m_window->windowTitle().contains(QChar(0x202E)));
    // Every label that can show outside words (the agent's, the relay's) shows plain text.
    for (const char* name : {"service", "blocker", "sasDigits", "endTitle", "endMessage", "connection", "security"})
        QCOMPARE(child<QLabel>(m_window, name)->textFormat(), Qt::PlainText);
}

void TestSessionWindow::headerShowsTheAgentsWords()
{
    ScriptedAgentRelay::Options options;
    options.relayService = QStringLiteral("Handoff Security Team - type your bank PIN");
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    m_window = openWindow(relay);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(m_window, "service")->text(), QStringLiteral("Demo Bank"), Timeout);
    QVERIFY(!m_window->windowTitle().contains(QStringLiteral("Security Team")));
}

QTEST_MAIN(TestSessionWindow)
#include "tst_SessionWindow.moc"
