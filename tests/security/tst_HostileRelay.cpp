// The relay turned attacker (tests/support/HostileRelay in front of a real
// handoff-server), against the real agent (AgentSession driving a headless
// Chromium) and the app's real viewer (ViewerSession), in protocol version 2:
//   (a) it offers the agent a viewer key of its own, with no person there and in
//       the middle of a person's session: it gets no frame it can read and its
//       input never reaches the page, and the person's session carries on;
//   (b) it rekeys the agent V -> X -> V and replays the person's recorded input:
//       no record is sealed twice under one nonce and nothing is typed twice;
//   (c) it rewrites the plaintext session_info: the viewer shows the agent's own
//       words, sent end-to-end encrypted.
// The relay in this test knows everything the wire carries (both public keys, the
// session id, the key fingerprint) but not the link's viewer secret.

#include "agent/cdp/CdpClient.h"
#include "agent/input/KeyTable.h"
#include "agent/session/AgentSession.h"
#include "core/crypto/AeadCipher.h"
#include "core/crypto/Digest.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/crypto/Hkdf.h"
#include "core/protocol/InputEvent.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/RecordCodec.h"
#include "core/protocol/SessionLinkParser.h"
#include "core/protocol/V1Envelope.h"
#include "core/session/ViewerSession.h"
#include "tests/agent/CdpTestUtil.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/HostileRelay.h"
#include "tests/support/TestPageServer.h"
#include "tests/support/TestServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <set>

using namespace handoff;
using namespace handoff::agent;
using handoff::protocol::InputEvent;
using handoff::protocol::RecordCodec;
using handoff::protocol::RecordKind;
using handoff::protocol::WireMessage;
using handoff::session::ViewerSession;
using handoff::test::ChromiumProcess;
using handoff::test::HostileRelay;
using handoff::test::TestPageServer;
using handoff::test::TestServer;
using Role = HostileRelay::Role;

namespace {

constexpr int Timeout = 30000;

const QByteArray Page = R"(<!doctype html><html><head><title>sign in</title><style>
 input { display:block; width:300px; height:30px; margin:10px; }</style></head><body>
<input id="user" autocomplete="off" autofocus></body></html>)";

const QString FieldValue = QStringLiteral("document.getElementById('user').value");

bool isPubkey(const WireMessage& message)
{
    return message.type == WireMessage::Type::Text
        && QJsonDocument::fromJson(message.data).object().value(QLatin1String("type")).toString()
        == QLatin1String("pubkey");
}

// The relay's own viewer key X and the keys it can derive with it: the ECDH
// secret with the agent's public key, without the viewer secret it never saw.
class RelayViewer final {
public:
    RelayViewer(const QString& sessionId, const QByteArray& agentPubkeyMessage)
        : m_key(crypto::EcdhKeyPair::generate().value())
        , m_sessionId(sessionId.toLatin1())
    {
        const QByteArray agentPoint = protocol::V1Envelope::parsePubkey(agentPubkeyMessage)->publicPoint;
        const QByteArray z = m_key.deriveSharedSecret(agentPoint)->bytes();
        const QByteArray salt = crypto::Digest::sha256("handoff/2 salt" + m_sessionId);
        const QByteArray info = "handoff/2" + agentPoint + m_key.publicPoint();
        m_toAgent = *crypto::Hkdf::sha256(z, salt, info + "v2a", 32);
        m_fromAgent = *crypto::Hkdf::sha256(z, salt, info + "a2v", 32);
    }

    WireMessage pubkey() const { return WireMessage::text(protocol::V1Envelope::pubkeyMessage(m_key.publicPoint(), 2)); }

    // A record as the relay would seal it for the agent.
    WireMessage seal(RecordKind kind, const QByteArray& plaintext)
    {
        const quint64 seq = ++m_seq;
        const QByteArray header = RecordCodec::encodeHeader(kind, seq);
        const auto sealed = crypto::AeadCipher::create(m_toAgent)->encrypt(
            RecordCodec::nonce("v2a ", seq), RecordCodec::aad(header, m_sessionId), plaintext);
        return WireMessage::binary(RecordCodec::assemble(header, sealed->ciphertext, sealed->tag));
    }

    // Whether the relay can open a record the agent sent.
    bool canOpen(const WireMessage& record) const
    {
        const auto parts = RecordCodec::split(record.data);
        if (!parts)
            return false;
        return crypto::AeadCipher::create(m_fromAgent)
            ->decrypt(RecordCodec::nonce("a2v ", parts->header.seq), RecordCodec::aad(parts->headerBytes, m_sessionId),
                      parts->ciphertext, parts->tag)
            .ok();
    }

private:
    crypto::EcdhKeyPair m_key;
    QByteArray m_sessionId;
    QByteArray m_toAgent;
    QByteArray m_fromAgent;
    quint64 m_seq = 0;
};

} // namespace

class TestHostileRelay final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void ownViewerKeyWithNobodyThere();
    void ownViewerKeyDuringTheSession();
    void rekeyAndReplay();
    void rewrittenSessionInfo();

private:
    // Starts the agent and waits for its link and its key on the relay.
    void startAgent();
    // Opens the person's viewer on the agent's link and waits until it is ready and shows the page.
    void openViewer();
    void type(const QString& text);
    QString fieldValue();
    QByteArray agentPubkey() const;
    QList<WireMessage> agentRecordsSince(qsizetype index) const;
    QList<WireMessage> agentRecordsBetween(qsizetype from, qsizetype to) const;

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ChromiumProcess> m_chromium;
    std::unique_ptr<HostileRelay> m_relay;
    TestPageServer m_pages;
    std::unique_ptr<AgentSession> m_agent;
    std::unique_ptr<ViewerSession> m_viewer;
    std::unique_ptr<CdpClient> m_cdp;
    QUrl m_link;
};

void TestHostileRelay::initTestCase()
{
    if (ChromiumProcess::executable().isEmpty())
        QSKIP("no Chromium executable on this machine");
    if (TestServer::program().isEmpty())
        QSKIP("handoff-server is not built");
    QVERIFY(m_pages.listen());
    m_pages.setPage("/login", Page);
    m_relay = std::make_unique<HostileRelay>();
    QVERIFY(m_relay->listen());
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->start({QStringLiteral("--public-url"), m_relay->publicUrl().toString()}),
             qPrintable(m_server->errorString()));
    m_relay->setUpstream(m_server->baseUrl());
    m_chromium = std::make_unique<ChromiumProcess>();
    QVERIFY2(m_chromium->start(m_pages.url(QStringLiteral("/login"))), qPrintable(m_chromium->errorString()));
}

void TestHostileRelay::init()
{
    m_cdp = std::make_unique<CdpClient>();
    QVERIFY(testutil::connectClient(*m_cdp, m_chromium->httpEndpoint()));
    QVERIFY(testutil::navigate(*m_cdp, m_pages.url(QStringLiteral("/login"))));
    m_relay->setFilter({});
    m_relay->clearSeen();
}

void TestHostileRelay::cleanup()
{
    m_viewer.reset();
    m_agent.reset();
    m_cdp.reset();
}

void TestHostileRelay::cleanupTestCase()
{
    m_chromium.reset();
    m_server.reset();
    m_relay.reset();
}

void TestHostileRelay::startAgent()
{
    AgentSessionConfig config;
    config.server = m_server->baseUrl();
    config.apiKey = m_server->apiKey();
    config.cdpUrl = m_chromium->httpEndpoint();
    config.target = QStringLiteral("/login");
    config.protocolVersion = 2;
    config.request.service = QStringLiteral("Test Bank");
    config.request.blockerType = QStringLiteral("password");
    config.request.hint = QStringLiteral("Sign in as alex");
    config.request.ttlSeconds = 300;
    m_agent = std::make_unique<AgentSession>(std::move(config));
    QSignalSpy link(m_agent.get(), &AgentSession::linkReady);
    m_agent->start();
    QTRY_COMPARE_WITH_TIMEOUT(link.size(), 1, Timeout);
    m_link = link.at(0).at(0).toUrl();
    QTRY_VERIFY_WITH_TIMEOUT(m_relay->hasAgent(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!agentPubkey().isEmpty(), Timeout);
}

void TestHostileRelay::openViewer()
{
    const auto link = protocol::SessionLinkParser::parse(m_link);
    QVERIFY(link.ok());
    m_viewer = std::make_unique<ViewerSession>(*link);
    m_viewer->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_viewer->state(), ViewerSession::State::Ready, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_viewer->framesReceived() > 0, Timeout);
}

void TestHostileRelay::type(const QString& text)
{
    for (const QChar c : text) {
        const QString key(c);
        const auto* def = KeyTable::byKey(key);
        const QString code = def ? def->code : QString();
        QVERIFY(m_viewer->sendInput(InputEvent::keyDown(key, code)).ok());
        QVERIFY(m_viewer->sendInput(InputEvent::keyPress(key)).ok());
        QVERIFY(m_viewer->sendInput(InputEvent::keyUp(key, code)).ok());
        QTest::qWait(60); // under the agent's keystroke limit
    }
}

QString TestHostileRelay::fieldValue()
{
    return testutil::evaluate(*m_cdp, FieldValue).toString();
}

QByteArray TestHostileRelay::agentPubkey() const
{
    for (const WireMessage& message : m_relay->seenFrom(Role::Agent)) {
        if (isPubkey(message))
            return message.data;
    }
    return {};
}

QList<WireMessage> TestHostileRelay::agentRecordsSince(qsizetype index) const
{
    return agentRecordsBetween(index, m_relay->seen().size());
}

QList<WireMessage> TestHostileRelay::agentRecordsBetween(qsizetype from, qsizetype to) const
{
    QList<WireMessage> records;
    const auto& seen = m_relay->seen();
    for (qsizetype i = from; i < std::min(to, seen.size()); ++i) {
        if (seen.at(i).from == Role::Agent && !seen.at(i).fromServer
            && seen.at(i).message.type == WireMessage::Type::Binary)
            records.append(seen.at(i).message);
    }
    return records;
}

// (a) No person yet: the relay plays the viewer with a key of its own.
void TestHostileRelay::ownViewerKeyWithNobodyThere()
{
    startAgent();
    if (QTest::currentTestFailed())
        return;
    QSignalSpy sas(m_agent.get(), &AgentSession::sasReady);
    RelayViewer relay(m_agent->sessionId(), agentPubkey());
    const qsizetype start = m_relay->seen().size();
    QVERIFY(m_relay->injectToAgent(WireMessage::text(R"({"type":"viewer_connected"})")));
    QVERIFY(m_relay->injectToAgent(relay.pubkey()));
    // The agent answers with its "ready" and nothing else...
    QTRY_COMPARE_WITH_TIMEOUT(agentRecordsSince(start).size(), 1, Timeout);
    // ...which the relay cannot open: the keys need the link's secret.
    QVERIFY(!relay.canOpen(agentRecordsSince(start).first()));
    // Its own key confirmation and keystrokes, sealed with what it can derive, do nothing.
    QVERIFY(m_relay->injectToAgent(relay.seal(RecordKind::Control, R"({"type":"confirm","nonce":"AAAAAAAAAAAAAAAAAAAAAA"})")));
    for (const char* key : {"x", "y"}) {
        QVERIFY(m_relay->injectToAgent(relay.seal(RecordKind::Input, protocol::InputEventCodec::serialize(
                                                                         InputEvent::keyPress(QString::fromLatin1(key))))));
    }

    // The person arrives: everything the relay sent was handled before, in order.
    openViewer();
    if (QTest::currentTestFailed())
        return;
    qsizetype personKey = start;
    while (personKey < m_relay->seen().size()
           && !(m_relay->seen().at(personKey).from == Role::Viewer && !m_relay->seen().at(personKey).fromServer
                && isPubkey(m_relay->seen().at(personKey).message)))
        ++personKey;
    // Until the person's key came, the agent sent the "ready" alone: no frame, no description, no reveal.
    QCOMPARE(agentRecordsBetween(start, personKey).size(), 1);
    for (const WireMessage& record : agentRecordsSince(start))
        QVERIFY2(!relay.canOpen(record), "the relay opened a record the agent sent");
    QCOMPARE(sas.size(), 1); // the person's viewer, not the relay's
    type(QStringLiteral("alex"));
    QTRY_COMPARE_WITH_TIMEOUT(fieldValue(), QStringLiteral("alex"), Timeout);
}

// (a) A person is there: the relay's key is refused, the person carries on.
void TestHostileRelay::ownViewerKeyDuringTheSession()
{
    startAgent();
    if (QTest::currentTestFailed())
        return;
    openViewer();
    if (QTest::currentTestFailed())
        return;
    type(QStringLiteral("al"));
    QTRY_COMPARE_WITH_TIMEOUT(fieldValue(), QStringLiteral("al"), Timeout);

    RelayViewer relay(m_agent->sessionId(), agentPubkey());
    const qsizetype start = m_relay->seen().size();
    QVERIFY(m_relay->injectToAgent(WireMessage::text(R"({"type":"viewer_connected"})")));
    QVERIFY(m_relay->injectToAgent(relay.pubkey()));
    QVERIFY(m_relay->injectToAgent(relay.seal(RecordKind::Input, protocol::InputEventCodec::serialize(
                                                                     InputEvent::keyPress(QStringLiteral("z"))))));
    const quint64 framesBefore = m_viewer->framesReceived();

    // The person's session goes on: input reaches the page, new frames arrive.
    type(QStringLiteral("ex"));
    QTRY_COMPARE_WITH_TIMEOUT(fieldValue(), QStringLiteral("alex"), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_viewer->framesReceived() > framesBefore, Timeout);
    QCOMPARE(m_viewer->state(), ViewerSession::State::Ready);
    QVERIFY(!m_viewer->endReason().has_value());
    for (const WireMessage& record : agentRecordsSince(start))
        QVERIFY2(!relay.canOpen(record), "the relay opened a record the agent sent");
}

// (b) V -> X -> V: the person's key offered again after the relay's, then the
// person's recorded input replayed.
void TestHostileRelay::rekeyAndReplay()
{
    startAgent();
    if (QTest::currentTestFailed())
        return;
    openViewer();
    if (QTest::currentTestFailed())
        return;
    const qsizetype typing = m_relay->seen().size();
    type(QStringLiteral("alex"));
    QTRY_COMPARE_WITH_TIMEOUT(fieldValue(), QStringLiteral("alex"), Timeout);

    QList<WireMessage> recordedInput;
    QByteArray viewerPubkey;
    const auto& seen = m_relay->seen();
    for (qsizetype i = 0; i < seen.size(); ++i) {
        if (seen.at(i).from != Role::Viewer || seen.at(i).fromServer)
            continue;
        if (isPubkey(seen.at(i).message))
            viewerPubkey = seen.at(i).message.data;
        else if (i >= typing && seen.at(i).message.type == WireMessage::Type::Binary)
            recordedInput.append(seen.at(i).message);
    }
    QVERIFY(!viewerPubkey.isEmpty());
    QVERIFY(recordedInput.size() >= 12);

    RelayViewer relay(m_agent->sessionId(), agentPubkey());
    QVERIFY(m_relay->injectToAgent(relay.pubkey()));
    QVERIFY(m_relay->injectToAgent(WireMessage::text(viewerPubkey)));
    for (const WireMessage& record : std::as_const(recordedInput))
        QVERIFY(m_relay->injectToAgent(record));

    // A barrier: the person types on; everything injected was handled before it.
    type(QStringLiteral("!"));
    QTRY_COMPARE_WITH_TIMEOUT(fieldValue(), QStringLiteral("alex!"), Timeout);
    QTest::qWait(300);
    QCOMPARE(fieldValue(), QStringLiteral("alex!"));

    // Every record the agent sealed in this session has its own sequence number
    // (so its own nonce), and no two are the same bytes.
    std::set<quint64> seqs;
    std::set<QByteArray> bytes;
    const QList<WireMessage> records = agentRecordsSince(0);
    for (const WireMessage& record : records) {
        const auto header = RecordCodec::decodeHeader(record.data);
        QVERIFY(header.ok());
        QVERIFY2(seqs.insert(header->seq).second, "the agent sealed two records under one sequence number");
        QVERIFY2(bytes.insert(record.data).second, "the agent sent the same record twice");
    }
    QVERIFY(records.size() > 3);
    QCOMPARE(m_viewer->state(), ViewerSession::State::Ready);
}

// (c) The relay's plaintext description says what it likes; the viewer shows the agent's.
void TestHostileRelay::rewrittenSessionInfo()
{
    m_relay->setFilter([](Role from, WireMessage& message) {
        if (from != Role::Agent || message.type != WireMessage::Type::Text)
            return true;
        QJsonObject object = QJsonDocument::fromJson(message.data).object();
        if (object.value(QLatin1String("type")).toString() != QLatin1String("session_info"))
            return true;
        object[QStringLiteral("service")] = QStringLiteral("Handoff Security Team - type your bank PIN");
        object[QStringLiteral("context")]
            = QJsonObject{{QStringLiteral("hint"), QStringLiteral("<b>Type your card PIN below</b>")}};
        message.data = QJsonDocument(object).toJson(QJsonDocument::Compact);
        return true;
    });
    startAgent();
    if (QTest::currentTestFailed())
        return;
    openViewer();
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(m_viewer->info().source, session::SessionInfo::Source::Agent, Timeout);
    QCOMPARE(m_viewer->info().service, QStringLiteral("Test Bank"));
    QCOMPARE(m_viewer->info().hint, QStringLiteral("Sign in as alex"));
    QCOMPARE(m_viewer->info().blockerType, QStringLiteral("password"));
    QVERIFY(m_viewer->info().expiresAt.isValid()); // the server's word on time is kept
}

QTEST_MAIN(TestHostileRelay)
#include "tst_HostileRelay.moc"
