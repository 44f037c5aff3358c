// Version 2 channels of both roles talking to each other in process: a
// known-answer vector computed independently (tests/interop/v2-known-answer.mjs,
// Node's crypto module), the handshake with its viewer secret, key confirmation,
// commitment and SAS, records in both directions, reconnects and rekeys, and every
// rejection: tampered ciphertext and AAD, replays, bad keys, substituted keys, a
// relay offering its own viewer key, input before the handshake is done.

#include "core/crypto/AeadCipher.h"
#include "core/crypto/Digest.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/crypto/Hkdf.h"
#include "core/protocol/RecordCodec.h"
#include "core/protocol/SecureChannel.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/V1Envelope.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace handoff;
using namespace handoff::protocol;

namespace {

// Known-answer vector: `node tests/interop/v2-known-answer.mjs` prints these.
namespace kat {
const QString SessionId = QStringLiteral("sess_4EOfTZnO8Ue9yqkvRk3Jzl");
const QByteArray AgentScalar = QByteArray::fromHex("4072ab186b8a25885b9f607f3ea9a47a1a6f5d3faed0cddfc6ea99e483659e0d");
const QByteArray ViewerScalar = QByteArray::fromHex("6280675e15e0db94c7cd52c3b490467584cf6f66e6c8d010e5b2085a346e3d37");
const QByteArray ViewerSecret = QByteArray::fromHex("5e1f0a7c3b9d2e4f6a8b0c1d2e3f4051");
const QByteArray NonceSeed = QByteArray::fromHex("a3c1f0e29b7d5c4e3f2a1b0c9d8e7f60112233445566778899aabbccddeeff00");
const QByteArray ViewerNonce = QByteArray::fromHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
const QByteArray AgentPoint = QByteArray::fromHex(
    "044d7b1d30dca16e4387a9316c226d5e1bd7b770c52cf26fda4b5359a63103b25ffaf3186dc295f26c65d20e5a41ccd823d8049dda40"
    "44a21855d2986670957f68");
const QByteArray ViewerPoint = QByteArray::fromHex(
    "0443117006c9ef75f6e2af4c39646429b83665677b16d9d1aad69df19c8407f33c12c55a0d19ca8bd237618f31b0574602c2e5c5ed5e"
    "d35d7518b8eae953fcf47b");
const QByteArray Fingerprint = "iGEU9k6p8-Ak0-phKS3DGQ";
const QByteArray AgentToViewerKey
    = QByteArray::fromHex("1935aaa57e70d7d2a403832ef09be0245da6ede86d3b946025aef57c183c8ddd");
const QByteArray ViewerToAgentKey
    = QByteArray::fromHex("8cdce9982e76ab2f8128e565fad433372f4bd6d7804dce21e581bd5395370d73");
const QByteArray AgentNonce = QByteArray::fromHex("1c4109ca088f030d6d598f7b79e70af9");
const QByteArray Commitment = QByteArray::fromHex("f08f710252bc04d96653d66913398851cca4b324e399c1aa51ba4e3f0e8e34a0");
const QString SasDigits = QStringLiteral("552605");
// {"type":"ready","commit":...}, agent to viewer, seq 1.
const QByteArray ReadyRecord = QByteArray::fromHex(
    "020300000000000000010652e688d194b14b8acd5a1c4c979893ffcd3eb35f82da484e3bc597c87ab2871b4626b1bf7867db37bddd9455"
    "36d180920ff8cb7fdf2415472a87578ca38d2722f5acf646d707754437bdf77c0fa8cb38854351ba2ba3");
// {"type":"confirm","nonce":...}, viewer to agent, seq 1.
const QByteArray ConfirmRecord = QByteArray::fromHex(
    "0203000000000000000186fd16ada3214830f419302a166912aba854894f9098d2bae1f7eec537cd42a53b7cb876a794618cd717b09a"
    "0f9d498496ce35d0c645f123bdefa021a20234a2179085");
// {"type":"reveal","nonce":...}, agent to viewer, seq 2.
const QByteArray RevealRecord = QByteArray::fromHex(
    "02030000000000000002ea59fab73dbfcb80bcaa259464edb5d51700e8e2c3d63f633a4ee628dd1d379f2c3b6c7c07173b858aa8b3d1"
    "d71ccc20b8324ab1dda199002362a6c85c34b0c7fc30");
} // namespace kat

const QString SessionId = QStringLiteral("sess_7Hq2mZ0pLr4xYb9Kd1Nc3W");
const QByteArray Secret = QByteArray::fromHex("00112233445566778899aabbccddeeff");
const QByteArray Click = "{\"type\":\"click\",\"x\":10,\"y\":20}";

// Unwraps a Result the test knows to be a success.
template<typename T> T take(Result<T> result)
{
    Q_ASSERT(result.ok());
    return std::move(result).value();
}

crypto::EcdhKeyPair keyFromScalar(const QByteArray& scalar)
{
    auto key = crypto::EcdhKeyPair::fromPrivateScalar(scalar);
    Q_ASSERT(key.ok());
    return std::move(*key);
}

crypto::EcdhKeyPair freshKey()
{
    auto key = crypto::EcdhKeyPair::generate();
    Q_ASSERT(key.ok());
    return std::move(*key);
}

QString code(const Result<Incoming>& result)
{
    return result.ok() ? QStringLiteral("ok") : result.error().code;
}

QJsonObject json(const QByteArray& text)
{
    return QJsonDocument::fromJson(text).object();
}

quint64 seqOf(const WireMessage& record)
{
    return RecordCodec::decodeHeader(record.data)->seq;
}

struct Pair {
    std::unique_ptr<SecureChannelV2> agent;
    std::unique_ptr<SecureChannelV2> viewer;
    WireMessage ready;   // agent -> viewer
    WireMessage confirm; // viewer -> agent (empty until the ready was delivered)
    WireMessage reveal;  // agent -> viewer (empty until the confirm was delivered)
};

enum class Link { Pinned, WithoutK };
enum class Until { Pubkeys, Ready, Confirm, Done };

// Agent pubkey -> viewer -> viewer pubkey -> agent -> "ready" -> viewer ->
// "confirm" -> agent -> "reveal" -> viewer, stopping where asked.
Pair handshake(Link link = Link::Pinned, Until until = Until::Done, const QString& viewerSessionId = SessionId,
               const QByteArray& viewerSecret = Secret)
{
    Pair pair;
    pair.agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
    const QByteArray k = link == Link::Pinned ? pair.agent->localFingerprint() : QByteArray();
    pair.viewer = take(SecureChannelV2::createViewer(viewerSessionId, k, viewerSecret));
    auto viewerAccepted = pair.viewer->acceptPeerKey(pair.agent->pubkeyMessage());
    Q_ASSERT(viewerAccepted.ok());
    auto agentAccepted = pair.agent->acceptPeerKey(viewerAccepted->replies.first().data);
    Q_ASSERT(agentAccepted.ok() && agentAccepted->replies.size() == 1);
    pair.ready = agentAccepted->replies.first();
    if (until == Until::Pubkeys)
        return pair;
    auto ready = pair.viewer->receive(pair.ready);
    if (!ready.ok() || until == Until::Ready)
        return pair;
    pair.confirm = ready->replies.first();
    auto confirmed = pair.agent->receive(pair.confirm);
    Q_ASSERT(confirmed.ok());
    if (until == Until::Confirm)
        return pair;
    pair.reveal = confirmed->replies.first();
    auto revealed = pair.viewer->receive(pair.reveal);
    Q_UNUSED(revealed);
    return pair;
}

FrameMetadata frameMeta()
{
    FrameMetadata meta;
    meta.deviceWidth = 1280;
    meta.deviceHeight = 720;
    meta.pageScaleFactor = 1.5;
    meta.timestamp = 1763800000.5;
    meta.format = FrameMetadata::Format::Png;
    return meta;
}

WireMessage flipped(const WireMessage& record, qsizetype index, char mask = 0x01)
{
    QByteArray bytes = record.data;
    bytes[index] = char(bytes[index] ^ mask);
    return WireMessage::binary(bytes);
}

// A record sealed by hand, as a peer (or an attacker holding a key) would build it.
WireMessage craft(const QByteArray& key, const char* label, RecordKind kind, quint64 seq, const QByteArray& sessionId,
                  const QByteArray& plaintext)
{
    const auto cipher = crypto::AeadCipher::create(key);
    const QByteArray header = RecordCodec::encodeHeader(kind, seq);
    const auto sealed = cipher->encrypt(RecordCodec::nonce(label, seq), RecordCodec::aad(header, sessionId), plaintext);
    return WireMessage::binary(RecordCodec::assemble(header, sealed->ciphertext, sealed->tag));
}

QByteArray readyJson(const QByteArray& commitment)
{
    return "{\"type\":\"ready\",\"commit\":\""
        + commitment.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + "\"}";
}

QByteArray revealJson(const QByteArray& nonce)
{
    return "{\"type\":\"reveal\",\"nonce\":\""
        + nonce.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + "\"}";
}

// A viewer in the known-answer session that has accepted the known agent key.
std::unique_ptr<SecureChannelV2> katViewer()
{
    auto viewer = take(SecureChannelV2::createViewer(kat::SessionId, *SecureChannelV2::parseFingerprint(kat::Fingerprint),
                                                     kat::ViewerSecret, keyFromScalar(kat::ViewerScalar),
                                                     kat::ViewerNonce));
    auto accepted = viewer->acceptPeerKey(V1Envelope::pubkeyMessage(kat::AgentPoint, 2));
    Q_ASSERT(accepted.ok());
    return viewer;
}

std::unique_ptr<SecureChannelV2> katAgent()
{
    return take(SecureChannelV2::createAgent(kat::SessionId, keyFromScalar(kat::AgentScalar), kat::ViewerSecret,
                                             kat::NonceSeed));
}

} // namespace

class tst_SecureChannelV2 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void knownAnswer()
    {
        auto agent = katAgent();
        QCOMPARE(SecureChannelV2::keyFingerprintB64Url(kat::AgentPoint), kat::Fingerprint);
        QCOMPARE(agent->localFingerprint(), *SecureChannelV2::parseFingerprint(kat::Fingerprint));
        QCOMPARE(agent->pubkeyMessage(), V1Envelope::pubkeyMessage(kat::AgentPoint, 2));

        auto viewer = take(SecureChannelV2::createViewer(
            kat::SessionId, *SecureChannelV2::parseFingerprint(kat::Fingerprint), kat::ViewerSecret,
            keyFromScalar(kat::ViewerScalar), kat::ViewerNonce));
        const auto viewerAccepted = viewer->acceptPeerKey(agent->pubkeyMessage());
        QVERIFY(viewerAccepted.ok());
        QCOMPARE(viewerAccepted->replies.size(), 1);
        QCOMPARE(viewerAccepted->replies.first().type, WireMessage::Type::Text);
        QCOMPARE(viewerAccepted->replies.first().data, V1Envelope::pubkeyMessage(kat::ViewerPoint, 2));

        const auto agentAccepted = agent->acceptPeerKey(viewerAccepted->replies.first().data);
        QVERIFY(agentAccepted.ok());
        QCOMPARE(agentAccepted->replies.size(), 1);
        QCOMPARE(agentAccepted->replies.first().type, WireMessage::Type::Binary);
        QCOMPARE(agentAccepted->replies.first().data, kat::ReadyRecord);
        QVERIFY(!agent->isReady());
        QCOMPARE(agent->sas(), QString());

        const auto ready = viewer->receive(WireMessage::binary(kat::ReadyRecord));
        QVERIFY(ready.ok());
        QCOMPARE(ready->kind, Incoming::Kind::Handshake);
        QCOMPARE(ready->replies.size(), 1);
        QCOMPARE(ready->replies.first().data, kat::ConfirmRecord);
        QVERIFY(!viewer->isReady());

        const auto confirmed = agent->receive(WireMessage::binary(kat::ConfirmRecord));
        QVERIFY(confirmed.ok());
        QCOMPARE(confirmed->kind, Incoming::Kind::Handshake);
        QVERIFY(agent->isReady());
        QCOMPARE(agent->sas(), kat::SasDigits);
        QCOMPARE(confirmed->replies.size(), 1);
        QCOMPARE(confirmed->replies.first().data, kat::RevealRecord);

        const auto revealed = viewer->receive(WireMessage::binary(kat::RevealRecord));
        QVERIFY(revealed.ok());
        QCOMPARE(revealed->kind, Incoming::Kind::Handshake);
        QVERIFY(revealed->replies.isEmpty());
        QVERIFY(viewer->isReady());
        QCOMPARE(viewer->sas(), kat::SasDigits);

        // Input the viewer seals opens with the vector's viewer-to-agent key.
        const auto input = viewer->encryptInput(Click);
        QVERIFY(input.ok());
        const auto parts = RecordCodec::split(input->data);
        QVERIFY(parts.ok());
        const auto cipher = crypto::AeadCipher::create(kat::ViewerToAgentKey);
        const auto plaintext = cipher->decrypt(RecordCodec::nonce("v2a ", parts->header.seq),
                                               RecordCodec::aad(parts->headerBytes, kat::SessionId.toLatin1()),
                                               parts->ciphertext, parts->tag);
        QVERIFY(plaintext.ok());
        QCOMPARE(*plaintext, Click);
    }

    void fingerprint()
    {
        const QByteArray point = freshKey().publicPoint();
        QCOMPARE(SecureChannelV2::keyFingerprint(point), crypto::Digest::sha256(point).left(16));
        const QByteArray k = SecureChannelV2::keyFingerprintB64Url(point);
        QCOMPARE(k.size(), 22);
        QVERIFY(!k.contains('=') && !k.contains('+') && !k.contains('/'));
        QCOMPARE(*SecureChannelV2::parseFingerprint(k), SecureChannelV2::keyFingerprint(point));
        QCOMPARE(*SecureChannelV2::parseLinkValue(SecureChannelV2::linkValue(Secret)), Secret);
        const auto secret = SecureChannelV2::makeViewerSecret();
        QVERIFY(secret.ok());
        QCOMPARE(secret->size(), SecureChannelV2::ViewerSecretSize);
        QVERIFY(*secret != *SecureChannelV2::makeViewerSecret());
    }

    void parseFingerprintRejects_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("21 chars") << QByteArray(21, 'A');
        QTest::newRow("23 chars") << QByteArray(23, 'A');
        QTest::newRow("padded") << QByteArray("iGEU9k6p8-Ak0-phKS3DGQ==");
        QTest::newRow("standard alphabet") << QByteArray("iGEU9k6p8+Ak0+phKS3DGQ");
        QTest::newRow("non-canonical last char") << QByteArray("iGEU9k6p8-Ak0-phKS3DGR");
        QTest::newRow("space") << QByteArray("iGEU9k6p8-Ak0-phKS3DG ");
    }

    void parseFingerprintRejects()
    {
        QFETCH(QByteArray, text);
        const auto parsed = SecureChannelV2::parseFingerprint(text);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, QStringLiteral("bad_fingerprint"));
        QCOMPARE(SecureChannelV2::parseLinkValue(text).error().code, QStringLiteral("bad_link_value"));
    }

    void createRejects()
    {
        QCOMPARE(SecureChannelV2::createViewer(QString(), {}, Secret).error().code, QStringLiteral("bad_session_id"));
        QCOMPARE(SecureChannelV2::createViewer(QStringLiteral("sess_é"), {}, Secret).error().code,
                 QStringLiteral("bad_session_id"));
        QCOMPARE(SecureChannelV2::createViewer(QStringLiteral("sess x"), {}, Secret).error().code,
                 QStringLiteral("bad_session_id"));
        QCOMPARE(SecureChannelV2::createAgent(QString(300, QLatin1Char('s')), freshKey(), Secret).error().code,
                 QStringLiteral("bad_session_id"));
        QCOMPARE(SecureChannelV2::createViewer(SessionId, QByteArray(15, 'k'), Secret).error().code,
                 QStringLiteral("bad_fingerprint"));
        // Without the viewer secret there is no version 2 at all.
        const auto noSecret = SecureChannelV2::createViewer(SessionId, QByteArray(16, 'k'), {});
        QCOMPARE(noSecret.error().code, QStringLiteral("missing_viewer_secret"));
        QVERIFY(noSecret.error().message.contains(QStringLiteral("'s'")));
        QCOMPARE(SecureChannelV2::createAgent(SessionId, freshKey(), QByteArray(15, 's')).error().code,
                 QStringLiteral("missing_viewer_secret"));
        QCOMPARE(SecureChannelV2::createAgent(SessionId, freshKey(), Secret, QByteArray(31, 'n')).error().code,
                 QStringLiteral("bad_nonce"));
        QCOMPARE(SecureChannelV2::createViewer(SessionId, {}, Secret, freshKey(), QByteArray(15, 'n')).error().code,
                 QStringLiteral("bad_nonce"));
    }

    void createViewerForPicksVersion2()
    {
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        auto viewer = SecureChannel::createViewerFor(agent->pubkeyMessage(), SessionId, agent->localFingerprint(),
                                                     Secret);
        QVERIFY(viewer.ok());
        QCOMPARE((*viewer)->version(), 2);
        QCOMPARE((*viewer)->role(), ChannelRole::Viewer);
        QVERIFY((*viewer)->acceptPeerKey(agent->pubkeyMessage()).ok());
        // A version-2 key on a link without s: the agent could not tell us from the relay.
        QCOMPARE(SecureChannel::createViewerFor(agent->pubkeyMessage(), SessionId, {}, {}).error().code,
                 QStringLiteral("missing_viewer_secret"));
    }

    void viewerSecretAloneRefusesDowngrade()
    {
        // A link that carries s (even without k) is a version-2 link: a version-1 key is a downgrade.
        const QByteArray v1Key = V1Envelope::pubkeyMessage(freshKey().publicPoint(), 1);
        QCOMPARE(SecureChannel::createViewerFor(v1Key, SessionId, {}, Secret).error().code,
                 QStringLiteral("downgrade"));
        QCOMPARE(SecureChannel::createViewerFor(v1Key, SessionId, {}, {}).value()->version(), 1);
    }

    void trafficBothWays()
    {
        Pair pair = handshake();
        QCOMPARE(seqOf(pair.ready), quint64(1));
        QCOMPARE(seqOf(pair.confirm), quint64(1));
        QCOMPARE(seqOf(pair.reveal), quint64(2));
        QVERIFY(pair.agent->isReady());
        QVERIFY(pair.viewer->isReady());
        QVERIFY(!pair.viewer->needsSasConfirmation());
        QCOMPARE(pair.viewer->sas().size(), 6);
        QCOMPARE(pair.viewer->sas(), pair.agent->sas());

        const auto input = pair.viewer->encryptInput(Click);
        QVERIFY(input.ok());
        QCOMPARE(input->type, WireMessage::Type::Binary);
        QCOMPARE(seqOf(*input), quint64(2));
        QCOMPARE(RecordCodec::decodeHeader(input->data)->kind, RecordKind::Input);
        QVERIFY(!input->data.contains("click"));
        const auto received = pair.agent->receive(*input);
        QVERIFY(received.ok());
        QCOMPARE(received->kind, Incoming::Kind::Input);
        QCOMPARE(received->plaintext, Click);

        const QByteArray image = QByteArray(5000, '\x89');
        const auto frame = pair.agent->encryptFrame(frameMeta(), image);
        QVERIFY(frame.ok());
        QCOMPARE(frame->size(), 1);
        QCOMPARE(seqOf(frame->first()), quint64(3));
        const auto shown = pair.viewer->receive(frame->first());
        QVERIFY(shown.ok());
        QCOMPARE(shown->kind, Incoming::Kind::Frame);
        QCOMPARE(shown->plaintext, image);
        QCOMPARE(shown->frame.deviceWidth, 1280.0);
        QCOMPARE(shown->frame.pageScaleFactor, 1.5);
        QCOMPARE(shown->frame.timestamp, 1763800000.5);
        QCOMPARE(shown->frame.format, FrameMetadata::Format::Png);

        const QByteArray bye = "{\"type\":\"viewport\",\"width\":800,\"height\":600}";
        const auto toAgent = pair.viewer->encryptControl(bye);
        QCOMPARE(seqOf(*toAgent), quint64(3));
        const auto atAgent = pair.agent->receive(*toAgent);
        QCOMPARE(atAgent->kind, Incoming::Kind::Control);
        QCOMPARE(atAgent->plaintext, bye);
        const auto toViewer = pair.agent->encryptControl("{\"type\":\"session_info\",\"service\":\"x\"}");
        QCOMPARE(pair.viewer->receive(*toViewer)->kind, Incoming::Kind::Control);
        QCOMPARE(pair.agent->droppedReplay() + pair.agent->droppedUndecryptable(), quint64(0));
        QCOMPARE(pair.viewer->droppedReplay() + pair.viewer->droppedUndecryptable(), quint64(0));
    }

    void inputOnlyAfterTheReveal()
    {
        Pair pair = handshake(Link::Pinned, Until::Confirm);
        // The agent took our confirmation, but until its reveal arrives we do not
        // know that it did: nothing goes out.
        QVERIFY(pair.agent->isReady());
        QVERIFY(!pair.viewer->isReady());
        QCOMPARE(pair.viewer->encryptInput(Click).error().code, QStringLiteral("not_ready"));
        QCOMPARE(pair.viewer->encryptControl("{\"type\":\"x\"}").error().code, QStringLiteral("not_ready"));
    }

    void inputBeforeHandshake()
    {
        auto viewer = take(SecureChannelV2::createViewer(SessionId, {}, Secret));
        QCOMPARE(viewer->encryptInput(Click).error().code, QStringLiteral("not_ready"));
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        QVERIFY(!agent->isReady());
        QCOMPARE(agent->encryptFrame(frameMeta(), "png").error().code, QStringLiteral("not_ready"));
        QCOMPARE(agent->encryptControl("{\"type\":\"x\"}").error().code, QStringLiteral("not_ready"));
        Pair other = handshake();
        QCOMPARE(code(agent->receive(*other.viewer->encryptInput(Click))), QStringLiteral("not_ready"));
        QCOMPARE(agent->droppedUndecryptable(), quint64(1));
    }

    void agentSendsNothingBeforeTheViewerConfirms()
    {
        Pair pair = handshake(Link::Pinned, Until::Pubkeys);
        QVERIFY(!pair.agent->isReady());
        QCOMPARE(pair.agent->encryptFrame(frameMeta(), "png").error().code, QStringLiteral("not_ready"));
        QCOMPARE(pair.agent->encryptControl("{\"type\":\"session_info\"}").error().code, QStringLiteral("not_ready"));
        QCOMPARE(pair.agent->sas(), QString());
    }

    void relayWithItsOwnViewerKeyGetsNothing()
    {
        // The relay knows everything the wire carries (both public keys, the
        // session id) but not the link's secret: it offers its own key X, gets the
        // agent's "ready", and can neither read it nor confirm.
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        const QByteArray guessedSecret = QByteArray(16, '\0');
        auto relay = take(SecureChannelV2::createViewer(SessionId, agent->localFingerprint(), guessedSecret));
        QVERIFY(relay->acceptPeerKey(agent->pubkeyMessage()).ok());
        const auto accepted = agent->acceptPeerKey(relay->pubkeyMessage());
        QVERIFY(accepted.ok());
        QCOMPARE(code(relay->receive(accepted->replies.first())), QStringLiteral("undecryptable"));

        // Keys derived the way a relay without s could (the shared secret alone):
        // its confirmation does not authenticate either.
        crypto::EcdhKeyPair x = freshKey();
        const QByteArray xPoint = x.publicPoint();
        auto agent2 = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        QVERIFY(agent2->acceptPeerKey(V1Envelope::pubkeyMessage(xPoint, 2)).ok());
        const QByteArray agentPoint = V1Envelope::parsePubkey(agent2->pubkeyMessage())->publicPoint;
        const auto z = x.deriveSharedSecret(agentPoint);
        const QByteArray salt = crypto::Digest::sha256("handoff/2 salt" + SessionId.toLatin1());
        const QByteArray info = QByteArray("handoff/2") + agentPoint + xPoint + "v2a";
        const QByteArray v2aWithoutSecret = *crypto::Hkdf::sha256(z->bytes(), salt, info, 32);
        const auto forged = craft(v2aWithoutSecret, "v2a ", RecordKind::Control, 1, SessionId.toLatin1(),
                                  "{\"type\":\"confirm\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA\"}");
        QCOMPARE(code(agent2->receive(forged)), QStringLiteral("undecryptable"));
        const auto forgedInput = craft(v2aWithoutSecret, "v2a ", RecordKind::Input, 2, SessionId.toLatin1(), Click);
        QCOMPARE(code(agent2->receive(forgedInput)), QStringLiteral("undecryptable"));
        QVERIFY(!agent2->isReady());
        QCOMPARE(agent2->encryptFrame(frameMeta(), "png").error().code, QStringLiteral("not_ready"));
    }

    void wrongViewerSecretNeverBecomesReady()
    {
        Pair pair = handshake(Link::Pinned, Until::Done, SessionId, QByteArray(16, 'x'));
        QVERIFY(!pair.viewer->isReady());
        QVERIFY(!pair.agent->isReady());
        QCOMPARE(pair.viewer->droppedUndecryptable(), quint64(1));
    }

    void unconfirmedViewerRecordsAreDropped()
    {
        // The viewer's keys are right, but until its confirmation the agent acts on
        // nothing it sends: input and other control records are dropped.
        auto agent = katAgent();
        QVERIFY(agent->acceptPeerKey(V1Envelope::pubkeyMessage(kat::ViewerPoint, 2)).ok());
        const QByteArray sid = kat::SessionId.toLatin1();
        QCOMPARE(code(agent->receive(craft(kat::ViewerToAgentKey, "v2a ", RecordKind::Input, 1, sid, Click))),
                 QStringLiteral("not_confirmed"));
        QCOMPARE(code(agent->receive(craft(kat::ViewerToAgentKey, "v2a ", RecordKind::Control, 2, sid,
                                           "{\"type\":\"viewport\",\"width\":800,\"height\":600}"))),
                 QStringLiteral("not_confirmed"));
        QCOMPARE(agent->droppedUndecryptable(), quint64(2));
        QVERIFY(!agent->isReady());
        const QByteArray confirm = "{\"type\":\"confirm\",\"nonce\":\""
            + kat::ViewerNonce.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + "\"}";
        const auto confirmed = agent->receive(craft(kat::ViewerToAgentKey, "v2a ", RecordKind::Control, 3, sid, confirm));
        QCOMPARE(confirmed->kind, Incoming::Kind::Handshake);
        QVERIFY(agent->isReady());
        QCOMPARE(agent->sas(), kat::SasDigits);
        QCOMPARE(agent->receive(craft(kat::ViewerToAgentKey, "v2a ", RecordKind::Input, 4, sid, Click))->plaintext,
                 Click);
    }

    void frameBeforeRevealIsRefused()
    {
        auto viewer = katViewer();
        QVERIFY(viewer->receive(WireMessage::binary(kat::ReadyRecord)).ok());
        const auto frame = craft(kat::AgentToViewerKey, "a2v ", RecordKind::Frame, 2, kat::SessionId.toLatin1(),
                                 *RecordCodec::packFrame(*frameMeta().toV2Json(), "png"));
        QCOMPARE(code(viewer->receive(frame)), QStringLiteral("not_ready"));
        QVERIFY(!viewer->isReady());
        const auto control = craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 3, kat::SessionId.toLatin1(),
                                   "{\"type\":\"session_info\"}");
        QCOMPARE(code(viewer->receive(control)), QStringLiteral("not_ready"));
        QVERIFY(!viewer->isReady());
    }

    void keyMismatchAborts()
    {
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        auto impostor = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        auto viewer = take(SecureChannelV2::createViewer(SessionId, agent->localFingerprint(), Secret));
        const auto accepted = viewer->acceptPeerKey(impostor->pubkeyMessage());
        QVERIFY(!accepted.ok());
        QCOMPARE(accepted.error().code, QStringLiteral("key_mismatch"));
        QVERIFY(accepted.error().message.contains(QStringLiteral("substituted")));
        QVERIFY(viewer->isClosed());
        QVERIFY(!viewer->isReady());
        QCOMPARE(viewer->sas(), QString());
        QCOMPARE(viewer->encryptInput(Click).error().code, QStringLiteral("closed"));
        QCOMPARE(viewer->acceptPeerKey(agent->pubkeyMessage()).error().code, QStringLiteral("closed"));
    }

    void sasNeededWithoutFingerprint()
    {
        auto viewer = take(SecureChannelV2::createViewer(SessionId, {}, Secret));
        QVERIFY(viewer->needsSasConfirmation());
        viewer->confirmSas(); // nothing to confirm yet: ignored
        QVERIFY(viewer->needsSasConfirmation());

        Pair pair = handshake(Link::WithoutK);
        QVERIFY(pair.viewer->isReady());
        QVERIFY(pair.viewer->needsSasConfirmation());
        QVERIFY(!pair.agent->needsSasConfirmation());
        QCOMPARE(pair.viewer->sas().size(), 6);
        QCOMPARE(pair.viewer->sas(), pair.agent->sas());
        QCOMPARE(pair.viewer->encryptInput(Click).error().code, QStringLiteral("sas_unconfirmed"));
        QCOMPARE(pair.viewer->encryptControl("{\"type\":\"x\"}").error().code, QStringLiteral("sas_unconfirmed"));
        pair.viewer->confirmSas();
        QVERIFY(!pair.viewer->needsSasConfirmation());
        QCOMPARE(pair.agent->receive(*pair.viewer->encryptInput(Click))->plaintext, Click);
    }

    // The SAS commitment: each end fixes its nonce before it can know the other's.
    void commitmentOrdering()
    {
        auto agent = katAgent();
        auto viewer = take(SecureChannelV2::createViewer(kat::SessionId, {}, kat::ViewerSecret,
                                                         keyFromScalar(kat::ViewerScalar), kat::ViewerNonce));
        // The viewer's first answer is its public key only: no nonce yet.
        const auto viewerAccepted = viewer->acceptPeerKey(agent->pubkeyMessage());
        QCOMPARE(viewerAccepted->replies.size(), 1);
        QCOMPARE(json(viewerAccepted->replies.first().data).keys(),
                 (QStringList{QStringLiteral("key"), QStringLiteral("type"), QStringLiteral("v")}));
        // The agent's answer carries the commitment, not the nonce it commits to.
        const auto agentAccepted = agent->acceptPeerKey(viewerAccepted->replies.first().data);
        const auto cipher = crypto::AeadCipher::create(kat::AgentToViewerKey);
        const auto readyParts = RecordCodec::split(agentAccepted->replies.first().data);
        const QByteArray readyText = *cipher->decrypt(RecordCodec::nonce("a2v ", 1),
                                                      RecordCodec::aad(readyParts->headerBytes,
                                                                       kat::SessionId.toLatin1()),
                                                      readyParts->ciphertext, readyParts->tag);
        QCOMPARE(readyText, readyJson(kat::Commitment));
        QVERIFY(!readyText.contains(kat::AgentNonce.toBase64(QByteArray::Base64UrlEncoding
                                                              | QByteArray::OmitTrailingEquals)));
        // The commitment binds both keys and the nonce.
        QCOMPARE(kat::Commitment,
                 crypto::Digest::sha256("handoff/2 commit" + kat::AgentPoint + kat::ViewerPoint + kat::AgentNonce));
        // Nothing the viewer sent so far reveals its nonce; it goes out only in
        // answer to the commitment.
        QVERIFY(!viewerAccepted->replies.first().data.contains(kat::ViewerNonce.toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
        const auto ready = viewer->receive(agentAccepted->replies.first());
        QCOMPARE(ready->replies.first().data, kat::ConfirmRecord);
        QCOMPARE(viewer->sas(), QString()); // the SAS needs the agent's nonce
        // The agent reveals only in answer to the confirmation.
        const auto confirmed = agent->receive(ready->replies.first());
        QCOMPARE(confirmed->replies.first().data, kat::RevealRecord);
        QVERIFY(viewer->receive(confirmed->replies.first()).ok());
        QCOMPARE(viewer->sas(), kat::SasDigits);
        QCOMPARE(agent->sas(), kat::SasDigits);
    }

    void revealNotMatchingTheCommitmentAborts()
    {
        auto viewer = katViewer();
        QVERIFY(viewer->receive(WireMessage::binary(kat::ReadyRecord)).ok());
        QByteArray otherNonce = kat::AgentNonce;
        otherNonce[0] = char(otherNonce[0] ^ 1);
        const auto reveal = viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 2,
                                                  kat::SessionId.toLatin1(), revealJson(otherNonce)));
        QCOMPARE(code(reveal), QStringLiteral("commitment_mismatch"));
        QVERIFY(reveal.error().message.contains(QStringLiteral("intercept")));
        QVERIFY(viewer->isClosed());
        QCOMPARE(viewer->sas(), QString());
    }

    void changedCommitmentAborts()
    {
        auto viewer = katViewer();
        QVERIFY(viewer->receive(WireMessage::binary(kat::ReadyRecord)).ok());
        // The same commitment again (a resume) is fine...
        QVERIFY(viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 2, kat::SessionId.toLatin1(),
                                      readyJson(kat::Commitment)))
                    .ok());
        // ...a new one, once our nonce is out, would let the agent's side choose
        // its nonce after seeing ours.
        QByteArray other = kat::Commitment;
        other[5] = char(other[5] ^ 0x40);
        const auto changed = viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 3,
                                                   kat::SessionId.toLatin1(), readyJson(other)));
        QCOMPARE(code(changed), QStringLiteral("commitment_changed"));
        QVERIFY(viewer->isClosed());
    }

    void revealBeforeReadyIsRefused()
    {
        auto viewer = katViewer();
        const auto early = viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 1,
                                                 kat::SessionId.toLatin1(), revealJson(kat::AgentNonce)));
        QCOMPARE(code(early), QStringLiteral("not_ready"));
        QVERIFY(!viewer->isReady());
        QVERIFY(!viewer->isClosed());
    }

    void malformedHandshakeRecords_data()
    {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::newRow("ready without commit") << QByteArray("{\"type\":\"ready\"}");
        QTest::newRow("commit too short") << QByteArray("{\"type\":\"ready\",\"commit\":\"AAAA\"}");
        QTest::newRow("commit not a string") << QByteArray("{\"type\":\"ready\",\"commit\":5}");
        QTest::newRow("commit padded") << readyJson(kat::Commitment).replace("\"}", "=\"}");
    }

    void malformedHandshakeRecords()
    {
        QFETCH(QByteArray, plaintext);
        auto viewer = katViewer();
        const auto result = viewer->receive(
            craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 1, kat::SessionId.toLatin1(), plaintext));
        QCOMPARE(code(result), QStringLiteral("bad_control"));
        QVERIFY(!viewer->isClosed());
        QVERIFY(viewer->receive(WireMessage::binary(kat::RevealRecord)).error().code == QStringLiteral("not_ready"));
    }

    void confirmWithAnotherNonceIsIgnored()
    {
        auto agent = katAgent();
        auto viewer = katViewer();
        QVERIFY(agent->acceptPeerKey(viewer->pubkeyMessage()).ok());
        QVERIFY(agent->receive(WireMessage::binary(kat::ConfirmRecord)).ok());
        const QString sas = agent->sas();
        const auto second = agent->receive(craft(kat::ViewerToAgentKey, "v2a ", RecordKind::Control, 2,
                                                 kat::SessionId.toLatin1(),
                                                 "{\"type\":\"confirm\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA\"}"));
        QCOMPARE(code(second), QStringLiteral("confirm_changed"));
        QCOMPARE(agent->sas(), sas);
        QVERIFY(agent->isReady());
    }

    // A relay in the middle that knows s (a link the server delivered) runs one
    // handshake with each end. It must send its nonce to the agent before the agent
    // reveals its own, and commit to its nonce towards the viewer before the viewer
    // sends its own: the two SAS values come out independent, and here they differ.
    void middleCannotAlignTheSas()
    {
        // Fixed keys and nonces: the outcome is the same on every run.
        const auto scalar = [](const char* label) { return keyFromScalar(crypto::Digest::sha256(label)); };
        auto agent = take(SecureChannelV2::createAgent(SessionId, scalar("agent"), Secret, QByteArray(32, '\x01')));
        auto viewer
            = take(SecureChannelV2::createViewer(SessionId, {}, Secret, scalar("viewer"), QByteArray(16, '\x02')));
        auto relayAsViewer
            = take(SecureChannelV2::createViewer(SessionId, {}, Secret, scalar("relay v"), QByteArray(16, '\x03')));
        auto relayAsAgent
            = take(SecureChannelV2::createAgent(SessionId, scalar("relay a"), Secret, QByteArray(32, '\x04')));

        // Agent <-> relay.
        const auto r1 = relayAsViewer->acceptPeerKey(agent->pubkeyMessage());
        const auto a1 = agent->acceptPeerKey(r1->replies.first().data);
        const auto r2 = relayAsViewer->receive(a1->replies.first());
        const auto a2 = agent->receive(r2->replies.first());
        QVERIFY(relayAsViewer->receive(a2->replies.first()).ok());
        // Relay <-> viewer.
        const auto v1 = viewer->acceptPeerKey(relayAsAgent->pubkeyMessage());
        const auto m1 = relayAsAgent->acceptPeerKey(v1->replies.first().data);
        const auto v2 = viewer->receive(m1->replies.first());
        const auto m2 = relayAsAgent->receive(v2->replies.first());
        QVERIFY(viewer->receive(m2->replies.first()).ok());

        QCOMPARE(agent->sas(), relayAsViewer->sas());
        QCOMPARE(viewer->sas(), relayAsAgent->sas());
        QVERIFY(agent->sas() != viewer->sas()); // the person sees two different codes
        QVERIFY(viewer->needsSasConfirmation());
    }

    void tamperedRecordIsDropped_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("mask");
        QTest::addColumn<QString>("code");
        QTest::newRow("first ciphertext byte") << 10 << 0x01 << QStringLiteral("undecryptable");
        QTest::newRow("last ciphertext byte") << -17 << 0x80 << QStringLiteral("undecryptable");
        QTest::newRow("first tag byte") << -16 << 0x01 << QStringLiteral("undecryptable");
        QTest::newRow("last tag byte") << -1 << 0x01 << QStringLiteral("undecryptable");
        // The header is in the AAD (and seq in the nonce): changing it breaks authentication.
        QTest::newRow("kind byte input->control") << 1 << 0x02 << QStringLiteral("undecryptable");
        QTest::newRow("seq high byte") << 2 << 0x01 << QStringLiteral("undecryptable");
        QTest::newRow("seq low byte 2->6") << 9 << 0x04 << QStringLiteral("undecryptable");
        QTest::newRow("seq low byte 2->0") << 9 << 0x02 << QStringLiteral("bad_seq");
        QTest::newRow("version byte") << 0 << 0x01 << QStringLiteral("bad_version");
    }

    void tamperedRecordIsDropped()
    {
        QFETCH(int, index);
        QFETCH(int, mask);
        QFETCH(QString, code);
        Pair pair = handshake();
        const auto input = pair.viewer->encryptInput(Click);
        QCOMPARE(seqOf(*input), quint64(2));
        const qsizetype at = index < 0 ? input->data.size() + index : index;
        const auto tampered = pair.agent->receive(flipped(*input, at, char(mask)));
        QVERIFY(!tampered.ok());
        QCOMPARE(tampered.error().code, code);
        QCOMPARE(pair.agent->droppedUndecryptable(), quint64(1));
        QCOMPARE(pair.agent->droppedReplay(), quint64(0));
        // A failed record does not move the counter: the genuine one still opens.
        QCOMPARE(pair.agent->receive(*input)->plaintext, Click);
    }

    void truncatedRecordIsDropped()
    {
        Pair pair = handshake();
        const auto input = pair.viewer->encryptInput(Click);
        QCOMPARE(code(pair.agent->receive(WireMessage::binary(input->data.chopped(1)))),
                 QStringLiteral("undecryptable"));
        QCOMPARE(code(pair.agent->receive(WireMessage::binary(input->data.first(20)))), QStringLiteral("short_record"));
        QCOMPARE(pair.agent->droppedUndecryptable(), quint64(2));
    }

    void otherSessionIdInAad()
    {
        // Right key and nonce, AAD naming another session: refused.
        auto viewer = katViewer();
        const auto moved = craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 1, "sess_SomeOtherSession0001",
                                 readyJson(kat::Commitment));
        QCOMPARE(code(viewer->receive(moved)), QStringLiteral("undecryptable"));
        QCOMPARE(viewer->droppedUndecryptable(), quint64(1));
        // The same record for the right session is accepted: only the AAD differed.
        const auto genuine = craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 1, kat::SessionId.toLatin1(),
                                   readyJson(kat::Commitment));
        QCOMPARE(genuine.data, kat::ReadyRecord);
        QCOMPARE(code(viewer->receive(genuine)), QStringLiteral("ok"));
    }

    void wrongDirectionLabelInNonce()
    {
        auto viewer = katViewer();
        // Sealed with the right key but the other direction's nonce label.
        const auto reflected = craft(kat::AgentToViewerKey, "v2a ", RecordKind::Control, 1, kat::SessionId.toLatin1(),
                                     readyJson(kat::Commitment));
        QCOMPARE(code(viewer->receive(reflected)), QStringLiteral("undecryptable"));
    }

    void channelsOfDifferentSessionsDoNotTalk()
    {
        Pair pair = handshake(Link::Pinned, Until::Done, QStringLiteral("sess_AnotherSessionEntirely"));
        QVERIFY(!pair.viewer->isReady());
        QCOMPARE(pair.viewer->droppedUndecryptable(), quint64(1));
    }

    void replayIsDropped()
    {
        Pair pair = handshake();
        const auto input = pair.viewer->encryptInput(Click);
        QVERIFY(pair.agent->receive(*input).ok());
        const auto again = pair.agent->receive(*input);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, QStringLiteral("replay"));
        QCOMPARE(pair.agent->droppedReplay(), quint64(1));
        // The handshake records replayed, too.
        QCOMPARE(code(pair.viewer->receive(pair.ready)), QStringLiteral("replay"));
        QCOMPARE(code(pair.viewer->receive(pair.reveal)), QStringLiteral("replay"));
        QCOMPARE(code(pair.agent->receive(pair.confirm)), QStringLiteral("replay"));
        QCOMPARE(pair.viewer->droppedReplay(), quint64(2));
    }

    void olderRecordIsDropped()
    {
        Pair pair = handshake();
        const auto first = pair.viewer->encryptInput("{\"type\":\"keypress\",\"key\":\"a\"}");
        const auto second = pair.viewer->encryptInput("{\"type\":\"keypress\",\"key\":\"b\"}");
        const auto third = pair.viewer->encryptInput("{\"type\":\"keypress\",\"key\":\"c\"}");
        QVERIFY(pair.agent->receive(*first).ok());
        QVERIFY(pair.agent->receive(*third).ok()); // a gap is fine: records may be lost
        QCOMPARE(code(pair.agent->receive(*second)), QStringLiteral("replay"));
        QCOMPARE(pair.agent->droppedReplay(), quint64(1));
        QCOMPARE(pair.agent->droppedUndecryptable(), quint64(0));
    }

    void forgedHighSeqDoesNotBlock()
    {
        auto viewer = katViewer();
        // Garbage claiming seq 2^63 fails authentication and must not raise the bar.
        QByteArray forged = RecordCodec::encodeHeader(RecordKind::Control, quint64(1) << 63) + QByteArray(32, 'g');
        QCOMPARE(code(viewer->receive(WireMessage::binary(forged))), QStringLiteral("undecryptable"));
        QCOMPARE(code(viewer->receive(WireMessage::binary(kat::ReadyRecord))), QStringLiteral("ok"));
    }

    void peerKeyRejects_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("code");
        QByteArray offCurve = freshKey().publicPoint();
        offCurve[64] = char(offCurve[64] ^ 0x01);
        QByteArray xTooBig(65, '\xff');
        xTooBig[0] = '\x04';
        QTest::newRow("64 bytes") << V1Envelope::pubkeyMessage(QByteArray(64, '\x04'), 2)
                                  << QStringLiteral("bad_key_length");
        QTest::newRow("66 bytes") << V1Envelope::pubkeyMessage(freshKey().publicPoint() + 'x', 2)
                                  << QStringLiteral("bad_key_length");
        QTest::newRow("off curve") << V1Envelope::pubkeyMessage(offCurve, 2) << QStringLiteral("invalid_peer_key");
        QTest::newRow("coordinates over p")
            << V1Envelope::pubkeyMessage(xTooBig, 2) << QStringLiteral("invalid_peer_key");
        QTest::newRow("all zero") << V1Envelope::pubkeyMessage(QByteArray(65, '\0'), 2)
                                  << QStringLiteral("invalid_peer_key");
        QTest::newRow("version 1 key") << V1Envelope::pubkeyMessage(freshKey().publicPoint(), 1)
                                       << QStringLiteral("version_mismatch");
        QTest::newRow("not a pubkey") << QByteArray("{\"type\":\"frame\"}") << QStringLiteral("wrong_type");
    }

    void peerKeyRejects()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, code);
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        const auto agentResult = agent->acceptPeerKey(message);
        QVERIFY(!agentResult.ok());
        QCOMPARE(agentResult.error().code, code);
        QVERIFY(!agent->isReady());
        auto viewer = take(SecureChannelV2::createViewer(SessionId, {}, Secret));
        const auto viewerResult = viewer->acceptPeerKey(message);
        QVERIFY(!viewerResult.ok());
        QCOMPARE(viewerResult.error().code, code);
        QCOMPARE(viewer->sas(), QString());
    }

    void reflectedKey()
    {
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        QCOMPARE(agent->acceptPeerKey(agent->pubkeyMessage()).error().code, QStringLiteral("reflected_key"));
    }

    void wrongDirectionAndRoles()
    {
        Pair pair = handshake();
        QCOMPARE(pair.agent->encryptInput(Click).error().code, QStringLiteral("wrong_role"));
        QCOMPARE(pair.viewer->encryptFrame(frameMeta(), "png").error().code, QStringLiteral("wrong_role"));
        const auto frame = pair.agent->encryptFrame(frameMeta(), "png");
        QCOMPARE(code(pair.agent->receive(frame->first())), QStringLiteral("unexpected_kind"));
        const auto input = pair.viewer->encryptInput(Click);
        QCOMPARE(code(pair.viewer->receive(*input)), QStringLiteral("unexpected_kind"));
        QCOMPARE(code(pair.viewer->receive(WireMessage::text("{\"type\":\"frame\"}"))),
                 QStringLiteral("unexpected_message"));
    }

    void malformedAuthenticatedContent()
    {
        auto viewer = katViewer();
        QVERIFY(viewer->receive(WireMessage::binary(kat::ReadyRecord)).ok());
        QVERIFY(viewer->receive(WireMessage::binary(kat::RevealRecord)).ok());
        const QByteArray sid = kat::SessionId.toLatin1();
        QCOMPARE(code(viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 3, sid, "not json"))),
                 QStringLiteral("bad_control"));
        QCOMPARE(code(viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Frame, 4, sid,
                                            QByteArray::fromHex("00000100") + "{}"))),
                 QStringLiteral("truncated_frame"));
        QCOMPARE(code(viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Frame, 5, sid,
                                            *RecordCodec::packFrame("{\"deviceWidth\":0}", "img")))),
                 QStringLiteral("bad_field"));
        QVERIFY(viewer->isReady());
    }

    void oversizedInputRefused()
    {
        Pair pair = handshake();
        QCOMPARE(pair.viewer->encryptInput(QByteArray(SecureChannelV2::MaxMessageSize + 1, 'x')).error().code,
                 QStringLiteral("too_large"));
        QCOMPARE(pair.viewer->encryptInput({}).error().code, QStringLiteral("too_large"));
        FrameMetadata bad = frameMeta();
        bad.timestamp = -1;
        QCOMPARE(pair.agent->encryptFrame(bad, "png").error().code, QStringLiteral("bad_field"));
        QCOMPARE(pair.agent->encryptFrame(frameMeta(), {}).error().code, QStringLiteral("empty_image"));
    }

    void reconnectResumesKeysAndCounters()
    {
        Pair pair = handshake();
        const QString sas = pair.viewer->sas();
        const auto before = pair.viewer->encryptInput(Click);
        QVERIFY(pair.agent->receive(*before).ok());
        QVERIFY(pair.viewer->receive(pair.agent->encryptFrame(frameMeta(), "png")->first()).ok());

        // New socket: the relay hands the viewer the cached agent key again.
        const auto viewerAgain = pair.viewer->acceptPeerKey(pair.agent->pubkeyMessage());
        QVERIFY(viewerAgain.ok());
        QVERIFY(viewerAgain->resumed);
        QCOMPARE(viewerAgain->replies.first().data, pair.viewer->pubkeyMessage());
        QVERIFY(pair.viewer->isReady());
        const auto agentAgain = pair.agent->acceptPeerKey(viewerAgain->replies.first().data);
        QVERIFY(agentAgain.ok());
        QVERIFY(agentAgain->resumed);
        QVERIFY(pair.agent->isReady()); // still the bound viewer
        // A fresh "ready", numbered after everything sent before, same commitment.
        QCOMPARE(seqOf(agentAgain->replies.first()), quint64(4));
        const auto readyAgain = pair.viewer->receive(agentAgain->replies.first());
        QCOMPARE(code(readyAgain), QStringLiteral("ok"));
        const auto confirmAgain = pair.agent->receive(readyAgain->replies.first());
        QCOMPARE(code(confirmAgain), QStringLiteral("ok"));
        QVERIFY(pair.viewer->receive(confirmAgain->replies.first()).ok());
        QCOMPARE(pair.viewer->sas(), sas);
        QCOMPARE(pair.agent->sas(), sas);

        const auto after = pair.viewer->encryptInput(Click);
        QCOMPARE(seqOf(*after), quint64(4));
        QCOMPARE(pair.agent->receive(*after)->plaintext, Click);
        // What was sent before the reconnect cannot be replayed after it.
        QCOMPARE(code(pair.agent->receive(*before)), QStringLiteral("replay"));
    }

    void otherViewerKeyRefusedOnceConfirmed()
    {
        Pair pair = handshake();
        auto second = take(SecureChannelV2::createViewer(SessionId, pair.agent->localFingerprint(), Secret));
        QVERIFY(second->acceptPeerKey(pair.agent->pubkeyMessage()).ok());
        const auto refused = pair.agent->acceptPeerKey(second->pubkeyMessage());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("viewer_key_bound"));
        // The bound viewer carries on, undisturbed.
        QVERIFY(pair.agent->isReady());
        QCOMPARE(pair.agent->receive(*pair.viewer->encryptInput(Click))->plaintext, Click);
        QVERIFY(pair.viewer->receive(pair.agent->encryptFrame(frameMeta(), "png")->first()).ok());
    }

    void unconfirmedViewerKeyMayBeReplaced()
    {
        // A viewer that restarts before confirming comes back with a new key: that
        // one gets a handshake of its own, with its own commitment.
        Pair pair = handshake(Link::Pinned, Until::Pubkeys);
        auto second = take(SecureChannelV2::createViewer(SessionId, pair.agent->localFingerprint(), Secret));
        const auto secondKey = second->acceptPeerKey(pair.agent->pubkeyMessage());
        const auto accepted = pair.agent->acceptPeerKey(secondKey->replies.first().data);
        QVERIFY(accepted.ok());
        QVERIFY(!accepted->resumed);
        const auto ready = second->receive(accepted->replies.first());
        QVERIFY(ready.ok());
        const auto confirmed = pair.agent->receive(ready->replies.first());
        QVERIFY(confirmed.ok());
        QVERIFY(second->receive(confirmed->replies.first()).ok());
        QVERIFY(second->isReady());
        QCOMPARE(pair.agent->receive(*second->encryptInput(Click))->plaintext, Click);
        // The first viewer is now refused outright.
        QCOMPARE(pair.agent->acceptPeerKey(pair.viewer->pubkeyMessage()).error().code,
                 QStringLiteral("viewer_key_bound"));
    }

    // V, then X, then V again before anyone confirmed: the keys for V come back the
    // same, but no nonce is used twice and no record of V's is accepted twice.
    void rekeyNeverReusesNoncesOrCounters()
    {
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        auto v = take(SecureChannelV2::createViewer(SessionId, agent->localFingerprint(), Secret));
        QVERIFY(v->acceptPeerKey(agent->pubkeyMessage()).ok());
        const auto firstReady = agent->acceptPeerKey(v->pubkeyMessage());
        const auto vReady = v->receive(firstReady->replies.first());
        const WireMessage vConfirm = vReady->replies.first(); // held back by the relay

        crypto::EcdhKeyPair x = freshKey();
        QVERIFY(agent->acceptPeerKey(V1Envelope::pubkeyMessage(x.publicPoint(), 2)).ok());

        const auto secondReady = agent->acceptPeerKey(v->pubkeyMessage());
        QVERIFY(secondReady.ok());
        QVERIFY(!secondReady->resumed);
        QVERIFY(secondReady->replies.first().data != firstReady->replies.first().data);
        QVERIFY(seqOf(secondReady->replies.first()) > seqOf(firstReady->replies.first()));
        // The confirmation V sent before still counts once...
        QVERIFY(agent->receive(vConfirm).ok());
        QVERIFY(agent->isReady());
        // ...and a replay of it, or of anything V sent, does not.
        QCOMPARE(code(agent->receive(vConfirm)), QStringLiteral("replay"));
    }

    void tooManyViewerKeys()
    {
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        QList<QByteArray> offered;
        for (qsizetype i = 0; i < SecureChannelV2::MaxViewerKeys; ++i) {
            offered.append(V1Envelope::pubkeyMessage(freshKey().publicPoint(), 2));
            QVERIFY(agent->acceptPeerKey(offered.last()).ok());
        }
        QCOMPARE(agent->acceptPeerKey(V1Envelope::pubkeyMessage(freshKey().publicPoint(), 2)).error().code,
                 QStringLiteral("too_many_viewer_keys"));
        // A key already seen is still welcome.
        QVERIFY(agent->acceptPeerKey(offered.first()).ok());
    }

    void viewerRefusesChangedAgentKey()
    {
        Pair pair = handshake(Link::WithoutK);
        auto impostor = take(SecureChannelV2::createAgent(SessionId, freshKey(), Secret));
        const auto accepted = pair.viewer->acceptPeerKey(impostor->pubkeyMessage());
        QVERIFY(!accepted.ok());
        QCOMPARE(accepted.error().code, QStringLiteral("peer_key_changed"));
        pair.viewer->confirmSas();
        QCOMPARE(pair.agent->receive(*pair.viewer->encryptInput(Click))->plaintext, Click);
    }

    void closeWipes()
    {
        Pair pair = handshake();
        pair.agent->close();
        QVERIFY(pair.agent->isClosed());
        QVERIFY(!pair.agent->isReady());
        QCOMPARE(pair.agent->sas(), QString());
        QCOMPARE(pair.agent->encryptFrame(frameMeta(), "png").error().code, QStringLiteral("closed"));
        QCOMPARE(code(pair.agent->receive(*pair.viewer->encryptInput(Click))), QStringLiteral("closed"));
        QCOMPARE(pair.agent->acceptPeerKey(pair.viewer->pubkeyMessage()).error().code, QStringLiteral("closed"));
        pair.agent->close(); // twice is harmless
    }
};

QTEST_GUILESS_MAIN(tst_SecureChannelV2)
#include "tst_SecureChannelV2.moc"
