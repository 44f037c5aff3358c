// Cross-implementation check of PROTOCOL 3: our channels against
// tests/interop/webcrypto-peer.mjs, a peer written on Node's WebCrypto alone
// (the API of the AuthLoop agent). For both versions and both role pairings,
// each side encrypts what the other decrypts, and both derive the same keys and
// SAS. Keys are compared with QVERIFY, never printed, even in a failure.

#include "core/crypto/Digest.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/crypto/Hkdf.h"
#include "core/crypto/Random.h"
#include "core/protocol/RecordCodec.h"
#include "core/protocol/Sas.h"
#include "core/protocol/SecureChannel.h"
#include "core/protocol/SecureChannelV1.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/V1Envelope.h"
#include "tests/support/TestPaths.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace handoff;
using namespace handoff::protocol;
using handoff::test::TestPaths;

namespace {

constexpr int CallTimeoutMs = 15000;
const QByteArray Click = "{\"type\":\"click\",\"x\":640,\"y\":360,\"button\":\"left\"}";
const QByteArray Paste = "{\"type\":\"paste\",\"text\":\"h\xc3\xa9llo \xe2\x9c\x93\"}";

// The Node peer as a child process speaking JSON lines; killed when it goes out of scope.
class NodePeer final {
public:
    NodePeer() = default;
    ~NodePeer() { stop(); }
    NodePeer(const NodePeer&) = delete;
    NodePeer& operator=(const NodePeer&) = delete;

    bool start(const QString& node, const QString& script)
    {
        m_process.setProgram(node);
        m_process.setArguments({ script });
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        return m_process.waitForStarted(CallTimeoutMs);
    }

    QJsonObject call(const QJsonObject& command)
    {
        m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
        const QDeadlineTimer deadline(CallTimeoutMs);
        while (!m_process.canReadLine()) {
            if (deadline.hasExpired() || m_process.state() != QProcess::Running
                || !m_process.waitForReadyRead(int(deadline.remainingTime())))
                break;
        }
        if (!m_process.canReadLine())
            return { { QStringLiteral("ok"), false },
                     { QStringLiteral("error"), QStringLiteral("no answer from node") } };
        return QJsonDocument::fromJson(m_process.readLine()).object();
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.write("{\"cmd\":\"quit\"}\n");
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(3000);
        }
    }

private:
    QProcess m_process;
};

QString str(const char* text)
{
    return QString::fromLatin1(text);
}

QString b64(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

QByteArray unb64(const QJsonValue& value)
{
    return QByteArray::fromBase64(value.toString().toLatin1());
}

QByteArray utf8(const QJsonValue& value)
{
    return value.toString().toUtf8();
}

QJsonObject meta()
{
    return { { str("deviceWidth"), 1280 },        { str("deviceHeight"), 720 },  { str("offsetTop"), 0 },
             { str("pageScaleFactor"), 1 },       { str("scrollOffsetX"), 0 },   { str("scrollOffsetY"), 42.5 },
             { str("timestamp"), 1763800000.25 }, { str("format"), str("jpeg") } };
}

crypto::EcdhKeyPair keyFromScalar(const QByteArray& scalar)
{
    auto key = crypto::EcdhKeyPair::fromPrivateScalar(scalar);
    Q_ASSERT(key.ok());
    return std::move(*key);
}

QByteArray randomScalar()
{
    auto bytes = crypto::Random::bytes(32);
    Q_ASSERT(bytes.ok());
    return *bytes;
}

template<typename T> T take(Result<T> result)
{
    Q_ASSERT(result.ok());
    return std::move(result).value();
}

// PROTOCOL 3 v1 step 3, written out again from the text: the raw ECDH x-coordinate.
QByteArray v1Key(const QByteArray& ourScalar, const QByteArray& peerPoint)
{
    return take(keyFromScalar(ourScalar).deriveSharedSecret(peerPoint)).bytes();
}

struct V2Keys {
    QByteArray v2a;
    QByteArray a2v;
    QByteArray sasKey;
    QByteArray agentPoint;
    QByteArray viewerPoint;
};

// PROTOCOL 3 v2 step 5, written out again from the text.
V2Keys v2Keys(const QByteArray& ourScalar, const QByteArray& peerPoint, ChannelRole role, const QString& sessionId,
              const QByteArray& viewerSecret)
{
    const crypto::EcdhKeyPair ours = keyFromScalar(ourScalar);
    const QByteArray ikm = take(ours.deriveSharedSecret(peerPoint)).bytes() + viewerSecret;
    const QByteArray salt = crypto::Digest::sha256("handoff/2 salt" + sessionId.toLatin1());
    const QByteArray a = role == ChannelRole::Agent ? ours.publicPoint() : peerPoint;
    const QByteArray v = role == ChannelRole::Agent ? peerPoint : ours.publicPoint();
    const QByteArray info = "handoff/2" + a + v;
    return { take(crypto::Hkdf::sha256(ikm, salt, info + "v2a", 32)),
             take(crypto::Hkdf::sha256(ikm, salt, info + "a2v", 32)),
             take(crypto::Hkdf::sha256(ikm, salt, info + "sas", 32)), a, v };
}

// Steps 7 and 9: the agent's nonce from its seed, and the SAS from both nonces.
QByteArray agentNonce(const QByteArray& seed, const QByteArray& viewerPoint)
{
    return crypto::Digest::hmacSha256(seed, "handoff/2 agent nonce" + viewerPoint).left(16);
}

QString sasOf(const V2Keys& keys, const QByteArray& agentNonce, const QByteArray& viewerNonce)
{
    return take(Sas::fromBytes(crypto::Digest::hmacSha256(keys.sasKey, "handoff/2 sas" + agentNonce + viewerNonce).left(4)));
}

QString b64url(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray pointOf(const QJsonValue& pubkeyMessage)
{
    return take(V1Envelope::parsePubkey(utf8(pubkeyMessage))).publicPoint;
}

} // namespace

class tst_WebCryptoInterop : public QObject {
    Q_OBJECT

private:
    QString m_node;
    QString m_script;
    const QString m_sessionId = QStringLiteral("sess_Interop0123456789abcdefXYZ");
    const QByteArray m_secret = QByteArray::fromHex("c0ffee00112233445566778899aabbcc");

    bool startPeer(NodePeer& peer) { return peer.start(m_node, m_script); }

private Q_SLOTS:
    void initTestCase()
    {
        m_node = TestPaths::nodeExecutable();
        if (m_node.isEmpty())
            QSKIP("node is not installed; the WebCrypto interop test needs Node 20 or later");
        m_script = QDir(TestPaths::interopDir()).filePath(QStringLiteral("webcrypto-peer.mjs"));
        QVERIFY2(QFileInfo::exists(m_script), qPrintable(m_script));
    }

    // AuthLoop-style agent in Node, our viewer.
    void v1NodeAgentCppViewer()
    {
        NodePeer node;
        QVERIFY(startPeer(node));
        const QJsonObject init
            = node.call({ { str("cmd"), str("init") }, { str("version"), 1 }, { str("role"), str("agent") } });
        QVERIFY(init[str("ok")].toBool());
        QVERIFY(!utf8(init[str("pubkey")]).contains("\"v\""));

        const QByteArray scalar = randomScalar();
        auto viewer = take(SecureChannel::createViewerFor(utf8(init[str("pubkey")]), m_sessionId, {}, {}));
        QCOMPARE(viewer->version(), 1);
        // createViewerFor made its own key; use one whose scalar we know for the key check.
        auto known = take(SecureChannelV1::create(ChannelRole::Viewer, keyFromScalar(scalar)));
        const auto accepted = known->acceptPeerKey(utf8(init[str("pubkey")]));
        QVERIFY(accepted.ok());
        QVERIFY(viewer->acceptPeerKey(utf8(init[str("pubkey")])).ok());

        const QJsonObject peer = node.call(
            { { str("cmd"), str("peer") }, { str("pubkey"), QString::fromUtf8(accepted->replies.first().data) } });
        QVERIFY(peer[str("ok")].toBool());
        QVERIFY(QByteArray::fromHex(peer[str("key")].toString().toLatin1())
                == v1Key(scalar, pointOf(init[str("pubkey")])));

        for (const QByteArray& event : { Click, Paste }) {
            const auto message = known->encryptInput(event);
            QVERIFY(message.ok());
            const QJsonObject opened
                = node.call({ { str("cmd"), str("decrypt") }, { str("text"), QString::fromUtf8(message->data) } });
            QVERIFY2(opened[str("ok")].toBool(), qPrintable(opened[str("error")].toString()));
            QCOMPARE(unb64(opened[str("plaintext")]), event);
        }

        // A plaintext v1 frame as AuthLoop sends it: metadata text, then the JPEG.
        QJsonObject v1Meta = meta();
        v1Meta.remove(str("timestamp"));
        v1Meta.remove(str("format"));
        const QByteArray jpeg = QByteArray::fromHex("ffd8ffe000104a4649460001") + QByteArray(2000, 'j');
        const QJsonObject frame = node.call({ { str("cmd"), str("encrypt") },
                                              { str("kind"), str("frame") },
                                              { str("plaintext"), b64(jpeg) },
                                              { str("meta"), v1Meta } });
        QVERIFY(frame[str("ok")].toBool());
        QCOMPARE(known->receive(WireMessage::text(utf8(frame[str("text")])))->kind, Incoming::Kind::Nothing);
        const auto shown = known->receive(WireMessage::binary(unb64(frame[str("binary")])));
        QVERIFY(shown.ok());
        QCOMPARE(shown->kind, Incoming::Kind::Frame);
        QCOMPARE(shown->plaintext, jpeg);
        QCOMPARE(shown->frame.scrollOffsetY, 42.5);
    }

    // Our v1 agent (compat mode), a WebCrypto viewer in Node.
    void v1CppAgentNodeViewer()
    {
        NodePeer node;
        QVERIFY(startPeer(node));
        const QByteArray scalar = randomScalar();
        auto agent = take(SecureChannelV1::create(ChannelRole::Agent, keyFromScalar(scalar)));
        const QJsonObject init
            = node.call({ { str("cmd"), str("init") }, { str("version"), 1 }, { str("role"), str("viewer") } });
        QVERIFY(init[str("ok")].toBool());
        const QJsonObject peer
            = node.call({ { str("cmd"), str("peer") }, { str("pubkey"), QString::fromUtf8(agent->pubkeyMessage()) } });
        QVERIFY(peer[str("ok")].toBool());
        QVERIFY(agent->acceptPeerKey(utf8(init[str("pubkey")])).ok());
        QVERIFY(QByteArray::fromHex(peer[str("key")].toString().toLatin1())
                == v1Key(scalar, pointOf(init[str("pubkey")])));

        for (const QByteArray& event : { Click, Paste }) {
            const QJsonObject sealed = node.call(
                { { str("cmd"), str("encrypt") }, { str("kind"), str("input") }, { str("plaintext"), b64(event) } });
            QVERIFY(sealed[str("ok")].toBool());
            const auto incoming = agent->receive(WireMessage::text(utf8(sealed[str("text")])));
            QVERIFY2(incoming.ok(), qPrintable(incoming.ok() ? QString() : incoming.error().code));
            QCOMPARE(incoming->kind, Incoming::Kind::Input);
            QCOMPARE(incoming->plaintext, event);
        }
    }

    // Our v2 agent against a WebCrypto v2 viewer.
    void v2CppAgentNodeViewer()
    {
        NodePeer node;
        QVERIFY(startPeer(node));
        const QByteArray scalar = randomScalar();
        const QByteArray seed = take(crypto::Random::bytes(32));
        auto agent = take(SecureChannelV2::createAgent(m_sessionId, keyFromScalar(scalar), m_secret, seed));
        const QString k
            = QString::fromLatin1(SecureChannelV2::keyFingerprintB64Url(keyFromScalar(scalar).publicPoint()));

        const QJsonObject init = node.call({ { str("cmd"), str("init") },
                                             { str("version"), 2 },
                                             { str("role"), str("viewer") },
                                             { str("sessionId"), m_sessionId },
                                             { str("expectFingerprint"), k },
                                             { str("viewerSecret"), b64url(m_secret) } });
        QVERIFY(init[str("ok")].toBool());
        const QJsonObject peer
            = node.call({ { str("cmd"), str("peer") }, { str("pubkey"), QString::fromUtf8(agent->pubkeyMessage()) } });
        QVERIFY2(peer[str("ok")].toBool(), qPrintable(peer[str("error")].toString()));

        const auto accepted = agent->acceptPeerKey(utf8(init[str("pubkey")]));
        QVERIFY(accepted.ok());
        const V2Keys expected
            = v2Keys(scalar, pointOf(init[str("pubkey")]), ChannelRole::Agent, m_sessionId, m_secret);
        QVERIFY(QByteArray::fromHex(peer[str("v2a")].toString().toLatin1()) == expected.v2a);
        QVERIFY(QByteArray::fromHex(peer[str("a2v")].toString().toLatin1()) == expected.a2v);

        // The handshake: our "ready" (with its commitment) opens in WebCrypto and
        // draws the viewer's confirmation, which draws our reveal.
        const QJsonObject ready
            = node.call({ { str("cmd"), str("decrypt") }, { str("binary"), b64(accepted->replies.first().data) } });
        QVERIFY2(ready[str("ok")].toBool(), qPrintable(ready[str("error")].toString()));
        QCOMPARE(ready[str("kind")].toString(), str("control"));
        const QByteArray nonceA = agentNonce(seed, expected.viewerPoint);
        const QByteArray commit
            = crypto::Digest::sha256("handoff/2 commit" + expected.agentPoint + expected.viewerPoint + nonceA);
        QCOMPARE(unb64(ready[str("plaintext")]), "{\"type\":\"ready\",\"commit\":\"" + b64url(commit).toLatin1() + "\"}");
        const auto confirmed = agent->receive(WireMessage::binary(unb64(ready[str("reply")])));
        QVERIFY2(confirmed.ok(), qPrintable(confirmed.ok() ? QString() : confirmed.error().code));
        QCOMPARE(confirmed->kind, Incoming::Kind::Handshake);
        QVERIFY(agent->isReady());
        const QJsonObject revealed
            = node.call({ { str("cmd"), str("decrypt") }, { str("binary"), b64(confirmed->replies.first().data) } });
        QVERIFY2(revealed[str("ok")].toBool(), qPrintable(revealed[str("error")].toString()));
        const QString expectedSas = sasOf(expected, nonceA, QByteArray::fromHex(init[str("nonce")].toString().toLatin1()));
        QCOMPARE(revealed[str("sas")].toString(), expectedSas);
        QCOMPARE(agent->sas(), expectedSas);

        FrameMetadata frameMeta;
        frameMeta.deviceWidth = 1280;
        frameMeta.deviceHeight = 720;
        frameMeta.scrollOffsetY = 42.5;
        frameMeta.timestamp = 1763800000.25;
        const QByteArray jpeg = QByteArray::fromHex("ffd8ffe0") + QByteArray(5000, 'J');
        const auto frame = agent->encryptFrame(frameMeta, jpeg);
        QVERIFY(frame.ok());
        const QJsonObject opened
            = node.call({ { str("cmd"), str("decrypt") }, { str("binary"), b64(frame->first().data) } });
        QVERIFY2(opened[str("ok")].toBool(), qPrintable(opened[str("error")].toString()));
        QCOMPARE(opened[str("kind")].toString(), str("frame"));
        QCOMPARE(unb64(opened[str("image")]), jpeg);
        QCOMPARE(opened[str("meta")].toObject(), meta());

        for (const QByteArray& event : { Click, Paste }) {
            const QJsonObject sealed = node.call(
                { { str("cmd"), str("encrypt") }, { str("kind"), str("input") }, { str("plaintext"), b64(event) } });
            QVERIFY(sealed[str("ok")].toBool());
            const auto incoming = agent->receive(WireMessage::binary(unb64(sealed[str("binary")])));
            QVERIFY2(incoming.ok(), qPrintable(incoming.ok() ? QString() : incoming.error().code));
            QCOMPARE(incoming->kind, Incoming::Kind::Input);
            QCOMPARE(incoming->plaintext, event);
        }
        // A WebCrypto record that repeats seq 1 (its confirmation's) is a replay to us as well.
        const QJsonObject replay = node.call({ { str("cmd"), str("encrypt") },
                                               { str("kind"), str("input") },
                                               { str("plaintext"), b64(Click) },
                                               { str("seq"), 1 } });
        QCOMPARE(agent->receive(WireMessage::binary(unb64(replay[str("binary")]))).error().code, str("replay"));
        QCOMPARE(agent->droppedReplay(), quint64(1));
    }

    // A WebCrypto v2 agent against our viewer, pinned by the link's k.
    void v2NodeAgentCppViewer()
    {
        NodePeer node;
        QVERIFY(startPeer(node));
        const QByteArray seed = take(crypto::Random::bytes(32));
        const QJsonObject init = node.call({ { str("cmd"), str("init") },
                                             { str("version"), 2 },
                                             { str("role"), str("agent") },
                                             { str("sessionId"), m_sessionId },
                                             { str("viewerSecret"), b64url(m_secret) },
                                             { str("nonceSeed"), QString::fromLatin1(seed.toHex()) } });
        QVERIFY(init[str("ok")].toBool());
        const QByteArray agentPoint = pointOf(init[str("pubkey")]);
        // Both sides compute the link's k the same way.
        QCOMPARE(init[str("fingerprint")].toString().toLatin1(), SecureChannelV2::keyFingerprintB64Url(agentPoint));
        const auto k = SecureChannelV2::parseFingerprint(init[str("fingerprint")].toString().toLatin1());
        QVERIFY(k.ok());

        const QByteArray scalar = randomScalar();
        const QByteArray nonceV = take(crypto::Random::bytes(16));
        auto created = SecureChannel::createViewerFor(utf8(init[str("pubkey")]), m_sessionId, *k, m_secret);
        QVERIFY(created.ok());
        QCOMPARE((*created)->version(), 2);
        auto viewer = take(SecureChannelV2::createViewer(m_sessionId, *k, m_secret, keyFromScalar(scalar), nonceV));
        const auto accepted = viewer->acceptPeerKey(utf8(init[str("pubkey")]));
        QVERIFY(accepted.ok());
        QVERIFY(!viewer->needsSasConfirmation());

        const QJsonObject peer = node.call(
            { { str("cmd"), str("peer") }, { str("pubkey"), QString::fromUtf8(accepted->replies.first().data) } });
        QVERIFY2(peer[str("ok")].toBool(), qPrintable(peer[str("error")].toString()));
        const V2Keys expected = v2Keys(scalar, agentPoint, ChannelRole::Viewer, m_sessionId, m_secret);
        QVERIFY(QByteArray::fromHex(peer[str("v2a")].toString().toLatin1()) == expected.v2a);
        QVERIFY(QByteArray::fromHex(peer[str("a2v")].toString().toLatin1()) == expected.a2v);

        QCOMPARE(viewer->encryptInput(Click).error().code, str("not_ready"));
        const QByteArray readyRecord = unb64(peer[str("ready")]);
        QCOMPARE(RecordCodec::decodeHeader(readyRecord)->seq, quint64(1));
        const auto ready = viewer->receive(WireMessage::binary(readyRecord));
        QVERIFY2(ready.ok(), qPrintable(ready.ok() ? QString() : ready.error().code));
        QCOMPARE(ready->kind, Incoming::Kind::Handshake);
        QVERIFY(!viewer->isReady());
        const QJsonObject confirmed
            = node.call({ { str("cmd"), str("decrypt") }, { str("binary"), b64(ready->replies.first().data) } });
        QVERIFY2(confirmed[str("ok")].toBool(), qPrintable(confirmed[str("error")].toString()));
        const auto revealed = viewer->receive(WireMessage::binary(unb64(confirmed[str("reply")])));
        QVERIFY2(revealed.ok(), qPrintable(revealed.ok() ? QString() : revealed.error().code));
        QVERIFY(viewer->isReady());
        const QString expectedSas = sasOf(expected, agentNonce(seed, expected.viewerPoint), nonceV);
        QCOMPARE(viewer->sas(), expectedSas);
        QCOMPARE(confirmed[str("sas")].toString(), expectedSas);

        const QByteArray image = QByteArray::fromHex("89504e470d0a1a0a") + QByteArray(7000, 'P');
        QJsonObject pngMeta = meta();
        pngMeta[str("format")] = str("png");
        const QJsonObject frame = node.call({ { str("cmd"), str("encrypt") },
                                              { str("kind"), str("frame") },
                                              { str("plaintext"), b64(image) },
                                              { str("meta"), pngMeta } });
        QVERIFY(frame[str("ok")].toBool());
        const auto shown = viewer->receive(WireMessage::binary(unb64(frame[str("binary")])));
        QVERIFY2(shown.ok(), qPrintable(shown.ok() ? QString() : shown.error().code));
        QCOMPARE(shown->kind, Incoming::Kind::Frame);
        QCOMPARE(shown->plaintext, image);
        QCOMPARE(shown->frame.format, FrameMetadata::Format::Png);
        QCOMPARE(shown->frame.timestamp, 1763800000.25);

        for (const QByteArray& event : { Click, Paste }) {
            const auto record = viewer->encryptInput(event);
            QVERIFY(record.ok());
            const QJsonObject opened
                = node.call({ { str("cmd"), str("decrypt") }, { str("binary"), b64(record->data) } });
            QVERIFY2(opened[str("ok")].toBool(), qPrintable(opened[str("error")].toString()));
            QCOMPARE(opened[str("kind")].toString(), str("input"));
            QCOMPARE(unb64(opened[str("plaintext")]), event);
        }
        const auto control = viewer->encryptControl("{\"type\":\"bye\"}");
        const QJsonObject openedControl
            = node.call({ { str("cmd"), str("decrypt") }, { str("binary"), b64(control->data) } });
        QCOMPARE(openedControl[str("kind")].toString(), str("control"));

        // An older record from WebCrypto is dropped here too.
        const QJsonObject old = node.call({ { str("cmd"), str("encrypt") },
                                            { str("kind"), str("control") },
                                            { str("plaintext"), b64("{\"type\":\"session_info\"}") },
                                            { str("seq"), 1 } });
        QCOMPARE(viewer->receive(WireMessage::binary(unb64(old[str("binary")]))).error().code, str("replay"));
    }

    // A WebCrypto viewer whose link lost s derives other keys: our agent's "ready" does not open.
    void v2WrongViewerSecretFails()
    {
        NodePeer node;
        QVERIFY(startPeer(node));
        auto agent = take(SecureChannelV2::createAgent(m_sessionId, keyFromScalar(randomScalar()), m_secret));
        const QJsonObject init = node.call({ { str("cmd"), str("init") },
                                             { str("version"), 2 },
                                             { str("role"), str("viewer") },
                                             { str("sessionId"), m_sessionId },
                                             { str("viewerSecret"), b64url(QByteArray(16, '\x7f')) } });
        QVERIFY(init[str("ok")].toBool());
        QVERIFY(node.call({ { str("cmd"), str("peer") }, { str("pubkey"), QString::fromUtf8(agent->pubkeyMessage()) } })
                    [str("ok")].toBool());
        const auto accepted = agent->acceptPeerKey(utf8(init[str("pubkey")]));
        const QJsonObject ready
            = node.call({ { str("cmd"), str("decrypt") }, { str("binary"), b64(accepted->replies.first().data) } });
        QVERIFY(!ready[str("ok")].toBool());
        QCOMPARE(ready[str("error")].toString(), str("undecryptable"));
    }

    // Our viewer refuses a WebCrypto agent whose key is not the one the link pins.
    void v2SubstitutedKeyIsRefused()
    {
        NodePeer genuine;
        NodePeer impostor;
        QVERIFY(startPeer(genuine));
        QVERIFY(startPeer(impostor));
        const QJsonObject real = genuine.call({ { str("cmd"), str("init") },
                                                { str("version"), 2 },
                                                { str("role"), str("agent") },
                                                { str("sessionId"), m_sessionId },
                                                { str("viewerSecret"), b64url(m_secret) } });
        const QJsonObject fake = impostor.call({ { str("cmd"), str("init") },
                                                 { str("version"), 2 },
                                                 { str("role"), str("agent") },
                                                 { str("sessionId"), m_sessionId },
                                                 { str("viewerSecret"), b64url(m_secret) } });
        const auto k = SecureChannelV2::parseFingerprint(real[str("fingerprint")].toString().toLatin1());
        QVERIFY(k.ok());
        auto viewer = take(SecureChannel::createViewerFor(utf8(fake[str("pubkey")]), m_sessionId, *k, m_secret));
        const auto accepted = viewer->acceptPeerKey(utf8(fake[str("pubkey")]));
        QVERIFY(!accepted.ok());
        QCOMPARE(accepted.error().code, str("key_mismatch"));
        QVERIFY(viewer->isClosed());
    }
};

QTEST_GUILESS_MAIN(tst_WebCryptoInterop)
#include "tst_WebCryptoInterop.moc"
