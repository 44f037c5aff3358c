// Version 2 channels of both roles talking to each other in process: a
// known-answer vector computed independently (Node's crypto module), the
// handshake, key confirmation, SAS, records in both directions, reconnects, and
// every rejection: tampered ciphertext and AAD, replays, bad keys, substituted
// keys, input before "ready".

#include "core/crypto/AeadCipher.h"
#include "core/crypto/Digest.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/protocol/RecordCodec.h"
#include "core/protocol/SecureChannel.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/V1Envelope.h"

#include <QTest>

using namespace handoff;
using namespace handoff::protocol;

namespace {

// Known-answer vector, computed with Node's crypto module (createECDH, hkdfSync,
// createCipheriv), an implementation independent of ours.
namespace kat {
const QString SessionId = QStringLiteral("sess_4EOfTZnO8Ue9yqkvRk3Jzl");
const QByteArray AgentScalar = QByteArray::fromHex("4072ab186b8a25885b9f607f3ea9a47a1a6f5d3faed0cddfc6ea99e483659e0d");
const QByteArray ViewerScalar = QByteArray::fromHex("6280675e15e0db94c7cd52c3b490467584cf6f66e6c8d010e5b2085a346e3d37");
const QByteArray AgentPoint = QByteArray::fromHex(
    "044d7b1d30dca16e4387a9316c226d5e1bd7b770c52cf26fda4b5359a63103b25ffaf3186dc295f26c65d20e5a41ccd823d8049dda40"
    "44a21855d2986670957f68");
const QByteArray ViewerPoint = QByteArray::fromHex(
    "0443117006c9ef75f6e2af4c39646429b83665677b16d9d1aad69df19c8407f33c12c55a0d19ca8bd237618f31b0574602c2e5c5ed5e"
    "d35d7518b8eae953fcf47b");
const QByteArray Fingerprint = "iGEU9k6p8-Ak0-phKS3DGQ";
const QByteArray AgentToViewerKey
    = QByteArray::fromHex("e7033c62ec1e98d245ab62f491b98f13589005a0ddf1e6bc5c451026060b0990");
const QByteArray ViewerToAgentKey
    = QByteArray::fromHex("df56ee12995d6ed5fb4eee5613ca102f2777997a19507461c4347dd40bce3f67");
const QString SasDigits = QStringLiteral("735308");
// Control {"type":"ready"}, agent to viewer, seq 1.
const QByteArray ReadyRecord
    = QByteArray::fromHex("02030000000000000001e8e11d4f3cba72c80725cfe8ced0dc3fa7e8549610d51817ca8f83b35629708d");
} // namespace kat

const QString SessionId = QStringLiteral("sess_7Hq2mZ0pLr4xYb9Kd1Nc3W");
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

struct Pair {
    std::unique_ptr<SecureChannelV2> agent;
    std::unique_ptr<SecureChannelV2> viewer;
    WireMessage ready;
};

enum class Link { Pinned, WithoutK };

// Agent pubkey -> viewer -> viewer pubkey -> agent -> "ready" record (delivered or not).
Pair handshake(Link link = Link::Pinned, bool deliverReady = true, const QString& viewerSessionId = SessionId)
{
    Pair pair;
    pair.agent = take(SecureChannelV2::createAgent(SessionId, freshKey()));
    const QByteArray k = link == Link::Pinned ? pair.agent->localFingerprint() : QByteArray();
    pair.viewer = take(SecureChannelV2::createViewer(viewerSessionId, k));
    auto viewerAccepted = pair.viewer->acceptPeerKey(pair.agent->pubkeyMessage());
    Q_ASSERT(viewerAccepted.ok());
    auto agentAccepted = pair.agent->acceptPeerKey(viewerAccepted->replies.first().data);
    Q_ASSERT(agentAccepted.ok() && agentAccepted->replies.size() == 1);
    pair.ready = agentAccepted->replies.first();
    if (deliverReady) {
        auto incoming = pair.viewer->receive(pair.ready);
        Q_UNUSED(incoming);
    }
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

quint64 seqOf(const WireMessage& record)
{
    return RecordCodec::decodeHeader(record.data)->seq;
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

// A viewer in the known-answer session that has accepted the known agent key.
std::unique_ptr<SecureChannelV2> katViewer()
{
    auto viewer = take(SecureChannelV2::createViewer(
        kat::SessionId, *SecureChannelV2::parseFingerprint(kat::Fingerprint), keyFromScalar(kat::ViewerScalar)));
    auto accepted = viewer->acceptPeerKey(V1Envelope::pubkeyMessage(kat::AgentPoint, 2));
    Q_ASSERT(accepted.ok());
    return viewer;
}

QString code(const Result<Incoming>& result)
{
    return result.ok() ? QStringLiteral("ok") : result.error().code;
}

} // namespace

class tst_SecureChannelV2 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void knownAnswer()
    {
        auto agent = take(SecureChannelV2::createAgent(kat::SessionId, keyFromScalar(kat::AgentScalar)));
        QCOMPARE(SecureChannelV2::keyFingerprintB64Url(kat::AgentPoint), kat::Fingerprint);
        QCOMPARE(agent->localFingerprint(), *SecureChannelV2::parseFingerprint(kat::Fingerprint));
        QCOMPARE(agent->pubkeyMessage(), V1Envelope::pubkeyMessage(kat::AgentPoint, 2));

        auto viewer = take(SecureChannelV2::createViewer(
            kat::SessionId, *SecureChannelV2::parseFingerprint(kat::Fingerprint), keyFromScalar(kat::ViewerScalar)));
        const auto viewerAccepted = viewer->acceptPeerKey(agent->pubkeyMessage());
        QVERIFY(viewerAccepted.ok());
        QCOMPARE(viewerAccepted->replies.size(), 1);
        QCOMPARE(viewerAccepted->replies.first().type, WireMessage::Type::Text);
        QCOMPARE(viewerAccepted->replies.first().data, V1Envelope::pubkeyMessage(kat::ViewerPoint, 2));
        QCOMPARE(viewer->sas(), kat::SasDigits);

        const auto agentAccepted = agent->acceptPeerKey(viewerAccepted->replies.first().data);
        QVERIFY(agentAccepted.ok());
        QCOMPARE(agent->sas(), kat::SasDigits);
        // Nonce, AAD, key and layout all fixed: the record is byte for byte the vector.
        QCOMPARE(agentAccepted->replies.size(), 1);
        QCOMPARE(agentAccepted->replies.first().type, WireMessage::Type::Binary);
        QCOMPARE(agentAccepted->replies.first().data, kat::ReadyRecord);

        QVERIFY(!viewer->isReady());
        const auto ready = viewer->receive(WireMessage::binary(kat::ReadyRecord));
        QVERIFY(ready.ok());
        QCOMPARE(ready->kind, Incoming::Kind::Control);
        QVERIFY(viewer->isReady());

        // The viewer's input opens with the vector's viewer-to-agent key.
        const auto input = viewer->encryptInput(Click);
        const auto parts = RecordCodec::split(input->data);
        const auto plaintext = crypto::AeadCipher::create(kat::ViewerToAgentKey)
                                   ->decrypt(RecordCodec::nonce("v2a ", 1),
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
    }

    void parseFingerprintRejects_data()
    {
        QTest::addColumn<QByteArray>("k");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("padded") << (kat::Fingerprint + "==");
        QTest::newRow("21 chars") << kat::Fingerprint.chopped(1);
        QTest::newRow("23 chars") << (kat::Fingerprint + "A");
        QTest::newRow("standard base64") << QByteArray(kat::Fingerprint).replace('-', '+');
        QTest::newRow("bad char") << QByteArray(kat::Fingerprint).replace('k', '*');
        QTest::newRow("17 bytes") << QByteArray(17, 'x').toBase64(QByteArray::Base64UrlEncoding
                                                                  | QByteArray::OmitTrailingEquals);
        QTest::newRow("non-canonical last char") << (kat::Fingerprint.chopped(1) + "R");
    }

    void parseFingerprintRejects()
    {
        QFETCH(QByteArray, k);
        const auto parsed = SecureChannelV2::parseFingerprint(k);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, QStringLiteral("bad_fingerprint"));
    }

    void createRejects()
    {
        QCOMPARE(SecureChannelV2::createViewer(QString(), {}).error().code, QStringLiteral("bad_session_id"));
        QCOMPARE(SecureChannelV2::createViewer(QStringLiteral("sess_é"), {}).error().code,
                 QStringLiteral("bad_session_id"));
        QCOMPARE(SecureChannelV2::createViewer(QStringLiteral("sess x"), {}).error().code,
                 QStringLiteral("bad_session_id"));
        QCOMPARE(SecureChannelV2::createAgent(QString(300, QLatin1Char('s')), freshKey()).error().code,
                 QStringLiteral("bad_session_id"));
        QCOMPARE(SecureChannelV2::createViewer(SessionId, QByteArray(15, 'k')).error().code,
                 QStringLiteral("bad_fingerprint"));
    }

    void createViewerForPicksVersion2()
    {
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey()));
        const auto viewer
            = SecureChannel::createViewerFor(agent->pubkeyMessage(), SessionId, agent->localFingerprint());
        QVERIFY(viewer.ok());
        QCOMPARE((*viewer)->version(), 2);
        QCOMPARE((*viewer)->role(), ChannelRole::Viewer);
        QVERIFY((*viewer)->acceptPeerKey(agent->pubkeyMessage()).ok());
    }

    void trafficBothWays()
    {
        Pair pair = handshake();
        QCOMPARE(seqOf(pair.ready), quint64(1));
        QVERIFY(pair.agent->isReady());
        QVERIFY(pair.viewer->isReady());
        QVERIFY(!pair.viewer->needsSasConfirmation());
        QCOMPARE(pair.viewer->sas(), pair.agent->sas());

        const auto input = pair.viewer->encryptInput(Click);
        QVERIFY(input.ok());
        QCOMPARE(input->type, WireMessage::Type::Binary);
        QCOMPARE(seqOf(*input), quint64(1));
        QCOMPARE(RecordCodec::decodeHeader(input->data)->kind, RecordKind::Input);
        QVERIFY(!input->data.contains("click"));
        const auto received = pair.agent->receive(*input);
        QVERIFY(received.ok());
        QCOMPARE(received->kind, Incoming::Kind::Input);
        QCOMPARE(received->plaintext, Click);

        const QByteArray image = QByteArray::fromHex("89504e470d0a1a0a") + QByteArray(3000, 'p');
        const auto frame = pair.agent->encryptFrame(frameMeta(), image);
        QVERIFY(frame.ok());
        QCOMPARE(frame->size(), 1);
        QCOMPARE(seqOf(frame->first()), quint64(2));
        const auto shown = pair.viewer->receive(frame->first());
        QVERIFY(shown.ok());
        QCOMPARE(shown->kind, Incoming::Kind::Frame);
        QCOMPARE(shown->plaintext, image);
        QCOMPARE(shown->frame.deviceWidth, 1280.0);
        QCOMPARE(shown->frame.pageScaleFactor, 1.5);
        QCOMPARE(shown->frame.timestamp, 1763800000.5);
        QCOMPARE(shown->frame.format, FrameMetadata::Format::Png);

        const QByteArray bye = "{\"type\":\"bye\"}";
        const auto toAgent = pair.viewer->encryptControl(bye);
        QCOMPARE(seqOf(*toAgent), quint64(2));
        QCOMPARE(pair.agent->receive(*toAgent)->plaintext, bye);
        const auto toViewer = pair.agent->encryptControl(bye);
        QCOMPARE(pair.viewer->receive(*toViewer)->kind, Incoming::Kind::Control);
        QCOMPARE(pair.agent->droppedReplay() + pair.agent->droppedUndecryptable(), quint64(0));
        QCOMPARE(pair.viewer->droppedReplay() + pair.viewer->droppedUndecryptable(), quint64(0));
    }

    void inputBeforeReady()
    {
        Pair pair = handshake(Link::Pinned, false);
        QVERIFY(!pair.viewer->isReady());
        QCOMPARE(pair.viewer->encryptInput(Click).error().code, QStringLiteral("not_ready"));
        QCOMPARE(pair.viewer->encryptControl("{\"type\":\"x\"}").error().code, QStringLiteral("not_ready"));
        QVERIFY(pair.viewer->receive(pair.ready).ok());
        QVERIFY(pair.viewer->isReady());
        QVERIFY(pair.viewer->encryptInput(Click).ok());
    }

    void inputBeforeHandshake()
    {
        auto viewer = take(SecureChannelV2::createViewer(SessionId, {}));
        QCOMPARE(viewer->encryptInput(Click).error().code, QStringLiteral("not_ready"));
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey()));
        QVERIFY(!agent->isReady());
        QCOMPARE(agent->encryptFrame(frameMeta(), "png").error().code, QStringLiteral("not_ready"));
        QCOMPARE(agent->encryptControl("{\"type\":\"ready\"}").error().code, QStringLiteral("not_ready"));
        Pair other = handshake();
        QCOMPARE(code(agent->receive(*other.viewer->encryptInput(Click))), QStringLiteral("not_ready"));
        QCOMPARE(agent->droppedUndecryptable(), quint64(1));
    }

    void frameBeforeReadyIsRefused()
    {
        Pair pair = handshake(Link::Pinned, false);
        const auto frame = pair.agent->encryptFrame(frameMeta(), "png");
        QCOMPARE(code(pair.viewer->receive(frame->first())), QStringLiteral("not_ready"));
        QVERIFY(!pair.viewer->isReady());
        // Another control message is not "ready" either.
        QCOMPARE(code(pair.viewer->receive(*pair.agent->encryptControl("{\"type\":\"other\"}"))),
                 QStringLiteral("not_ready"));
        QVERIFY(!pair.viewer->isReady());
    }

    void keyMismatchAborts()
    {
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey()));
        // The link was made for one key; the relay delivers another (its own).
        const QByteArray pinned = SecureChannelV2::keyFingerprint(freshKey().publicPoint());
        auto viewer = take(SecureChannelV2::createViewer(SessionId, pinned));
        const auto accepted = viewer->acceptPeerKey(agent->pubkeyMessage());
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
        auto viewer = take(SecureChannelV2::createViewer(SessionId, {}));
        QVERIFY(viewer->needsSasConfirmation());
        viewer->confirmSas(); // nothing shown yet, so nothing can be confirmed
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
        QTest::newRow("seq low byte 1->3") << 9 << 0x02 << QStringLiteral("undecryptable");
        QTest::newRow("seq low byte 1->0") << 9 << 0x01 << QStringLiteral("bad_seq");
        QTest::newRow("version byte") << 0 << 0x01 << QStringLiteral("bad_version");
    }

    void tamperedRecordIsDropped()
    {
        QFETCH(int, index);
        QFETCH(int, mask);
        QFETCH(QString, code);
        Pair pair = handshake();
        const auto input = pair.viewer->encryptInput(Click);
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
                                 "{\"type\":\"ready\"}");
        QCOMPARE(code(viewer->receive(moved)), QStringLiteral("undecryptable"));
        QCOMPARE(viewer->droppedUndecryptable(), quint64(1));
        // The same record for the right session is accepted: only the AAD differed.
        const auto genuine = craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 1, kat::SessionId.toLatin1(),
                                   "{\"type\":\"ready\"}");
        QCOMPARE(code(viewer->receive(genuine)), QStringLiteral("ok"));
        QVERIFY(viewer->isReady());
    }

    void wrongDirectionLabelInNonce()
    {
        auto viewer = katViewer();
        // Sealed with the right key but the other direction's nonce label.
        const auto reflected = craft(kat::AgentToViewerKey, "v2a ", RecordKind::Control, 1, kat::SessionId.toLatin1(),
                                     "{\"type\":\"ready\"}");
        QCOMPARE(code(viewer->receive(reflected)), QStringLiteral("undecryptable"));
    }

    void channelsOfDifferentSessionsDoNotTalk()
    {
        Pair pair = handshake(Link::Pinned, true, QStringLiteral("sess_AnotherSessionEntirely"));
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
        // The ready record replayed at the viewer, too.
        QCOMPARE(code(pair.viewer->receive(pair.ready)), QStringLiteral("replay"));
        QCOMPARE(pair.viewer->droppedReplay(), quint64(1));
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
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey()));
        const auto agentResult = agent->acceptPeerKey(message);
        QVERIFY(!agentResult.ok());
        QCOMPARE(agentResult.error().code, code);
        QVERIFY(!agent->isReady());
        auto viewer = take(SecureChannelV2::createViewer(SessionId, {}));
        const auto viewerResult = viewer->acceptPeerKey(message);
        QVERIFY(!viewerResult.ok());
        QCOMPARE(viewerResult.error().code, code);
        QCOMPARE(viewer->sas(), QString());
    }

    void reflectedKey()
    {
        auto agent = take(SecureChannelV2::createAgent(SessionId, freshKey()));
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
        const QByteArray sid = kat::SessionId.toLatin1();
        QCOMPARE(code(viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Control, 2, sid, "not json"))),
                 QStringLiteral("bad_control"));
        QCOMPARE(code(viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Frame, 3, sid,
                                            QByteArray::fromHex("00000100") + "{}"))),
                 QStringLiteral("truncated_frame"));
        QCOMPARE(code(viewer->receive(craft(kat::AgentToViewerKey, "a2v ", RecordKind::Frame, 4, sid,
                                            *RecordCodec::packFrame("{\"deviceWidth\":0}", "img")))),
                 QStringLiteral("bad_field"));
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
        // A fresh "ready", numbered after everything sent before.
        QCOMPARE(seqOf(agentAgain->replies.first()), quint64(3));
        QCOMPARE(code(pair.viewer->receive(agentAgain->replies.first())), QStringLiteral("ok"));
        QCOMPARE(pair.viewer->sas(), sas);

        const auto after = pair.viewer->encryptInput(Click);
        QCOMPARE(seqOf(*after), quint64(2));
        QCOMPARE(pair.agent->receive(*after)->plaintext, Click);
        // What was sent before the reconnect cannot be replayed after it.
        QCOMPARE(code(pair.agent->receive(*before)), QStringLiteral("replay"));
    }

    void newViewerKeyStartsFresh()
    {
        Pair pair = handshake();
        for (int i = 0; i < 3; ++i)
            QVERIFY(pair.agent->receive(*pair.viewer->encryptInput(Click)).ok());

        auto second = take(SecureChannelV2::createViewer(SessionId, pair.agent->localFingerprint()));
        const auto accepted = second->acceptPeerKey(pair.agent->pubkeyMessage());
        const auto agentAccepted = pair.agent->acceptPeerKey(accepted->replies.first().data);
        QVERIFY(agentAccepted.ok());
        QVERIFY(!agentAccepted->resumed);
        QCOMPARE(seqOf(agentAccepted->replies.first()), quint64(1));
        QVERIFY(second->receive(agentAccepted->replies.first()).ok());
        const auto input = second->encryptInput(Click);
        QCOMPARE(seqOf(*input), quint64(1));
        QCOMPARE(pair.agent->receive(*input)->plaintext, Click);
        // The first viewer's keys are gone.
        QCOMPARE(code(pair.agent->receive(*pair.viewer->encryptInput(Click))), QStringLiteral("undecryptable"));
    }

    void viewerRefusesChangedAgentKey()
    {
        Pair pair = handshake(Link::WithoutK);
        auto impostor = take(SecureChannelV2::createAgent(SessionId, freshKey()));
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
