// Version 1 (AuthLoop compat) channels of both roles talking to each other in
// process, the raw-x key checked independently, and every rejection.

#include "core/crypto/AeadCipher.h"
#include "core/crypto/Digest.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/protocol/SecureChannel.h"
#include "core/protocol/SecureChannelV1.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/V1Envelope.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace handoff;
using namespace handoff::protocol;

namespace {

const QByteArray Click = "{\"type\":\"click\",\"x\":10,\"y\":20}";

crypto::EcdhKeyPair keyFromSeed(const char* seed)
{
    auto key = crypto::EcdhKeyPair::fromPrivateScalar(crypto::Digest::sha256(QByteArray(seed)));
    Q_ASSERT(key.ok());
    return std::move(*key);
}

struct Pair {
    std::unique_ptr<SecureChannel> agent;
    std::unique_ptr<SecureChannel> viewer;
};

// Agent pubkey -> viewer (picks v1) -> viewer pubkey -> agent.
Pair handshake()
{
    Pair pair;
    auto agent = SecureChannelV1::create(ChannelRole::Agent);
    Q_ASSERT(agent.ok());
    pair.agent = std::move(*agent);
    auto viewer = SecureChannel::createViewerFor(pair.agent->pubkeyMessage(), QStringLiteral("sess_v1"), {}, {});
    Q_ASSERT(viewer.ok());
    pair.viewer = std::move(*viewer);
    auto accepted = pair.viewer->acceptPeerKey(pair.agent->pubkeyMessage());
    Q_ASSERT(accepted.ok() && accepted->replies.size() == 1);
    auto agentAccepted = pair.agent->acceptPeerKey(accepted->replies.first().data);
    Q_ASSERT(agentAccepted.ok() && agentAccepted->replies.isEmpty());
    return pair;
}

FrameMetadata frameMeta()
{
    FrameMetadata meta;
    meta.deviceWidth = 1280;
    meta.deviceHeight = 720;
    meta.scrollOffsetY = 300;
    return meta;
}

QByteArray pubkeyText(const QByteArray& point, int version = 1)
{
    return V1Envelope::pubkeyMessage(point, version);
}

// A tampered copy of a v1 "encrypted" message: `field` decoded, one bit flipped, re-encoded.
QByteArray flipInPayload(const QByteArray& text, const char* field)
{
    auto payload = *V1Envelope::parseEncrypted(text);
    QByteArray& bytes = QByteArray(field) == "iv" ? payload.iv
        : QByteArray(field) == "tag"              ? payload.tag
                                                  : payload.ciphertext;
    bytes[0] = char(bytes[0] ^ 0x01);
    return V1Envelope::encryptedMessage(payload);
}

} // namespace

class tst_SecureChannelV1 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pubkeyMessageIsAuthLoopShape()
    {
        auto agent = SecureChannelV1::create(ChannelRole::Agent);
        QVERIFY(agent.ok());
        const auto pubkey = V1Envelope::parsePubkey((*agent)->pubkeyMessage());
        QVERIFY(pubkey.ok());
        QCOMPARE(pubkey->version, 1);
        QVERIFY(!(*agent)->pubkeyMessage().contains("\"v\""));
        QCOMPARE((*agent)->version(), 1);
        QCOMPARE((*agent)->sas(), QString());
        QVERIFY(!(*agent)->needsSasConfirmation());
    }

    void handshakeAndInput()
    {
        Pair pair = handshake();
        QCOMPARE(pair.viewer->version(), 1);
        QVERIFY(pair.agent->isReady());
        QVERIFY(pair.viewer->isReady());
        const auto message = pair.viewer->encryptInput(Click);
        QVERIFY(message.ok());
        QCOMPARE(message->type, WireMessage::Type::Text);
        QVERIFY(!message->data.contains("click")); // the event never travels in clear
        const auto payload = V1Envelope::parseEncrypted(message->data);
        QVERIFY(payload.ok());
        QCOMPARE(payload->iv.size(), 12);
        QCOMPARE(payload->tag.size(), 16);
        const auto incoming = pair.agent->receive(*message);
        QVERIFY2(incoming.ok(), qPrintable(incoming.ok() ? QString() : incoming.error().code));
        QCOMPARE(incoming->kind, Incoming::Kind::Input);
        QCOMPARE(incoming->plaintext, Click);
    }

    void ivIsFreshEachTime()
    {
        Pair pair = handshake();
        const auto first = V1Envelope::parseEncrypted(pair.viewer->encryptInput(Click)->data);
        const auto second = V1Envelope::parseEncrypted(pair.viewer->encryptInput(Click)->data);
        QVERIFY(first->iv != second->iv);
        QVERIFY(first->ciphertext != second->ciphertext);
    }

    // PROTOCOL 3 v1 step 3: the ECDH x-coordinate itself is the AES-256-GCM key, no KDF, no AAD.
    void keyIsRawSharedX()
    {
        auto viewer = SecureChannelV1::create(ChannelRole::Viewer, keyFromSeed("v1 viewer"));
        const crypto::EcdhKeyPair agentKey = keyFromSeed("v1 agent");
        QVERIFY((*viewer)->acceptPeerKey(pubkeyText(agentKey.publicPoint())).ok());
        const auto message = (*viewer)->encryptInput(Click);
        QVERIFY(message.ok());

        const auto viewerPoint = keyFromSeed("v1 viewer").publicPoint();
        const auto z = agentKey.deriveSharedSecret(viewerPoint);
        QVERIFY(z.ok());
        const auto cipher = crypto::AeadCipher::create(z->bytes());
        QVERIFY(cipher.ok());
        const auto payload = V1Envelope::parseEncrypted(message->data);
        const auto plaintext = cipher->decrypt(payload->iv, {}, payload->ciphertext, payload->tag);
        QVERIFY(plaintext.ok());
        QCOMPARE(*plaintext, Click);
    }

    void framesArePlaintextPairs()
    {
        Pair pair = handshake();
        const QByteArray jpeg = QByteArray::fromHex("ffd8ffe0") + QByteArray(500, 'j');
        const auto messages = pair.agent->encryptFrame(frameMeta(), jpeg);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 2);
        QCOMPARE(messages->at(0).type, WireMessage::Type::Text);
        QCOMPARE(messages->at(0).data,
                 QByteArray("{\"type\":\"frame\",\"deviceWidth\":1280,\"deviceHeight\":720,\"offsetTop\":0,"
                            "\"pageScaleFactor\":1,\"scrollOffsetX\":0,\"scrollOffsetY\":300,\"jpegSize\":504}"));
        QCOMPARE(messages->at(1).type, WireMessage::Type::Binary);
        QCOMPARE(messages->at(1).data, jpeg);

        const auto first = pair.viewer->receive(messages->at(0));
        QVERIFY(first.ok());
        QCOMPARE(first->kind, Incoming::Kind::Nothing);
        const auto second = pair.viewer->receive(messages->at(1));
        QVERIFY(second.ok());
        QCOMPARE(second->kind, Incoming::Kind::Frame);
        QCOMPARE(second->plaintext, jpeg);
        QCOMPARE(second->frame.deviceWidth, 1280.0);
        QCOMPARE(second->frame.scrollOffsetY, 300.0);
    }

    void framesBeforeHandshake()
    {
        // Frames are not encrypted, so a viewer shows the cached frame before the key exchange.
        auto agent = SecureChannelV1::create(ChannelRole::Agent);
        auto viewer = SecureChannelV1::create(ChannelRole::Viewer);
        const auto messages = (*agent)->encryptFrame(frameMeta(), "jpeg");
        QVERIFY(messages.ok());
        QVERIFY((*viewer)->receive(messages->at(0)).ok());
        QCOMPARE((*viewer)->receive(messages->at(1))->kind, Incoming::Kind::Frame);
    }

    void frameRejects()
    {
        Pair pair = handshake();
        auto binaryAlone = pair.viewer->receive(WireMessage::binary("jpeg"));
        QCOMPARE(binaryAlone.error().code, QStringLiteral("unexpected_binary"));

        const auto messages = pair.agent->encryptFrame(frameMeta(), "jpeg");
        QVERIFY(pair.viewer->receive(messages->at(0)).ok());
        QCOMPARE(pair.viewer->receive(WireMessage::binary("jpeg+")).error().code,
                 QStringLiteral("frame_size_mismatch"));
        // The metadata is used up by the failed attempt.
        QCOMPARE(pair.viewer->receive(messages->at(1)).error().code, QStringLiteral("unexpected_binary"));

        FrameMetadata png = frameMeta();
        png.format = FrameMetadata::Format::Png;
        QCOMPARE(pair.agent->encryptFrame(png, "png").error().code, QStringLiteral("unsupported_format"));
        QCOMPARE(pair.agent->encryptFrame(frameMeta(), {}).error().code, QStringLiteral("bad_field"));
        FrameMetadata bad = frameMeta();
        bad.deviceWidth = 0;
        QCOMPARE(pair.agent->encryptFrame(bad, "jpeg").error().code, QStringLiteral("bad_field"));
        QCOMPARE(pair.viewer->receive(WireMessage::text("{\"type\":\"frame\",\"deviceWidth\":0}")).error().code,
                 QStringLiteral("bad_field"));
    }

    void inputBeforeHandshake()
    {
        auto viewer = SecureChannelV1::create(ChannelRole::Viewer);
        QVERIFY(!(*viewer)->isReady());
        QCOMPARE((*viewer)->encryptInput(Click).error().code, QStringLiteral("not_ready"));

        // An agent without the viewer's key cannot read input: dropped and counted.
        auto agent = SecureChannelV1::create(ChannelRole::Agent);
        Pair pair = handshake();
        const auto message = pair.viewer->encryptInput(Click);
        QCOMPARE((*agent)->receive(*message).error().code, QStringLiteral("not_ready"));
        QCOMPARE((*agent)->droppedUndecryptable(), quint64(1));
    }

    void wrongRoles()
    {
        Pair pair = handshake();
        QCOMPARE(pair.agent->encryptInput(Click).error().code, QStringLiteral("wrong_role"));
        QCOMPARE(pair.viewer->encryptFrame(frameMeta(), "jpeg").error().code, QStringLiteral("wrong_role"));
        QCOMPARE(pair.viewer->encryptControl("{\"type\":\"ready\"}").error().code, QStringLiteral("unsupported"));
        // An "encrypted" message sent to the viewer, a frame sent to the agent: neither belongs.
        const auto input = pair.viewer->encryptInput(Click);
        QCOMPARE(pair.viewer->receive(*input).error().code, QStringLiteral("unexpected_message"));
        const auto frame = pair.agent->encryptFrame(frameMeta(), "jpeg");
        QCOMPARE(pair.agent->receive(frame->at(0)).error().code, QStringLiteral("unexpected_message"));
        QCOMPARE(pair.agent->receive(frame->at(1)).error().code, QStringLiteral("unexpected_binary"));
        QCOMPARE(pair.agent->receive(WireMessage::text("not json")).error().code, QStringLiteral("bad_json"));
    }

    void tamperedInputIsDropped_data()
    {
        QTest::addColumn<QByteArray>("field");
        QTest::newRow("ciphertext") << QByteArray("ciphertext");
        QTest::newRow("tag") << QByteArray("tag");
        QTest::newRow("iv") << QByteArray("iv");
    }

    void tamperedInputIsDropped()
    {
        QFETCH(QByteArray, field);
        Pair pair = handshake();
        const auto message = pair.viewer->encryptInput(Click);
        const auto tampered = pair.agent->receive(WireMessage::text(flipInPayload(message->data, field.constData())));
        QVERIFY(!tampered.ok());
        QCOMPARE(tampered.error().code, QStringLiteral("undecryptable"));
        QCOMPARE(pair.agent->droppedUndecryptable(), quint64(1));
        // The genuine message still goes through.
        QVERIFY(pair.agent->receive(*message).ok());
    }

    void malformedEncryptedIsDropped()
    {
        Pair pair = handshake();
        const QByteArray badIv = "{\"type\":\"encrypted\",\"payload\":{\"iv\":\"AAAA\",\"ciphertext\":\"AAAA\","
                                 "\"tag\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}}";
        QCOMPARE(pair.agent->receive(WireMessage::text(badIv)).error().code, QStringLiteral("bad_iv_length"));
        QCOMPARE(pair.agent->droppedUndecryptable(), quint64(1));
        QCOMPARE(pair.agent->droppedReplay(), quint64(0));
    }

    void peerKeyRejects_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("code");
        QByteArray offCurve(65, '\x01');
        offCurve[0] = '\x04';
        QByteArray notUncompressed = keyFromSeed("x").publicPoint();
        notUncompressed[0] = '\x05';
        QTest::newRow("wrong length") << pubkeyText(QByteArray(64, '\x04')) << QStringLiteral("bad_key_length");
        QTest::newRow("off curve") << pubkeyText(offCurve) << QStringLiteral("invalid_peer_key");
        QTest::newRow("not uncompressed") << pubkeyText(notUncompressed) << QStringLiteral("invalid_peer_key");
        QTest::newRow("all zero") << pubkeyText(QByteArray(65, '\0')) << QStringLiteral("invalid_peer_key");
        QTest::newRow("v2 key") << pubkeyText(keyFromSeed("x").publicPoint(), 2) << QStringLiteral("version_mismatch");
        QTest::newRow("bad JSON") << QByteArray("{") << QStringLiteral("bad_json");
    }

    void peerKeyRejects()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, code);
        for (ChannelRole role : { ChannelRole::Agent, ChannelRole::Viewer }) {
            auto channel = SecureChannelV1::create(role);
            const auto accepted = (*channel)->acceptPeerKey(message);
            QVERIFY(!accepted.ok());
            QCOMPARE(accepted.error().code, code);
            QVERIFY(!(*channel)->isReady());
        }
    }

    void reflectedKey()
    {
        auto viewer = SecureChannelV1::create(ChannelRole::Viewer);
        QCOMPARE((*viewer)->acceptPeerKey((*viewer)->pubkeyMessage()).error().code, QStringLiteral("reflected_key"));
    }

    void reconnectResumes()
    {
        Pair pair = handshake();
        const QByteArray viewerPubkey = pair.viewer->pubkeyMessage();
        // The relay re-sends the cached agent key to the reconnected viewer.
        const auto again = pair.viewer->acceptPeerKey(pair.agent->pubkeyMessage());
        QVERIFY(again.ok());
        QVERIFY(again->resumed);
        QCOMPARE(again->replies.first().data, viewerPubkey);
        const auto agentAgain = pair.agent->acceptPeerKey(viewerPubkey);
        QVERIFY(agentAgain.ok());
        QVERIFY(agentAgain->resumed);
        QCOMPARE(pair.agent->receive(*pair.viewer->encryptInput(Click))->plaintext, Click);
    }

    void newViewerReplacesKey()
    {
        Pair pair = handshake();
        auto second = SecureChannelV1::create(ChannelRole::Viewer);
        const auto accepted = (*second)->acceptPeerKey(pair.agent->pubkeyMessage());
        const auto agentAccepted = pair.agent->acceptPeerKey(accepted->replies.first().data);
        QVERIFY(agentAccepted.ok());
        QVERIFY(!agentAccepted->resumed);
        QCOMPARE(pair.agent->receive(*(*second)->encryptInput(Click))->plaintext, Click);
        // The old viewer's key no longer works.
        QCOMPARE(pair.agent->receive(*pair.viewer->encryptInput(Click)).error().code, QStringLiteral("undecryptable"));
    }

    void downgradeRefusedWhenLinkPinsKey()
    {
        auto agent = SecureChannelV1::create(ChannelRole::Agent);
        const QByteArray fingerprint = SecureChannelV2::keyFingerprint(QByteArray(65, '\x04'));
        const auto viewer
            = SecureChannel::createViewerFor((*agent)->pubkeyMessage(), QStringLiteral("sess_x"), fingerprint, {});
        QVERIFY(!viewer.ok());
        QCOMPARE(viewer.error().code, QStringLiteral("downgrade"));
        // A viewer secret marks a version-2 link just as well.
        const auto withSecret = SecureChannel::createViewerFor((*agent)->pubkeyMessage(), QStringLiteral("sess_x"), {},
                                                               QByteArray(16, 's'));
        QCOMPARE(withSecret.error().code, QStringLiteral("downgrade"));
    }

    void closeWipes()
    {
        Pair pair = handshake();
        pair.viewer->close();
        QVERIFY(pair.viewer->isClosed());
        QVERIFY(!pair.viewer->isReady());
        QCOMPARE(pair.viewer->encryptInput(Click).error().code, QStringLiteral("closed"));
        QCOMPARE(pair.viewer->acceptPeerKey(pair.agent->pubkeyMessage()).error().code, QStringLiteral("closed"));
        QCOMPARE(pair.viewer->receive(WireMessage::binary("x")).error().code, QStringLiteral("closed"));
    }
};

QTEST_GUILESS_MAIN(tst_SecureChannelV1)
#include "tst_SecureChannelV1.moc"
