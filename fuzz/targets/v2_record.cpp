// Version-2 binary records (PROTOCOL 3, v2) as the relay delivers them, in two
// modes chosen by the first byte of the input:
//
//  even: the rest is one record from anyone on the path (the relay, the
//        network). RecordCodec takes it apart; a viewer's and an agent's
//        SecureChannelV2, past the whole handshake (keys, "ready" with its
//        commitment, "confirm", "reveal"), receive it. Whatever RecordCodec
//        accepts reassembles to the same bytes.
//  odd:  the rest is a list of records from a hostile peer that holds the
//        session keys (it has the link's viewer secret), so every one of them
//        authenticates and its plaintext (handshake and control JSON, frame
//        layout, frame metadata, input) reaches the parsers behind the
//        decryption. Each entry is
//        kind (1 byte, any value) | seq step (1 byte) | length (2 bytes BE) | plaintext;
//        bit 1 of the first byte has the genuine handshake finish first (else
//        only the public keys were exchanged), bit 2 sends the list to the
//        agent instead of the viewer.
//
// The channels must never crash, never call an authentic record
// undecryptable, and hand out only what the protocol allows: valid frame
// metadata with image bytes, control messages that are JSON objects with a type.

#include "FuzzSupport.h"
#include "core/crypto/AeadCipher.h"
#include "core/crypto/Digest.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/crypto/Hkdf.h"
#include "core/protocol/RecordCodec.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/V1Envelope.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <optional>

using namespace handoff;
using namespace handoff::protocol;

namespace {

const QString SessionId = QStringLiteral("sess_Fuzz0123456789abcdefABCDEF");
constexpr char AgentScalar[] = "agent-scalar-for-the-fuzz-target"; // 32 bytes
constexpr char ViewerScalar[] = "viewer-scalar-for-the-fuzz-targe"; // 32 bytes
const QByteArray ViewerSecret = QByteArrayLiteral("link-s-of-fuzz!!"); // 16 bytes
const QByteArray NonceSeed = QByteArrayLiteral("the agent's nonce seed, 32 bytes"); // 32 bytes
const QByteArray ViewerNonce = QByteArrayLiteral("viewer nonce 16b"); // 16 bytes

crypto::EcdhKeyPair keyPair(const char* scalar)
{
    auto pair = crypto::EcdhKeyPair::fromPrivateScalar(QByteArrayView(scalar, 32));
    FUZZ_CHECK(pair.ok());
    return std::move(*pair);
}

// The peer's half of the channel, built from the recipe of PROTOCOL 3 (v2 step
// 5) rather than from SecureChannelV2, so that records of any kind and content
// can be sealed. Checked once against the real channel (see fixture()).
struct Sealer final {
    crypto::AeadCipher agentToViewer;
    crypto::AeadCipher viewerToAgent;

    QByteArray seal(bool fromAgent, quint8 kind, quint64 seq, QByteArrayView plaintext) const
    {
        QByteArray header(RecordCodec::HeaderSize, Qt::Uninitialized);
        header[0] = char(RecordCodec::Version);
        header[1] = char(kind);
        qToBigEndian<quint64>(seq, header.data() + 2);
        const QByteArray nonce = RecordCodec::nonce(fromAgent ? "a2v " : "v2a ", seq);
        const auto sealed = (fromAgent ? agentToViewer : viewerToAgent)
                                .encrypt(nonce, RecordCodec::aad(header, SessionId.toLatin1()), plaintext);
        FUZZ_CHECK(sealed.ok());
        return RecordCodec::assemble(header, sealed->ciphertext, sealed->tag);
    }
};

// A genuine agent and viewer of one session (deterministic keys and nonces), the
// public keys exchanged; with `finishHandshake`, "ready", "confirm" and "reveal"
// delivered too.
struct Pair final {
    std::unique_ptr<SecureChannelV2> agent;
    std::unique_ptr<SecureChannelV2> viewer;
    quint64 agentSent = 0; // the records each one sealed so far: the next seq is one more
    quint64 viewerSent = 0;
};

Pair makePair(bool finishHandshake)
{
    Pair pair;
    auto agent = SecureChannelV2::createAgent(SessionId, keyPair(AgentScalar), ViewerSecret, NonceSeed);
    FUZZ_CHECK(agent.ok());
    pair.agent = std::move(*agent);
    auto viewer = SecureChannelV2::createViewer(SessionId, pair.agent->localFingerprint(), ViewerSecret,
                                                keyPair(ViewerScalar), ViewerNonce);
    FUZZ_CHECK(viewer.ok());
    pair.viewer = std::move(*viewer);
    const auto viewerAccepted = pair.viewer->acceptPeerKey(pair.agent->pubkeyMessage());
    FUZZ_CHECK(viewerAccepted.ok() && viewerAccepted->replies.size() == 1);
    const auto agentAccepted = pair.agent->acceptPeerKey(viewerAccepted->replies.first().data);
    FUZZ_CHECK(agentAccepted.ok() && agentAccepted->replies.size() == 1);
    pair.agentSent = 1; // "ready"
    if (!finishHandshake)
        return pair;
    const auto ready = pair.viewer->receive(agentAccepted->replies.first());
    FUZZ_CHECK(ready.ok() && ready->replies.size() == 1);
    const auto confirmed = pair.agent->receive(ready->replies.first());
    FUZZ_CHECK(confirmed.ok() && confirmed->replies.size() == 1 && pair.agent->isReady());
    const auto revealed = pair.viewer->receive(confirmed->replies.first());
    FUZZ_CHECK(revealed.ok() && pair.viewer->isReady());
    pair.viewerSent = 1; // "confirm"
    pair.agentSent = 2; // "reveal"
    return pair;
}

struct Fixture final {
    std::optional<Sealer> sealer;
};

const Fixture& fixture()
{
    static const Fixture fixture = [] {
        Fixture f;
        const crypto::EcdhKeyPair agent = keyPair(AgentScalar);
        const crypto::EcdhKeyPair viewer = keyPair(ViewerScalar);
        const auto z = agent.deriveSharedSecret(viewer.publicPoint());
        FUZZ_CHECK(z.ok());
        const QByteArray ikm = z->bytes() + ViewerSecret;
        const QByteArray salt = crypto::Digest::sha256(QByteArrayLiteral("handoff/2 salt") + SessionId.toLatin1());
        const QByteArray info = QByteArrayLiteral("handoff/2") + agent.publicPoint() + viewer.publicPoint();
        const auto a2v = crypto::Hkdf::sha256(ikm, salt, info + "a2v", 32);
        const auto v2a = crypto::Hkdf::sha256(ikm, salt, info + "v2a", 32);
        FUZZ_CHECK(a2v.ok() && v2a.ok());
        auto a2vCipher = crypto::AeadCipher::create(*a2v);
        auto v2aCipher = crypto::AeadCipher::create(*v2a);
        FUZZ_CHECK(a2vCipher.ok() && v2aCipher.ok());
        f.sealer.emplace(Sealer { std::move(*a2vCipher), std::move(*v2aCipher) });

        // The recipe above must still be the channel's: what it seals has to be
        // byte for byte what the real channels seal next, or this target fuzzes
        // nothing behind the AEAD.
        Pair probe = makePair(true);
        const QByteArray control = R"({"type":"viewport","width":800,"height":600})";
        const QByteArray input = R"({"type":"click","x":1,"y":2})";
        const auto fromAgent = probe.agent->encryptControl(control);
        const auto fromViewer = probe.viewer->encryptInput(input);
        if (!fromAgent.ok() || !fromViewer.ok()
            || fromAgent->data != f.sealer->seal(true, quint8(RecordKind::Control), probe.agentSent + 1, control)
            || fromViewer->data != f.sealer->seal(false, quint8(RecordKind::Input), probe.viewerSent + 1, input))
            handoff::fuzz::fail("the fuzz target's key schedule no longer matches SecureChannelV2", __FILE__, __LINE__);
        return f;
    }();
    return fixture;
}

void checkIncoming(const Result<Incoming>& incoming, bool authentic)
{
    if (!incoming) {
        FUZZ_CHECK(fuzz::isErrorCode(incoming.error().code));
        FUZZ_CHECK(!authentic || incoming.error().code != u"undecryptable");
        return;
    }
    switch (incoming->kind) {
    case Incoming::Kind::Frame:
        FUZZ_CHECK(incoming->frame.validateGeometry().ok());
        FUZZ_CHECK(!incoming->plaintext.isEmpty());
        break;
    case Incoming::Kind::Control: {
        const QJsonDocument document = QJsonDocument::fromJson(incoming->plaintext);
        FUZZ_CHECK(document.isObject() && document.object().value(QLatin1String("type")).isString());
        break;
    }
    case Incoming::Kind::Input:
        FUZZ_CHECK(!incoming->plaintext.isEmpty());
        break;
    case Incoming::Kind::Handshake:
        FUZZ_CHECK(incoming->plaintext.isEmpty());
        break;
    case Incoming::Kind::Nothing:
        break;
    }
}

void rawRecord(QByteArrayView record)
{
    if (const auto parts = RecordCodec::split(record); parts.ok()) {
        FUZZ_CHECK(parts->header.seq != 0);
        FUZZ_CHECK(RecordCodec::encodeHeader(parts->header.kind, parts->header.seq) == parts->headerBytes);
        FUZZ_CHECK(RecordCodec::assemble(parts->headerBytes, parts->ciphertext, parts->tag) == record);
        FUZZ_CHECK(RecordCodec::decodeHeader(record).ok());
    } else {
        FUZZ_CHECK(fuzz::isErrorCode(parts.error().code));
    }
    if (const auto frame = RecordCodec::unpackFrame(record); frame.ok()) {
        const auto packed = RecordCodec::packFrame(frame->metaJson, frame->image);
        FUZZ_CHECK(!packed.ok() || *packed == record);
    }

    // Kept for the whole run: a record without the keys never changes a channel's
    // state (checked below), so every input meets the same two channels.
    static const Pair pair = makePair(true);
    const quint64 droppedBefore = pair.viewer->droppedUndecryptable() + pair.viewer->droppedReplay();
    const auto incoming = pair.viewer->receive(WireMessage::binary(record.toByteArray()));
    checkIncoming(incoming, false);
    // Nobody without the keys gets a record through.
    FUZZ_CHECK(!incoming.ok());
    FUZZ_CHECK(pair.viewer->droppedUndecryptable() + pair.viewer->droppedReplay() == droppedBefore + 1);
    FUZZ_CHECK(pair.viewer->isReady() && !pair.viewer->isClosed());

    const auto atAgent = pair.agent->receive(WireMessage::binary(record.toByteArray()));
    checkIncoming(atAgent, false);
    FUZZ_CHECK(!atAgent.ok());
    FUZZ_CHECK(pair.agent->isReady() && !pair.agent->isClosed());
}

void sealedRecords(QByteArrayView input, bool finishHandshake, bool toAgent)
{
    const Fixture& f = fixture();
    Pair pair = makePair(finishHandshake);
    SecureChannelV2& channel = toAgent ? *pair.agent : *pair.viewer;
    quint64 seq = toAgent ? pair.viewerSent : pair.agentSent;
    if (!finishHandshake && !toAgent)
        seq = 0; // the agent's genuine "ready" was never delivered: the hostile peer speaks first
    while (input.size() >= 4) {
        const auto kind = quint8(input[0]);
        const auto step = quint8(input[1]);
        const qsizetype length = qMin<qsizetype>(qFromBigEndian<quint16>(input.data() + 2), input.size() - 4);
        const QByteArrayView plaintext = input.sliced(4, length);
        input = input.sliced(4 + length);
        seq += step;
        if (seq == 0)
            continue; // a record never carries 0; RecordCodec's tests cover that refusal
        if (channel.isClosed())
            break; // a channel that aborted (a changed commitment) takes nothing more
        checkIncoming(channel.receive(WireMessage::binary(f.sealer->seal(!toAgent, kind, seq, plaintext))), true);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const auto mode = quint8(data[0]);
    const QByteArrayView rest = fuzz::bytes(data + 1, size - 1);
    if ((mode & 1) == 0)
        rawRecord(rest);
    else
        sealedRecords(rest, mode & 2, mode & 4);
    return 0;
}
