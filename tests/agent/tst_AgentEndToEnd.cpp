// The agent end to end: a real handoff-server, a real headless Chromium, the
// agent (AgentSession and the handoff-agent program) and a scripted viewer
// built on core's SecureChannel. The person signs in through encrypted input
// (Backspace corrections, Tab, paste, Enter), in protocol version 2 and 1; the
// relay never carries the typed secrets in the clear; outcomes reach the server.

#include "agent/cdp/CdpClient.h"
#include "agent/input/KeyTable.h"
#include "agent/session/AgentSession.h"
#include "core/protocol/InputEvent.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/SecureChannel.h"
#include "tests/agent/CdpTestUtil.h"
#include "tests/agent/ScriptedViewer.h"
#include "core/device/DeviceClient.h"
#include "core/device/SessionRequestNotice.h"
#include "core/protocol/SessionLinkParser.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestPageServer.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace handoff::agent;
using handoff::protocol::InputEvent;
using handoff::protocol::InputEventCodec;
using handoff::protocol::SecureChannel;
using handoff::protocol::WireMessage;
using handoff::test::ChromiumProcess;
using handoff::test::LinkParts;
using handoff::test::parseLink;
using handoff::test::ScriptedViewer;
using handoff::test::TestPageServer;
using handoff::test::TestServer;

namespace {

const QByteArray Password = "Tr0ub4dor&3";
const QByteArray Code = "731904";

const QByteArray LoginPage = R"(<!doctype html><html><head><title>bank login</title><style>
 input { display:block; width:300px; height:30px; margin:10px; }</style></head><body>
<form action="/signed-in" method="post">
  <input id="user" name="user" autocomplete="off">
  <input id="pass" name="pass" type="password">
  <input id="code" name="code" autocomplete="off">
  <button>Sign in</button>
</form></body></html>)";

} // namespace

class TestAgentEndToEnd final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void signInThroughEncryptedInput_data();
    void signInThroughEncryptedInput();
    void agentCancelReachesServer();
    void relayReconnects();
    void viewerResizesViewport();
    void commandLineExitCodes();
    void loginHintDeliversTheAgentsLink();

private:
    void typeText(ScriptedViewer& viewer, const QString& text);
    void press(ScriptedViewer& viewer, const QString& key);
    void clickOn(ScriptedViewer& viewer, CdpClient& cdp, const QString& id);
    AgentSessionConfig config(int protocol) const;

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ChromiumProcess> m_chromium;
    TestPageServer m_pages;
};

void TestAgentEndToEnd::initTestCase()
{
    if (ChromiumProcess::executable().isEmpty()) {
        QSKIP("no Chromium executable on this machine");
    }
    if (TestServer::program().isEmpty()) {
        QSKIP("handoff-server is not built");
    }
    QVERIFY(m_pages.listen());
    m_pages.setPage("/login", LoginPage);
    m_pages.setPage("/signed-in", "<html><head><title>account</title></head><body>Your account</body></html>");
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_chromium = std::make_unique<ChromiumProcess>();
    QVERIFY2(m_chromium->start(m_pages.url(QStringLiteral("/login"))), qPrintable(m_chromium->errorString()));
}

void TestAgentEndToEnd::init()
{
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint()));
    QVERIFY(testutil::navigate(cdp, m_pages.url(QStringLiteral("/login"))));
}

void TestAgentEndToEnd::cleanup() {}

void TestAgentEndToEnd::cleanupTestCase()
{
    m_chromium.reset();
    if (m_server) {
        const QString output = m_server->output();
        m_server.reset();
        // Nothing the person typed ever reaches the server's logs.
        QVERIFY(!output.contains(QString::fromLatin1(Password)));
        QVERIFY(!output.contains(QString::fromLatin1(Code)));
    }
}

AgentSessionConfig TestAgentEndToEnd::config(int protocol) const
{
    AgentSessionConfig c;
    c.server = m_server->baseUrl();
    c.apiKey = m_server->apiKey();
    c.cdpUrl = m_chromium->httpEndpoint();
    c.target = QStringLiteral("/login");
    c.protocolVersion = protocol;
    c.request.service = QStringLiteral("Test Bank");
    c.request.blockerType = QStringLiteral("password");
    c.request.hint = QStringLiteral("Sign in, please");
    c.request.ttlSeconds = 300;
    return c;
}

void TestAgentEndToEnd::typeText(ScriptedViewer& viewer, const QString& text)
{
    for (const QChar c : text) {
        const QString key(c);
        const auto* def = KeyTable::byKey(key);
        const QString code = def ? def->code : QString();
        const int modifiers = (def && def->shiftKey == key && def->key != key) ? InputEvent::ModifierShift : 0;
        viewer.send(InputEvent::keyDown(key, code, modifiers));
        viewer.send(InputEvent::keyPress(key));
        viewer.send(InputEvent::keyUp(key, code, modifiers));
        QTest::qWait(40);
    }
}

void TestAgentEndToEnd::press(ScriptedViewer& viewer, const QString& key)
{
    viewer.send(InputEvent::keyDown(key, key));
    viewer.send(InputEvent::keyUp(key, key));
    QTest::qWait(40);
}

void TestAgentEndToEnd::clickOn(ScriptedViewer& viewer, CdpClient& cdp, const QString& id)
{
    const QJsonArray r = testutil::evaluate(cdp, QStringLiteral("(() => { const r = document.getElementById('%1')"
                                                                ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
                                                     .arg(id))
                             .toArray();
    viewer.send(InputEvent::click(r.at(0).toDouble(), r.at(1).toDouble()));
}

void TestAgentEndToEnd::signInThroughEncryptedInput_data()
{
    QTest::addColumn<int>("protocol");
    QTest::newRow("version 2") << 2;
    QTest::newRow("version 1") << 1;
}

void TestAgentEndToEnd::signInThroughEncryptedInput()
{
    QFETCH(int, protocol);
    AgentSession session(config(protocol));
    QSignalSpy link(&session, &AgentSession::linkReady);
    QSignalSpy sas(&session, &AgentSession::sasReady);
    QSignalSpy finished(&session, &AgentSession::finished);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(link.size(), 1, 60000);
    const QUrl url = link.at(0).at(0).toUrl();
    // The app's own form comes first; the web form is the same link.
    QCOMPARE(url.scheme(), QStringLiteral("handoff"));
    const QUrl webUrl = link.at(0).at(1).toUrl();
    QCOMPARE(webUrl.scheme(), QStringLiteral("http"));
    QCOMPARE(webUrl.fragment(), url.fragment());
    const LinkParts parts = parseLink(url);
    QVERIFY(parts.sessionId.startsWith(QStringLiteral("sess_")));
    QVERIFY(!parts.token.isEmpty());
    QCOMPARE(parts.fingerprint.isEmpty(), protocol == 1);
    QCOMPARE(parts.secret.isEmpty(), protocol == 1);

    ScriptedViewer viewer(parts.sessionId, parts.fingerprint, parts.secret);
    viewer.open(m_server->streamUrl(parts.sessionId, QStringLiteral("viewer"), parts.token));
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isReady(), 20000);
    QCOMPARE(viewer.version(), protocol);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() > 0, 20000);
    if (protocol == 2) {
        QTRY_COMPARE(sas.size(), 1);
        QCOMPARE(sas.at(0).at(0).toString(), viewer.sas());
        QCOMPARE(viewer.sas().size(), 6);
        // What the session is about, in the agent's words, end-to-end encrypted.
        QTRY_COMPARE(viewer.description().value(QLatin1String("service")).toString(), QStringLiteral("Test Bank"));
        QVERIFY(viewer.description().value(QLatin1String("context")).toObject().value(QLatin1String("url")).toString()
                    .endsWith(QStringLiteral("/login")));
    }

    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint(), QStringLiteral("/login")));
    const qsizetype before = m_pages.requests().size();
    clickOn(viewer, cdp, QStringLiteral("user"));
    typeText(viewer, QStringLiteral("alicx"));
    press(viewer, QStringLiteral("Backspace"));
    typeText(viewer, QStringLiteral("e"));
    press(viewer, QStringLiteral("Tab"));
    typeText(viewer, QString::fromLatin1(Password) + QStringLiteral("zz"));
    press(viewer, QStringLiteral("Backspace"));
    press(viewer, QStringLiteral("Backspace"));
    press(viewer, QStringLiteral("Tab"));
    viewer.send(InputEvent::paste(QString::fromLatin1(Code)));
    QVERIFY(testutil::waitForTrue(cdp, QStringLiteral("document.getElementById('code').value.length === 6")));
    press(viewer, QStringLiteral("Enter"));
    QVERIFY(testutil::waitForTrue(cdp, QStringLiteral("document.title === 'account'"), 15000));
    const auto post = std::find_if(m_pages.requests().cbegin() + before, m_pages.requests().cend(),
                                   [](const handoff::test::RecordedRequest& r) { return r.method == "POST"; });
    QVERIFY(post != m_pages.requests().cend());
    QCOMPARE(post->body, QByteArray("user=alice&pass=" + QUrl::toPercentEncoding(QString::fromLatin1(Password)) + "&code=" + Code));

    // What went over the relay never holds the secrets in the clear.
    QVERIFY(!viewer.sentBytes().contains(Password));
    QVERIFY(!viewer.sentBytes().contains(Code));

    viewer.send(InputEvent::resolved());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QCOMPARE(finished.at(0).at(0).value<AgentSession::Outcome>(), AgentSession::Outcome::Resolved);
    const QJsonObject status = m_server->session(parts.sessionId);
    QCOMPARE(status.value(QLatin1String("status")).toString(), QStringLiteral("RESOLVED"));
}

void TestAgentEndToEnd::agentCancelReachesServer()
{
    AgentSession session(config(2));
    QSignalSpy link(&session, &AgentSession::linkReady);
    QSignalSpy finished(&session, &AgentSession::finished);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(link.size(), 1, 60000);
    session.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QCOMPARE(finished.at(0).at(0).value<AgentSession::Outcome>(), AgentSession::Outcome::Cancelled);
    const QJsonObject status = m_server->session(session.sessionId());
    QCOMPARE(status.value(QLatin1String("status")).toString(), QStringLiteral("CANCELLED"));
}

void TestAgentEndToEnd::relayReconnects()
{
    AgentSession session(config(2));
    QSignalSpy link(&session, &AgentSession::linkReady);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(link.size(), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(session.relayConnections(), 1, 10000);
    session.abortRelayForTest();
    QTRY_COMPARE_WITH_TIMEOUT(session.relayConnections(), 2, 10000);
    QVERIFY(!session.isFinished());
    // A viewer that arrives after the reconnect still gets the key and frames.
    const LinkParts parts = parseLink(link.at(0).at(0).toUrl());
    ScriptedViewer viewer(parts.sessionId, parts.fingerprint, parts.secret);
    viewer.open(m_server->streamUrl(parts.sessionId, QStringLiteral("viewer"), parts.token));
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isReady(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() > 0, 20000);
    session.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(session.isFinished(), 15000);
}

void TestAgentEndToEnd::viewerResizesViewport()
{
    AgentSession session(config(2));
    QSignalSpy link(&session, &AgentSession::linkReady);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(link.size(), 1, 60000);
    const LinkParts parts = parseLink(link.at(0).at(0).toUrl());
    ScriptedViewer viewer(parts.sessionId, parts.fingerprint, parts.secret);
    viewer.open(m_server->streamUrl(parts.sessionId, QStringLiteral("viewer"), parts.token));
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isReady(), 20000);
    viewer.sendControl(R"({"type":"viewport","width":900,"height":700})");
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint(), QStringLiteral("/login")));
    QVERIFY(testutil::waitForTrue(cdp, QStringLiteral("innerWidth === 900 && innerHeight === 700")));
    QVERIFY(testutil::call(cdp, QStringLiteral("Emulation.clearDeviceMetricsOverride")).ok());
    viewer.send(InputEvent::cancelled());
    QTRY_VERIFY_WITH_TIMEOUT(session.isFinished(), 15000);
    QCOMPARE(*session.outcome(), AgentSession::Outcome::Cancelled);
}

void TestAgentEndToEnd::commandLineExitCodes()
{
    const QString program = handoff::test::TestPaths::program(QStringLiteral("handoff-agent"));
    if (program.isEmpty()) {
        QSKIP("handoff-agent is not built");
    }
    const auto run = [&](QProcess& agent) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HANDOFF_API_KEY"), QString::fromLatin1(m_server->apiKey()));
        env.remove(QStringLiteral("QT_LOGGING_RULES")); // the defaults a person gets
        agent.setProcessEnvironment(env);
        agent.start(program, {QStringLiteral("to-human"), QStringLiteral("--server"), m_server->baseUrl().toString(),
                              QStringLiteral("--cdp-url"), m_chromium->httpEndpoint().toString(),
                              QStringLiteral("--target"), QStringLiteral("/login"), QStringLiteral("--service"),
                              QStringLiteral("CLI Bank"), QStringLiteral("--json")});
        QVERIFY(agent.waitForStarted());
    };
    const auto readLink = [](QProcess& agent) {
        QUrl url;
        const QDeadlineTimer deadline(30000);
        while (url.isEmpty() && !deadline.hasExpired()) {
            if (!agent.canReadLine()) {
                agent.waitForReadyRead(200);
                continue;
            }
            const QJsonObject line = QJsonDocument::fromJson(agent.readLine()).object();
            if (line.value(QLatin1String("event")).toString() == QLatin1String("link")) {
                url = QUrl(line.value(QLatin1String("session_url")).toString());
            }
        }
        return url;
    };

    // Resolved by the viewer: exit 0.
    QProcess resolved;
    run(resolved);
    const LinkParts parts = parseLink(readLink(resolved));
    QVERIFY(!parts.sessionId.isEmpty());
    ScriptedViewer viewer(parts.sessionId, parts.fingerprint, parts.secret);
    viewer.open(m_server->streamUrl(parts.sessionId, QStringLiteral("viewer"), parts.token));
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isReady(), 20000);
    viewer.send(InputEvent::resolved());
    QTRY_VERIFY_WITH_TIMEOUT(resolved.state() == QProcess::NotRunning, 20000);
    QCOMPARE(resolved.exitCode(), 0);
    const QByteArray output = resolved.readAll();
    // By default stderr says what happens, not every DevTools command (debug lines).
    const QByteArray diagnostics = resolved.readAllStandardError();
    QVERIFY2(!QString::fromUtf8(diagnostics).contains(QRegularExpression(QStringLiteral(R"(-> \d+ [A-Z]\w+\.\w+)"))),
             diagnostics.right(400).constData());
    QVERIFY(output.contains("\"outcome\":\"resolved\""));
    QVERIFY(output.contains("\"event\":\"sas\""));
    QVERIFY(!output.contains(m_server->apiKey()));

    // SIGTERM cancels the session cleanly: exit 3, and the server knows.
    QProcess cancelled;
    run(cancelled);
    const LinkParts second = parseLink(readLink(cancelled));
    QVERIFY(!second.sessionId.isEmpty());
    ::kill(static_cast<pid_t>(cancelled.processId()), SIGTERM);
    QVERIFY(cancelled.waitForFinished(20000));
    QCOMPARE(cancelled.exitCode(), 3);
    const QJsonObject status = m_server->session(second.sessionId);
    QCOMPARE(status.value(QLatin1String("status")).toString(), QStringLiteral("CANCELLED"));
}

// With a login_hint the server delivers the link to the person's paired devices:
// it carries the agent's own k and s, so a viewer opened from it pins the agent's
// key and gets through the handshake just as with the link the agent printed.
void TestAgentEndToEnd::loginHintDeliversTheAgentsLink()
{
    handoff::test::PairedDevice device;
    QVERIFY2(device.pair(*m_server, QStringLiteral("dana@example.com")), qPrintable(device.errorString()));
    QSignalSpy requests(&device.client(), &handoff::device::DeviceClient::sessionRequested);
    AgentSessionConfig c = config(2);
    c.request.loginHint = QStringLiteral("dana@example.com");
    AgentSession session(c);
    QSignalSpy link(&session, &AgentSession::linkReady);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(link.size(), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, 30000);
    const auto notice = requests.first().first().value<handoff::device::SessionRequestNotice>();
    const auto delivered = handoff::protocol::SessionLinkParser::parse(notice.sessionUrl);
    const auto printed = handoff::protocol::SessionLinkParser::parse(link.at(0).at(0).toUrl());
    QVERIFY2(delivered.ok(), qPrintable(delivered.ok() ? QString() : delivered.error().code));
    QVERIFY(printed.ok());
    QCOMPARE(delivered->keyFingerprint(), printed->keyFingerprint());
    QCOMPARE(delivered->viewerSecret(), printed->viewerSecret());
    QVERIFY(delivered->viewerSecret().has_value());

    const LinkParts parts = parseLink(QUrl(notice.sessionUrl));
    ScriptedViewer viewer(parts.sessionId, parts.fingerprint, parts.secret);
    viewer.open(m_server->streamUrl(parts.sessionId, QStringLiteral("viewer"), parts.token));
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isReady(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() > 0, 20000);
    session.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(session.isFinished(), 15000);
    // The secret went to the server for this delivery only: never into its log.
    QVERIFY(!m_server->output().contains(QString::fromLatin1(
        handoff::protocol::SecureChannelV2::linkValue(*printed->viewerSecret()))));
}

QTEST_GUILESS_MAIN(TestAgentEndToEnd)
#include "tst_AgentEndToEnd.moc"
