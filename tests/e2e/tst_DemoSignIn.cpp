// The whole system, as a person meets it: handoff-server with its demo bank, a
// headless Chromium on the bank's sign-in page, an agent asking for help, and the
// desktop app (AppController, the same wiring as the handoff executable) opening
// the agent's link on a pre-trusted server. The test is the person: it clicks
// into the app's view on the fields it sees, types the user name, the password
// and the one-time code with key events to the view, submits each form with
// Enter, and presses Done. Nothing is scripted on the viewer's side: the frames
// shown and the input sent are the app's own.
//
// Three agents, one row each:
// - handoff-agent speaking protocol version 2 (the app's mousedown/mouseup and
//   keydown + keypress + keyup);
// - handoff-agent speaking version 1 (the app then sends what AuthLoop's viewer
//   sends: click, keypress, keydown + keypress "\r" for Enter);
// - an agent built on AuthLoop's core as its source behaves
//   (tests/interop/authloop-agent.mjs), version 1: it acts on nothing but that,
//   so a click or an Enter the app sent in any other form would not reach the page,
//   where handoff-agent would have made up for it.
//
// It checks that the bank reached its account page, that the agent reports
// "resolved" and the server records the session RESOLVED, and that no log
// (server, agent, app) ever holds the password or the code. Screenshots of the
// window go to $HANDOFF_ARTIFACTS_DIR (default <build>/artifacts).

#include "agent/cdp/CdpClient.h"
#include "app/AppController.h"
#include "app/Application.h"
#include "app/LinkRouter.h"
#include "app/SessionManager.h"
#include "app/SingleInstance.h"
#include "tests/agent/CdpTestUtil.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"
#include "ui/ScreencastView.h"
#include "ui/SessionWindow.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLoggingCategory>
#include <QMutex>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using handoff::agent::CdpClient;
using handoff::app::AppController;
using handoff::app::SingleInstance;
using handoff::session::ViewerSession;
using handoff::test::ChromiumProcess;
using handoff::test::TestPaths;
using handoff::test::TestServer;
using handoff::ui::ScreencastView;
using handoff::ui::SessionWindow;
namespace cdp = handoff::agent::testutil;

namespace {

// resources/demo-site/README.md: the operator's account.
const QString UserName = QStringLiteral("alex");
const QString Password = QStringLiteral("harbor-lights-42");

constexpr int Timeout = 30000;
// A person types well below the agent's 30 keystrokes a second (PROTOCOL 5).
constexpr int KeyDelayMs = 45;
// Mean difference per colour channel (0-255) between the frame shown and the page,
// both as 160x100 thumbnails: JPEG noise stays far below, another page far above.
constexpr double MaxThumbnailDifference = 4.0;

// Every message the app's own code logs in this process, to search for secrets.
QMutex logMutex;
QStringList appLog;
QtMessageHandler previousHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    {
        QMutexLocker lock(&logMutex);
        appLog.append(message);
    }
    // Debug messages are only searched, not printed: they would drown the test's output.
    if (previousHandler && type != QtDebugMsg)
        previousHandler(type, context, message);
}

QString artifactsDir()
{
    const QString dir = qEnvironmentVariable("HANDOFF_ARTIFACTS_DIR",
                                             QDir(TestPaths::buildDir()).filePath(QStringLiteral("artifacts")));
    QDir().mkpath(dir);
    return dir;
}

// The server's output without its deliberate operator channel: lines starting
// "demo: " carry the password and the codes on purpose (demo-site README).
QString withoutOperatorLines(const QString& output)
{
    QStringList kept;
    for (const QString& line : output.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1String("demo: ")))
            kept.append(line);
    }
    return kept.join(QLatin1Char('\n'));
}

} // namespace

class TestDemoSignIn final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void personSignsInThroughTheApp_data();
    void personSignsInThroughTheApp();

private:
    enum class Agent { HandoffV2, HandoffV1, AuthLoopCore };
    // Chromium on the bank's sign-in page and the agent asking for help with it.
    void startBrowserAndAgent(Agent agent);
    // The agent's JSON lines so far; reads what the process has written.
    QList<QJsonObject> agentEvents();
    QJsonObject agentEvent(const QString& name);
    // The page's `data-page` (sign-in, verify, account, locked), or empty.
    QString pageName();
    // True once the frame on screen was laid out at the view's size: a point of
    // the page's layout is then where the view shows it.
    bool layoutMatchesView();
    // True once a frame is shown at the page's layout size (version 1: the view scales it).
    bool frameMatchesLayout();
    // True when the frame in the view looks like the page as Chromium renders it
    // now (compared as thumbnails, so that JPEG noise does not count): what the
    // person sees is the page's current state.
    bool viewShowsThePage();
    // Clicks into the view on the centre of the element with this id, as seen in the frame.
    void clickOn(const QString& elementId);
    QString elementValue(const QString& elementId);
    QString activeElementId();
    void saveScreenshot(const QString& name);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_codeFile;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ChromiumProcess> m_chromium;
    std::unique_ptr<QProcess> m_agent;
    QByteArray m_agentOut;
    QByteArray m_agentErr;
    std::unique_ptr<CdpClient> m_cdp;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SingleInstance> m_instance;
    std::unique_ptr<AppController> m_controller;
    QPointer<SessionWindow> m_window;
    QStringList m_trustQuestions;
};

void TestDemoSignIn::initTestCase()
{
    if (ChromiumProcess::executable().isEmpty())
        QSKIP("Chromium is not installed (scripts/test installs it)");
    QVERIFY2(!TestPaths::program(QStringLiteral("handoff-agent")).isEmpty(), "handoff-agent is not built");
    // The app's debug messages too: the secrets check must see everything it could say.
    QLoggingCategory::setFilterRules(QStringLiteral("handoff.*.debug=true"));
    previousHandler = qInstallMessageHandler(recordMessage);

    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_codeFile = m_dir->filePath(QStringLiteral("one-time-code"));

    m_server = std::make_unique<TestServer>();
    qputenv("QT_LOGGING_RULES", "handoff.*.debug=true"); // for the server and the agent as well
    QVERIFY2(m_server->start({ QStringLiteral("--demo"), QStringLiteral("--demo-code-file"), m_codeFile }),
             qPrintable(m_server->errorString()));
}

void TestDemoSignIn::startBrowserAndAgent(Agent agent)
{
    QFile::remove(m_codeFile); // the code of an earlier row's sign-in
    m_chromium = std::make_unique<ChromiumProcess>();
    QVERIFY2(m_chromium->start(m_server->url(QStringLiteral("/demo/"))), qPrintable(m_chromium->errorString()));
    // The page is open before any agent looks for it: AuthLoop's users hand its
    // core the WebSocket of a page that exists, and its core does not wait.
    m_cdp = std::make_unique<CdpClient>();
    QVERIFY(cdp::connectClient(*m_cdp, m_chromium->httpEndpoint(), QStringLiteral("/demo/")));

    m_agentOut.clear();
    m_agentErr.clear();
    m_agent = std::make_unique<QProcess>();
    connect(m_agent.get(), &QProcess::readyReadStandardOutput, this,
            [this] { m_agentOut += m_agent->readAllStandardOutput(); });
    connect(m_agent.get(), &QProcess::readyReadStandardError, this,
            [this] { m_agentErr += m_agent->readAllStandardError(); });
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HANDOFF_API_KEY"), QString::fromLatin1(m_server->apiKey()));
    env.insert(QStringLiteral("AUTHLOOP_API_KEY"), QString::fromLatin1(m_server->apiKey()));
    m_agent->setProcessEnvironment(env);
    const QStringList request {
        QStringLiteral("--server"),  m_server->baseUrl().toString(),
        QStringLiteral("--cdp-url"), m_chromium->httpEndpoint().toString(),
        QStringLiteral("--target"),  QStringLiteral("/demo/"),
        QStringLiteral("--service"), QStringLiteral("Northwind Bank"),
        QStringLiteral("--blocker"), QStringLiteral("password"),
        QStringLiteral("--hint"),    QStringLiteral("Sign in as alex, then enter the code sent to your phone")
    };
    if (agent == Agent::AuthLoopCore) {
        m_agent->start(TestPaths::nodeExecutable(),
                       QStringList { QStringLiteral("--experimental-websocket"), QStringLiteral("--no-warnings"),
                                     QDir(TestPaths::interopDir()).filePath(QStringLiteral("authloop-agent.mjs")) }
                           + request);
    } else {
        const QString protocol = agent == Agent::HandoffV1 ? QStringLiteral("1") : QStringLiteral("2");
        m_agent->start(
            TestPaths::program(QStringLiteral("handoff-agent")),
            QStringList { QStringLiteral("to-human"), QStringLiteral("--json"), QStringLiteral("--protocol"), protocol }
                + request);
    }
    QVERIFY(m_agent->waitForStarted());

}

void TestDemoSignIn::cleanup()
{
    m_controller.reset(); // closes the window, and with it the viewer's connection
    m_instance.reset();
    m_settings.reset();
    m_cdp.reset();
    if (m_agent && m_agent->state() != QProcess::NotRunning) {
        m_agent->terminate();
        if (!m_agent->waitForFinished(10000))
            m_agent->kill();
    }
    m_agent.reset();
    m_chromium.reset();
    m_trustQuestions.clear();
}

void TestDemoSignIn::cleanupTestCase()
{
    m_server.reset();
    qInstallMessageHandler(previousHandler);
}

QList<QJsonObject> TestDemoSignIn::agentEvents()
{
    m_agentOut += m_agent->readAllStandardOutput();
    QList<QJsonObject> events;
    for (const QByteArray& line : m_agentOut.split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (!event.isEmpty())
            events.append(event);
    }
    return events;
}

QJsonObject TestDemoSignIn::agentEvent(const QString& name)
{
    for (const QJsonObject& event : agentEvents()) {
        if (event.value(QLatin1String("event")).toString() == name)
            return event;
    }
    return {};
}

QString TestDemoSignIn::pageName()
{
    return cdp::evaluate(*m_cdp, QStringLiteral("document.readyState === 'complete' ? document.body.dataset.page : ''"))
        .toString();
}

bool TestDemoSignIn::layoutMatchesView()
{
    ScreencastView* view = m_window->view();
    if (!view->hasFrame())
        return false;
    const QSizeF framePage = view->mapper().geometry().pageSize;
    const QJsonArray inner = cdp::evaluate(*m_cdp, QStringLiteral("[window.innerWidth, window.innerHeight]")).toArray();
    const QSizeF layout(inner.at(0).toDouble(), inner.at(1).toDouble());
    return framePage == layout && framePage.toSize() == view->desiredViewport();
}

bool TestDemoSignIn::frameMatchesLayout()
{
    ScreencastView* view = m_window->view();
    if (!view->hasFrame())
        return false;
    const QJsonArray inner = cdp::evaluate(*m_cdp, QStringLiteral("[window.innerWidth, window.innerHeight]")).toArray();
    return view->mapper().geometry().pageSize == QSizeF(inner.at(0).toDouble(), inner.at(1).toDouble());
}

bool TestDemoSignIn::viewShowsThePage()
{
    const QImage shown = m_window->view()->frame();
    if (shown.isNull())
        return false;
    const auto shot = cdp::call(*m_cdp, QStringLiteral("Page.captureScreenshot"),
                                QJsonObject{{QStringLiteral("format"), QStringLiteral("png")}});
    if (!shot)
        return false;
    const QImage page = QImage::fromData(
        QByteArray::fromBase64(shot->value(QLatin1String("data")).toString().toLatin1()), "PNG");
    if (page.isNull() || std::abs(double(page.width()) / page.height() - double(shown.width()) / shown.height()) > 0.01)
        return false;
    const QSize thumb(160, 100);
    const QImage a = shown.scaled(thumb, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB32);
    const QImage b = page.scaled(thumb, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB32);
    double difference = 0;
    for (int y = 0; y < thumb.height(); ++y) {
        const auto* lineA = reinterpret_cast<const QRgb*>(a.constScanLine(y));
        const auto* lineB = reinterpret_cast<const QRgb*>(b.constScanLine(y));
        for (int x = 0; x < thumb.width(); ++x) {
            difference += std::abs(qRed(lineA[x]) - qRed(lineB[x])) + std::abs(qGreen(lineA[x]) - qGreen(lineB[x]))
                + std::abs(qBlue(lineA[x]) - qBlue(lineB[x]));
        }
    }
    const double mean = difference / (thumb.width() * thumb.height() * 3);
    if (mean >= MaxThumbnailDifference)
        qInfo() << "The view does not show the page yet; mean difference" << mean;
    return mean < MaxThumbnailDifference;
}

void TestDemoSignIn::clickOn(const QString& elementId)
{
    const QJsonObject rect = cdp::evaluate(*m_cdp, QStringLiteral("(() => { const r = document.getElementById('%1')"
                                                                  ".getBoundingClientRect(); return {x: r.x + r.width / 2, "
                                                                  "y: r.y + r.height / 2, w: r.width}; })()")
                                                       .arg(elementId))
                                 .toObject();
    QVERIFY2(rect.value(QLatin1String("w")).toDouble() > 0, qPrintable(elementId + QStringLiteral(" is not on the page")));
    ScreencastView* view = m_window->view();
    const QPointF onPage(rect.value(QLatin1String("x")).toDouble(), rect.value(QLatin1String("y")).toDouble());
    const QPoint inView = view->mapper().toView(onPage).toPoint();
    QVERIFY2(view->viewport()->rect().contains(inView), qPrintable(elementId + QStringLiteral(" is outside the view")));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, inView);
}

QString TestDemoSignIn::elementValue(const QString& elementId)
{
    return cdp::evaluate(*m_cdp, QStringLiteral("document.getElementById('%1')?.value ?? ''").arg(elementId)).toString();
}

QString TestDemoSignIn::activeElementId()
{
    return cdp::evaluate(*m_cdp, QStringLiteral("document.activeElement ? document.activeElement.id : ''")).toString();
}

void TestDemoSignIn::saveScreenshot(const QString& name)
{
    const QString path = QDir(artifactsDir()).filePath(name);
    QVERIFY2(m_window->grab().save(path), qPrintable(QStringLiteral("could not write ") + path));
    qInfo().noquote() << "Screenshot of the app:" << path;
}

void TestDemoSignIn::personSignsInThroughTheApp_data()
{
    QTest::addColumn<int>("agent");
    QTest::newRow("version 2, handoff-agent") << int(Agent::HandoffV2);
    QTest::newRow("version 1, handoff-agent") << int(Agent::HandoffV1);
    QTest::newRow("version 1, AuthLoop core") << int(Agent::AuthLoopCore);
}

void TestDemoSignIn::personSignsInThroughTheApp()
{
    QFETCH(int, agent);
    const auto kind = Agent(agent);
    if (kind == Agent::AuthLoopCore && TestPaths::nodeExecutable().isEmpty())
        QSKIP("node is not installed");
    const int version = kind == Agent::HandoffV2 ? 2 : 1;
    const QString shot = QStringLiteral("e2e-v%1-%2-")
                             .arg(version)
                             .arg(kind == Agent::AuthLoopCore ? QLatin1String("authloop") : QLatin1String("handoff"));
    startBrowserAndAgent(kind);
    if (QTest::currentTestFailed())
        return;

    // The agent hits the wall and prints its link.
    QTRY_VERIFY2_WITH_TIMEOUT(!agentEvent(QStringLiteral("link")).isEmpty() || m_agent->state() == QProcess::NotRunning,
                              qPrintable(QString::fromUtf8(m_agentErr)), Timeout);
    const QJsonObject link = agentEvent(QStringLiteral("link"));
    QVERIFY2(!link.isEmpty(), qPrintable(QString::fromUtf8(m_agentErr)));
    QCOMPARE(link.value(QLatin1String("protocol")).toInt(), version);
    const QString sessionId = link.value(QLatin1String("session_id")).toString();
    const QString sessionUrl = link.value(QLatin1String("session_url")).toString();

    // The app, started as `handoff --config <file> <link>` is: a settings file that
    // trusts this server (written as scripts/demo writes it), its own instance folder.
    const QString config = m_dir->filePath(QStringLiteral("app.ini"));
    {
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Text));
        file.write("[trust]\nservers=" + m_server->baseUrl().toString().toUtf8() + "\n");
    }
    m_settings = std::make_unique<QSettings>(config, QSettings::IniFormat);
    const QString instanceDir = m_dir->filePath(QStringLiteral("instance-") + QString::number(agent));
    QDir().mkpath(instanceDir);
    m_instance = std::make_unique<SingleInstance>(instanceDir);
    QCOMPARE(m_instance->claim().value(), SingleInstance::Role::Primary);
    auto* application = qobject_cast<handoff::app::Application*>(qApp);
    QVERIFY(application);
    m_controller = std::make_unique<AppController>(application, m_instance.get(), m_settings.get());
    m_controller->router()->setTrustQuestion([this](const QString& origin, const QString&) {
        m_trustQuestions.append(origin);
        return false;
    });
    m_controller->start({sessionUrl});

    QTRY_COMPARE_WITH_TIMEOUT(m_controller->sessions()->windows().size(), qsizetype(1), Timeout);
    QVERIFY2(m_trustQuestions.isEmpty(), "the pre-trusted server was asked about");
    m_window = m_controller->sessions()->windows().first();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    // The window closes itself a moment after the session ends, and takes the session along.
    QPointer<ViewerSession> session = m_window->session();
    ScreencastView* view = m_window->view();
    std::optional<ViewerSession::EndReason> ended;
    QString endTitle;
    QObject scope; // ends the two connections below with this function
    connect(session, &ViewerSession::ended, &scope, [&](ViewerSession::EndReason reason, const QString&) {
        ended = reason;
    });
    connect(m_window, &SessionWindow::sessionEnded, &scope, [&] {
        endTitle = m_window->findChild<QLabel*>(QStringLiteral("endTitle"))->text();
    });

    // The encrypted channel is up and the bank's page is shown: version 2 with the
    // key the link names, laid out at the view's size; version 1 under its warning,
    // scaled into the view, the input in the form AuthLoop's viewer sends.
    QTRY_VERIFY_WITH_TIMEOUT(session->state() == ViewerSession::State::Ready && view->isInputEnabled(), Timeout);
    QCOMPARE(session->protocolVersion(), version);
    if (version == 2) {
        QVERIFY(session->keyPinned());
        QCOMPARE(view->inputStyle(), ScreencastView::InputStyle::Full);
        QTRY_VERIFY_WITH_TIMEOUT(layoutMatchesView(), Timeout);
    } else {
        QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("v1Warning"))->isVisible());
        QCOMPARE(view->inputStyle(), ScreencastView::InputStyle::AuthLoopViewer);
        QTRY_VERIFY_WITH_TIMEOUT(frameMatchesLayout(), Timeout);
    }
    QCOMPARE(pageName(), QStringLiteral("sign-in"));
    QTRY_VERIFY_WITH_TIMEOUT(viewShowsThePage(), Timeout);
    QCOMPARE(m_window->findChild<QLabel*>(QStringLiteral("service"))->text(), QStringLiteral("Northwind Bank"));
    saveScreenshot(shot + QStringLiteral("sign-in.png"));
    if (QTest::currentTestFailed())
        return;

    // User name and password, each field clicked in the picture first.
    clickOn(QStringLiteral("username"));
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(activeElementId(), QStringLiteral("username"), Timeout);
    QCOMPARE(m_window->focusWidget(), view); // the click put the keys into the view
    QTest::keyClicks(view, UserName, Qt::NoModifier, KeyDelayMs);
    QTRY_COMPARE_WITH_TIMEOUT(elementValue(QStringLiteral("username")), UserName, Timeout);
    clickOn(QStringLiteral("password"));
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(activeElementId(), QStringLiteral("password"), Timeout);
    QTest::keyClicks(view, Password, Qt::NoModifier, KeyDelayMs);
    QTRY_COMPARE_WITH_TIMEOUT(elementValue(QStringLiteral("password")), Password, Timeout);
    QTest::keyClick(view, Qt::Key_Return, Qt::NoModifier, KeyDelayMs);
    QTRY_COMPARE_WITH_TIMEOUT(pageName(), QStringLiteral("verify"), Timeout);

    // The bank "sends a code to the phone": the operator's code file.
    QTRY_VERIFY_WITH_TIMEOUT(QFile(m_codeFile).size() > 0, Timeout);
    QFile file(m_codeFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString code = QString::fromLatin1(file.readAll()).trimmed();
    QCOMPARE(code.size(), 6);

    QTRY_VERIFY_WITH_TIMEOUT(version == 2 ? layoutMatchesView() : frameMatchesLayout(), Timeout);
    clickOn(QStringLiteral("otp"));
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(activeElementId(), QStringLiteral("otp"), Timeout);
    QTest::keyClicks(view, code, Qt::NoModifier, KeyDelayMs);
    QTRY_COMPARE_WITH_TIMEOUT(elementValue(QStringLiteral("otp")), code, Timeout);
    QTest::keyClick(view, Qt::Key_Return, Qt::NoModifier, KeyDelayMs);
    QTRY_COMPARE_WITH_TIMEOUT(pageName(), QStringLiteral("account"), Timeout);

    // The person sees the account page before saying Done.
    QTRY_VERIFY_WITH_TIMEOUT(viewShowsThePage(), Timeout);
    saveScreenshot(shot + QStringLiteral("account.png"));
    if (QTest::currentTestFailed())
        return;

    auto* done = m_window->findChild<QPushButton*>(QStringLiteral("done"));
    QVERIFY(done);
    QVERIFY(done->isEnabled());
    QTest::mouseClick(done, Qt::LeftButton);

    // The agent hears it, tells the server, and exits 0 with "resolved" (the
    // AuthLoop core only if its socket stayed open until its resolve answered).
    QTRY_VERIFY_WITH_TIMEOUT(m_agent->state() == QProcess::NotRunning, Timeout);
    QCOMPARE(m_agent->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_agent->exitCode(), 0);
    const QJsonObject outcome = agentEvent(QStringLiteral("outcome"));
    QCOMPARE(outcome.value(QLatin1String("outcome")).toString(), QStringLiteral("resolved"));
    const QJsonObject status = m_server->session(sessionId);
    QCOMPARE(status.value(QLatin1String("status")).toString(), QStringLiteral("RESOLVED"));
    // It closed its relay socket itself once it had its outcome (PROTOCOL 2):
    // the relay did not have to close it at the end of the grace period.
    QTRY_VERIFY_WITH_TIMEOUT(m_server->output().contains(sessionId + QStringLiteral(" agent closed after the resolve")),
                             Timeout);
    QVERIFY(!m_server->output().contains(sessionId + QStringLiteral(" the agent did not close")));
    // The app's session ended resolved, and its window said so.
    QTRY_VERIFY_WITH_TIMEOUT(ended.has_value(), Timeout);
    QCOMPARE(*ended, ViewerSession::EndReason::Resolved);
    QCOMPARE(endTitle, QStringLiteral("Done"));
    if (m_window)
        saveScreenshot(shot + QStringLiteral("done.png"));

    // No log holds the secrets: the server's (but for its operator lines), the
    // agent's, and whatever the app said in this process.
    m_agentErr += m_agent->readAllStandardError();
    const QString serverLog = withoutOperatorLines(m_server->output());
    const QString agentLog = QString::fromUtf8(m_agentOut + m_agentErr);
    QString ownLog;
    {
        QMutexLocker lock(&logMutex);
        ownLog = appLog.join(QLatin1Char('\n'));
    }
    QVERIFY(m_server->output().contains(Password)); // the operator channel is there, so the filter is not vacuous
    for (const QString& secret : {Password, code}) {
        QVERIFY2(!serverLog.contains(secret), "the server's output holds a secret");
        QVERIFY2(!agentLog.contains(secret), "the agent's output holds a secret");
        QVERIFY2(!ownLog.contains(secret), "the app's log holds a secret");
    }
}

int main(int argc, char** argv)
{
    handoff::app::Application application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Handoff e2e"));
    TestDemoSignIn test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_DemoSignIn.moc"
