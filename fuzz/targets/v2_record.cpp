// Version-2 binary records (PROTOCOL 3, v2) as the relay delivers them, in two
// modes chosen by the first byte of the input:
//
//  even: the rest is one record from anyone on the path (the relay, the
//        network). RecordCodec takes it apart; a viewer's and an agent's
//        SecureChannelV2, both past the key exchange, receive it. Whatever
//        RecordCodec accepts reassembles to the same bytes.
//  odd:  the rest is a list of records from a hostile peer that holds the
//        session keys, so every one of them authenticates and its plaintext
//        (control JSON, frame layout, frame metadata, input) reaches the
//        parsers behind the decryption. Each entry is
//        kind (1 byte, any value) | seq step (1 byte) | length (2 bytes BE) | plaintext;
//        bit 1 of the first byte has the agent's genuine "ready" go first,
//        bit 2 sends the list to the agent instead of the viewer.
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

crypto::EcdhKeyPair keyPair(const char* scalar)
{
    auto pair = crypto::EcdhKeyPair::fromPrivateScalar(QByteArrayView(scalar, 32));
    FUZZ_CHECK(pair.ok());
    return std::move(*pair);
}

// The peer's half of the channel, built from the recipe of PROTOCOL 3 (v2 step
// 5) rather than from SecureChannelV2, so that records of any kind and content
// can be sealed. Checked once against the real channel (see sealer()).
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

std::unique_ptr<SecureChannelV2> viewerChannel(QByteArrayView agentPubkeyMessage, QByteArrayView fingerprint)
{
    auto viewer = SecureChannelV2::createViewer(SessionId, fingerprint, keyPair(ViewerScalar));
    FUZZ_CHECK(viewer.ok());
    FUZZ_CHECK((*viewer)->acceptPeerKey(agentPubkeyMessage).ok());
    return std::move(*viewer);
}

std::unique_ptr<SecureChannelV2> agentChannel(QByteArrayView viewerPubkeyMessage)
{
    auto agent = SecureChannelV2::createAgent(SessionId, keyPair(AgentScalar));
    FUZZ_CHECK(agent.ok());
    FUZZ_CHECK((*agent)->acceptPeerKey(viewerPubkeyMessage).ok());
    return std::move(*agent);
}

struct Fixture final {
    QByteArray agentPubkey; // the agent's {"type":"pubkey",...,"v":2}
    QByteArray viewerPubkey;
    QByteArray fingerprint; // the link's k
    std::optional<Sealer> sealer;
};

const Fixture& fixture()
{
    static const Fixture fixture = [] {
        Fixture f;
        const crypto::EcdhKeyPair agent = keyPair(AgentScalar);
        const crypto::EcdhKeyPair viewer = keyPair(ViewerScalar);
        f.agentPubkey = V1Envelope::pubkeyMessage(agent.publicPoint(), 2);
        f.viewerPubkey = V1Envelope::pubkeyMessage(viewer.publicPoint(), 2);
        f.fingerprint = SecureChannelV2::keyFingerprint(agent.publicPoint());

        const auto z = agent.deriveSharedSecret(viewer.publicPoint());
        FUZZ_CHECK(z.ok());
        const QByteArray salt = crypto::Digest::sha256(QByteArrayLiteral("handoff/2 salt") + SessionId.toLatin1());
        const QByteArray info = QByteArrayLiteral("handoff/2") + agent.publicPoint() + viewer.publicPoint();
        const auto a2v = crypto::Hkdf::sha256(z->bytes(), salt, info + "a2v", 32);
        const auto v2a = crypto::Hkdf::sha256(z->bytes(), salt, info + "v2a", 32);
        FUZZ_CHECK(a2v.ok() && v2a.ok());
        auto a2vCipher = crypto::AeadCipher::create(*a2v);
        auto v2aCipher = crypto::AeadCipher::create(*v2a);
        FUZZ_CHECK(a2vCipher.ok() && v2aCipher.ok());
        f.sealer.emplace(Sealer { std::move(*a2vCipher), std::move(*v2aCipher) });

        // The recipe above must still be the channel's: a sealed "ready" has to
        // make a real viewer ready, or this target fuzzes nothing behind the AEAD.
        auto probe = viewerChannel(f.agentPubkey, f.fingerprint);
        const QByteArray ready = f.sealer->seal(true, quint8(RecordKind::Control), 1, R"({"type":"ready"})");
        if (!probe->receive(WireMessage::binary(ready)).ok() || !probe->isReady())
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
    const Fixture& f = fixture();
    static const auto viewer = viewerChannel(f.agentPubkey, f.fingerprint);
    static const auto agent = agentChannel(f.viewerPubkey);
    const quint64 droppedBefore = viewer->droppedUndecryptable() + viewer->droppedReplay();
    const auto incoming = viewer->receive(WireMessage::binary(record.toByteArray()));
    checkIncoming(incoming, false);
    // Nobody without the keys gets a record through.
    FUZZ_CHECK(!incoming.ok());
    FUZZ_CHECK(viewer->droppedUndecryptable() + viewer->droppedReplay() == droppedBefore + 1);
    FUZZ_CHECK(!viewer->isReady());

    const auto atAgent = agent->receive(WireMessage::binary(record.toByteArray()));
    checkIncoming(atAgent, false);
    FUZZ_CHECK(!atAgent.ok());
}

void sealedRecords(QByteArrayView input, bool readyFirst, bool toAgent)
{
    const Fixture& f = fixture();
    auto channel = toAgent ? agentChannel(f.viewerPubkey) : viewerChannel(f.agentPubkey, f.fingerprint);
    quint64 seq = 0;
    if (readyFirst && !toAgent) {
        ++seq;
        const auto ready = channel->receive(
            WireMessage::binary(f.sealer->seal(true, quint8(RecordKind::Control), seq, R"({"type":"ready"})")));
        FUZZ_CHECK(ready.ok() && channel->isReady());
    }
    while (input.size() >= 4) {
        const auto kind = quint8(input[0]);
        const auto step = quint8(input[1]);
        const qsizetype length = qMin<qsizetype>(qFromBigEndian<quint16>(input.data() + 2), input.size() - 4);
        const QByteArrayView plaintext = input.sliced(4, length);
        input = input.sliced(4 + length);
        seq += step;
        if (seq == 0)
            continue; // a record never carries 0; RecordCodec's tests cover that refusal
        checkIncoming(channel->receive(WireMessage::binary(f.sealer->seal(!toAgent, kind, seq, plaintext))), true);
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
