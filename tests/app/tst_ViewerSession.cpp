// ViewerSession against a scripted relay and agent (tests/ui/ScriptedAgentRelay.h)
// that use the real SecureChannel of each version: handshake, SAS, key
// substitution, input only once ready, frames, viewport requests, reconnection
// with the same keys, and every way a session ends.

#include "core/protocol/SessionLinkParser.h"
#include "core/session/ViewerSession.h"
#include "tests/ui/ScriptedAgentRelay.h"

#include <QImage>
#include <QSignalSpy>
#include <QTest>

using handoff::protocol::InputEvent;
using handoff::protocol::InputEventType;
using handoff::protocol::SessionLinkParser;
using handoff::session::ViewerSession;
using handoff::test::ScriptedAgentRelay;
using State = ViewerSession::State;
using EndReason = ViewerSession::EndReason;

Q_DECLARE_METATYPE(ViewerSession::EndReason)

namespace {

ViewerSession::Options fastOptions()
{
    ViewerSession::Options options;
    options.reconnectInitialDelay = std::chrono::milliseconds(20);
    options.reconnectMaximumDelay = std::chrono::milliseconds(200);
    options.reconnectGiveUpAfter = std::chrono::milliseconds(3000);
    options.agentGoneTimeout = std::chrono::milliseconds(3000);
    return options;
}

std::unique_ptr<ViewerSession> sessionFor(const ScriptedAgentRelay& relay)
{
    auto link = SessionLinkParser::parse(relay.link());
    if (!link)
        qFatal("the scripted relay's link does not parse: %s", qPrintable(link.error().message));
    return std::make_unique<ViewerSession>(*link, fastOptions());
}

constexpr int Timeout = 10000;

} // namespace

class TestViewerSession final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void version2WithPinnedKeyBecomesReady();
    void noInputBeforeReady();
    void sasMustBeConfirmed();
    void substitutedKeyStopsTheSession();
    void version1Works();
    void framesArriveDecrypted();
    void viewportRequestIsAControlRecord();
    void reconnectKeepsKeysAndCounters();
    void sessionOutcomes_data();
    void sessionOutcomes();
    void closeCodesEndTheSession_data();
    void closeCodesEndTheSession();
    void agentGoneEndsTheSession();
    void relayDescriptionIsNotShownInVersion2();
    void relayDescriptionIsShownInVersion1();
    void linkWithoutViewerSecretIsRefused();
    void deceptiveDescriptionIsShownPlain();
};

void TestViewerSession::initTestCase()
{
    qRegisterMetaType<ViewerSession::EndReason>();
}

void TestViewerSession::version2WithPinnedKeyBecomesReady()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QSignalSpy info(session.get(), &ViewerSession::sessionInfoReceived);
    QVERIFY(session->keyPinned());
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), State::Ready, Timeout);
    QCOMPARE(session->protocolVersion(), 2);
    // First the relay's session_info (only its expiry is used), then the agent's own words.
    QTRY_COMPARE_WITH_TIMEOUT(info.count(), 2, Timeout);
    QCOMPARE(info.first().at(0).value<handoff::session::SessionInfo>().source,
             handoff::session::SessionInfo::Source::None);
    QCOMPARE(session->info().source, handoff::session::SessionInfo::Source::Agent);
    QCOMPARE(session->info().service, QStringLiteral("Demo Bank"));
    QCOMPARE(session->info().blockerType, QStringLiteral("otp"));
    QVERIFY(session->info().expiresAt.isValid());

    QVERIFY(session->sendInput(InputEvent::keyDown(QStringLiteral("a"), QStringLiteral("KeyA"))).ok());
    QVERIFY(session->sendInput(InputEvent::paste(QStringLiteral("123456"))).ok());
    QTRY_COMPARE_WITH_TIMEOUT(relay.inputs.size(), size_t(2), Timeout);
    QCOMPARE(relay.inputs[0], InputEvent::keyDown(QStringLiteral("a"), QStringLiteral("KeyA")));
    QCOMPARE(relay.inputs[1].text(), QStringLiteral("123456"));
    QVERIFY(relay.errors.empty());
}

void TestViewerSession::noInputBeforeReady()
{
    ScriptedAgentRelay::Options options;
    options.sendReady = false; // the agent never proves it holds the keys
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    const auto refused = session->sendInput(InputEvent::keyDown(QStringLiteral("a"), QStringLiteral("KeyA")));
    QCOMPARE(refused.error().code, QStringLiteral("not_ready"));
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(relay.viewerKeys, 1, Timeout);
    QTest::qWait(200);
    QCOMPARE(session->state(), State::Handshaking);
    QVERIFY(!session->canSendInput());
    QVERIFY(!session->sendInput(InputEvent::paste(QStringLiteral("secret"))).ok());
    QVERIFY(!session->requestViewport(QSize(800, 600)).ok() || relay.controls.empty());
    QTest::qWait(200);
    QVERIFY(relay.inputs.empty());
    QVERIFY(relay.controls.empty());
}

void TestViewerSession::sasMustBeConfirmed()
{
    ScriptedAgentRelay::Options options;
    options.keyInLink = false;
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QSignalSpy sas(session.get(), &ViewerSession::sasConfirmationRequired);
    session->start();
    QVERIFY(sas.wait(Timeout));
    QCOMPARE(session->state(), State::ConfirmSas);
    const QString digits = sas.first().at(0).toString();
    QCOMPARE(digits.size(), 6);
    QCOMPARE(digits, session->sas());
    QVERIFY(!session->sendInput(InputEvent::keyDown(QStringLiteral("a"), QStringLiteral("KeyA"))).ok());

    session->confirmSas();
    QCOMPARE(session->state(), State::Ready);
    QVERIFY(session->sendInput(InputEvent::keyDown(QStringLiteral("b"), QStringLiteral("KeyB"))).ok());
    QTRY_COMPARE_WITH_TIMEOUT(relay.inputs.size(), size_t(1), Timeout);
    QCOMPARE(relay.inputs[0].key(), QStringLiteral("b"));
}

void TestViewerSession::substitutedKeyStopsTheSession()
{
    ScriptedAgentRelay::Options options;
    options.substituteKey = true;
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QSignalSpy ended(session.get(), &ViewerSession::ended);
    session->start();
    QVERIFY(ended.wait(Timeout));
    QCOMPARE(ended.first().at(0).value<EndReason>(), EndReason::KeyMismatch);
    QVERIFY(ended.first().at(1).toString().contains(QStringLiteral("substituted")));
    QCOMPARE(session->state(), State::Ended);
    QTest::qWait(100);
    QCOMPARE(relay.viewerKeys, 0); // not even our key went out
    QVERIFY(!session->sendInput(InputEvent::paste(QStringLiteral("secret"))).ok());
}

void TestViewerSession::version1Works()
{
    ScriptedAgentRelay::Options options;
    options.version = 1;
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QSignalSpy version(session.get(), &ViewerSession::protocolVersionKnown);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), State::Ready, Timeout);
    QCOMPARE(version.count(), 1);
    QCOMPARE(version.first().at(0).toInt(), 1);
    QVERIFY(session->sendInput(InputEvent::click(10, 20)).ok());
    QTRY_COMPARE_WITH_TIMEOUT(relay.inputs.size(), size_t(1), Timeout);
    QCOMPARE(relay.inputs[0].type(), InputEventType::Click);
    QCOMPARE(session->requestViewport(QSize(800, 600)).error().code, QStringLiteral("unsupported"));

    QSignalSpy frames(session.get(), &ViewerSession::frameReceived);
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::green);
    QVERIFY(relay.sendFrame(image));
    QVERIFY(frames.wait(Timeout));
    QCOMPARE(frames.first().at(1).value<handoff::protocol::FrameMetadata>().deviceWidth, 64.0);
}

void TestViewerSession::framesArriveDecrypted()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QSignalSpy frames(session.get(), &ViewerSession::frameReceived);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), State::Ready, Timeout);
    QImage image(320, 200, QImage::Format_RGB32);
    image.fill(Qt::blue);
    QVERIFY(relay.sendFrame(image));
    QVERIFY(frames.wait(Timeout));
    const QByteArray jpeg = frames.first().at(0).toByteArray();
    QVERIFY(jpeg.startsWith("\xff\xd8"));
    const auto meta = frames.first().at(1).value<handoff::protocol::FrameMetadata>();
    QCOMPARE(meta.deviceWidth, 320.0);
    QCOMPARE(meta.deviceHeight, 200.0);
    QCOMPARE(session->framesReceived(), quint64(1));
}

void TestViewerSession::viewportRequestIsAControlRecord()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    // Asked before the channel is ready: kept and sent once it is.
    QVERIFY(session->requestViewport(QSize(1024, 700)).ok());
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(relay.controls.size(), size_t(1), Timeout);
    QCOMPARE(relay.controls[0].value(QStringLiteral("type")).toString(), QStringLiteral("viewport"));
    QCOMPARE(relay.controls[0].value(QStringLiteral("width")).toInt(), 1024);
    QCOMPARE(relay.controls[0].value(QStringLiteral("height")).toInt(), 700);
    QVERIFY(session->requestViewport(QSize(1024, 700)).ok()); // unchanged: not sent again
    QVERIFY(session->requestViewport(QSize(900, 600)).ok());
    QTRY_COMPARE_WITH_TIMEOUT(relay.controls.size(), size_t(2), Timeout);
    QCOMPARE(relay.controls[1].value(QStringLiteral("width")).toInt(), 900);
    QCOMPARE(session->requestViewport(QSize(0, 10)).error().code, QStringLiteral("bad_viewport"));
}

void TestViewerSession::reconnectKeepsKeysAndCounters()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), State::Ready, Timeout);
    QVERIFY(session->sendInput(InputEvent::keyDown(QStringLiteral("1"), QStringLiteral("Digit1"))).ok());
    QTRY_COMPARE_WITH_TIMEOUT(relay.inputs.size(), size_t(1), Timeout);
    const QString sasBefore = session->sas();

    QSignalSpy states(session.get(), &ViewerSession::stateChanged);
    relay.dropViewer();
    QTRY_VERIFY_WITH_TIMEOUT(states.contains(QVariantList{QVariant::fromValue(State::Reconnecting)}), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), State::Ready, Timeout);
    QCOMPARE(relay.connections, 2);
    QCOMPARE(session->sas(), sasBefore); // same keys

    // The agent's channel accepts the next record: the counters went on, nothing was replayed.
    QVERIFY(session->sendInput(InputEvent::keyDown(QStringLiteral("2"), QStringLiteral("Digit2"))).ok());
    QTRY_COMPARE_WITH_TIMEOUT(relay.inputs.size(), size_t(2), Timeout);
    QCOMPARE(relay.inputs[1].key(), QStringLiteral("2"));
    QVERIFY2(relay.errors.empty(), qPrintable(relay.errors.empty() ? QString() : relay.errors.front()));
}

void TestViewerSession::sessionOutcomes_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<EndReason>("reason");
    QTest::newRow("resolved") << QStringLiteral("session_resolved") << EndReason::Resolved;
    QTest::newRow("cancelled") << QStringLiteral("session_cancelled") << EndReason::Cancelled;
    QTest::newRow("expired") << QStringLiteral("session_expired") << EndReason::Expired;
}

void TestViewerSession::sessionOutcomes()
{
    QFETCH(QString, message);
    QFETCH(EndReason, reason);
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QSignalSpy ended(session.get(), &ViewerSession::ended);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), State::Ready, Timeout);
    relay.endSession(message);
    QVERIFY(ended.wait(Timeout));
    QCOMPARE(ended.count(), 1);
    QCOMPARE(ended.first().at(0).value<EndReason>(), reason);
    QTest::qWait(200);
    QCOMPARE(relay.connections, 1); // no reconnection after the end
}

void TestViewerSession::closeCodesEndTheSession_data()
{
    QTest::addColumn<int>("code");
    QTest::newRow("bad token") << 4401;
    QTest::newRow("not found") << 4404;
    QTest::newRow("another viewer") << 4409;
    QTest::newRow("terminal") << 4410;
}

void TestViewerSession::closeCodesEndTheSession()
{
    QFETCH(int, code);
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QSignalSpy ended(session.get(), &ViewerSession::ended);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), State::Ready, Timeout);
    relay.closeViewer(quint16(code));
    QVERIFY(ended.wait(Timeout));
    QCOMPARE(ended.first().at(0).value<EndReason>(), EndReason::Rejected);
}

void TestViewerSession::agentGoneEndsTheSession()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    auto options = fastOptions();
    options.agentGoneTimeout = std::chrono::milliseconds(300);
    auto link = SessionLinkParser::parse(relay.link());
    ViewerSession session(*link, options);
    QSignalSpy ended(&session, &ViewerSession::ended);
    QSignalSpy presence(&session, &ViewerSession::agentPresenceChanged);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Ready, Timeout);
    relay.sendServerMessage({{QStringLiteral("type"), QStringLiteral("agent_disconnected")}});
    QTRY_VERIFY_WITH_TIMEOUT(!session.agentConnected(), Timeout);
    QVERIFY(!session.canSendInput());
    QVERIFY(ended.wait(Timeout));
    QCOMPARE(ended.first().at(0).value<EndReason>(), EndReason::AgentGone);
}

void TestViewerSession::relayDescriptionIsNotShownInVersion2()
{
    ScriptedAgentRelay::Options options;
    options.relayService = QStringLiteral("Handoff Security Team - type your bank PIN");
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QStringList shown;
    connect(session.get(), &ViewerSession::sessionInfoReceived, this,
            [&shown](const handoff::session::SessionInfo& info) { shown << info.service; });
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->info().source, handoff::session::SessionInfo::Source::Agent, Timeout);
    QCOMPARE(session->info().service, QStringLiteral("Demo Bank"));
    // The relay's words never reached what the window shows.
    QVERIFY(!shown.contains(options.relayService));
}

void TestViewerSession::relayDescriptionIsShownInVersion1()
{
    ScriptedAgentRelay::Options options;
    options.version = 1;
    options.relayService = QStringLiteral("AuthLoop Bank");
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->info().source, handoff::session::SessionInfo::Source::Relay, Timeout);
    QCOMPARE(session->info().service, QStringLiteral("AuthLoop Bank"));
    QCOMPARE(session->protocolVersion(), 1);
}

void TestViewerSession::linkWithoutViewerSecretIsRefused()
{
    ScriptedAgentRelay::Options options;
    options.secretInLink = false;
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    QSignalSpy ended(session.get(), &ViewerSession::ended);
    session->start();
    QVERIFY(ended.wait(Timeout));
    QCOMPARE(ended.first().at(0).value<EndReason>(), EndReason::ProtocolError);
    QVERIFY(ended.first().at(1).toString().contains(QStringLiteral("viewer secret")));
    QCOMPARE(relay.viewerKeys, 0); // nothing was sent to the agent
}

void TestViewerSession::deceptiveDescriptionIsShownPlain()
{
    ScriptedAgentRelay::Options options;
    options.service = QStringLiteral("Bank\u202Eknab");
    options.hint = QStringLiteral("<b>PIN</b>\u200B here");
    ScriptedAgentRelay relay(options);
    QVERIFY(relay.listen());
    auto session = sessionFor(relay);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(session->info().source, handoff::session::SessionInfo::Source::Agent, Timeout);
    // The override and the zero-width space are replaced, visibly; markup stays text.
    QCOMPARE(session->info().service, QStringLiteral("Bank\uFFFDknab"));
    QCOMPARE(session->info().hint, QStringLiteral("<b>PIN</b>\uFFFD here"));
}

QTEST_GUILESS_MAIN(TestViewerSession)
#include "tst_ViewerSession.moc"
