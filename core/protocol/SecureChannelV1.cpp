#include "core/protocol/SecureChannelV1.h"

#include "core/crypto/Random.h"
#include "core/protocol/ProtocolError.h"
#include "core/protocol/V1Envelope.h"

namespace handoff::protocol {

namespace {

// The relay forwards a text message of at most 64 KiB; refusing here says why
// instead of the relay closing the socket.
constexpr qsizetype MaxInputSize = qsizetype(46) * 1024;

} // namespace

Result<std::unique_ptr<SecureChannelV1>> SecureChannelV1::create(ChannelRole role)
{
    auto keyPair = crypto::EcdhKeyPair::generate();
    if (!keyPair)
        return keyPair.error();
    return create(role, std::move(*keyPair));
}

Result<std::unique_ptr<SecureChannelV1>> SecureChannelV1::create(ChannelRole role, crypto::EcdhKeyPair keyPair)
{
    // Private constructor, so make_unique cannot reach it; ownership is taken at once.
    return std::unique_ptr<SecureChannelV1>(new SecureChannelV1(role, std::move(keyPair)));
}

SecureChannelV1::SecureChannelV1(ChannelRole role, crypto::EcdhKeyPair keyPair)
    : m_role(role), m_keyPair(std::move(keyPair)), m_localPoint(m_keyPair->publicPoint())
{
}

SecureChannelV1::~SecureChannelV1()
{
    close();
}

QByteArray SecureChannelV1::pubkeyMessage() const
{
    return V1Envelope::pubkeyMessage(m_localPoint, 1);
}

Result<PeerKeyAccepted> SecureChannelV1::acceptPeerKey(QByteArrayView peerMessage)
{
    if (m_closed)
        return closedError();
    auto pubkey = V1Envelope::parsePubkey(peerMessage);
    if (!pubkey)
        return pubkey.error();
    if (pubkey->version != 1)
        return makeError("version_mismatch", QStringLiteral("The peer speaks protocol version 2 on a version 1 channel."));
    if (auto valid = crypto::EcdhKeyPair::validatePublicPoint(pubkey->publicPoint); !valid)
        return makeError("invalid_peer_key",
                     QStringLiteral("The peer's public key is not a valid P-256 point: ") + valid.error().message);
    if (pubkey->publicPoint == m_localPoint)
        return makeError("reflected_key", QStringLiteral("The peer's public key is our own, sent back."));

    PeerKeyAccepted accepted;
    if (m_role == ChannelRole::Viewer)
        accepted.replies.append(WireMessage::text(pubkeyMessage()));
    if (m_cipher && pubkey->publicPoint == m_peerPoint) {
        accepted.resumed = true;
        return accepted;
    }
    // Version 1 authenticates nothing, so a new peer key (a new viewer, or an
    // AuthLoop agent that restarted) simply replaces the old one.
    auto shared = m_keyPair->deriveSharedSecret(pubkey->publicPoint);
    if (!shared)
        return shared.error();
    // The AuthLoop scheme: the x-coordinate itself is the AES key, no KDF.
    auto cipher = crypto::AeadCipher::create(shared->bytes());
    if (!cipher)
        return cipher.error();
    m_cipher.emplace(std::move(*cipher));
    m_peerPoint = std::move(pubkey->publicPoint);
    return accepted;
}

bool SecureChannelV1::isReady() const
{
    return !m_closed && m_cipher.has_value();
}

Result<WireMessage> SecureChannelV1::encryptInput(QByteArrayView eventJson)
{
    if (m_closed)
        return closedError();
    if (m_role != ChannelRole::Viewer)
        return makeError("wrong_role", QStringLiteral("Only the viewer sends input events."));
    if (!m_cipher)
        return makeError("not_ready", QStringLiteral("The key exchange has not finished; no input can be sent yet."));
    if (eventJson.isEmpty() || eventJson.size() > MaxInputSize)
        return makeError("too_large", QStringLiteral("The input event is empty or too large to send."));
    auto iv = crypto::Random::bytes(V1Envelope::IvSize);
    if (!iv)
        return iv.error();
    auto sealed = m_cipher->encrypt(*iv, {}, eventJson);
    if (!sealed)
        return sealed.error();
    return WireMessage::text(
        V1Envelope::encryptedMessage({ std::move(*iv), std::move(sealed->ciphertext), std::move(sealed->tag) }));
}

Result<QList<WireMessage>> SecureChannelV1::encryptFrame(const FrameMetadata& meta, QByteArrayView image)
{
    if (m_closed)
        return closedError();
    if (m_role != ChannelRole::Agent)
        return makeError("wrong_role", QStringLiteral("Only the agent sends frames."));
    if (meta.format != FrameMetadata::Format::Jpeg)
        return makeError("unsupported_format", QStringLiteral("Version 1 frames are JPEG only."));
    FrameMetadata sized = meta;
    sized.jpegSize = image.size();
    auto text = sized.toV1Message();
    if (!text)
        return text.error();
    return QList<WireMessage> { WireMessage::text(std::move(*text)), WireMessage::binary(image.toByteArray()) };
}

Result<WireMessage> SecureChannelV1::encryptControl(QByteArrayView)
{
    if (m_closed)
        return closedError();
    return makeError("unsupported", QStringLiteral("Version 1 has no control messages."));
}

Result<Incoming> SecureChannelV1::receive(const WireMessage& message)
{
    if (m_closed)
        return closedError();
    return message.type == WireMessage::Type::Text ? receiveText(message.data) : receiveBinary(message.data);
}

Result<Incoming> SecureChannelV1::receiveText(QByteArrayView text)
{
    auto type = V1Envelope::messageType(text);
    if (!type)
        return type.error();
    if (m_role == ChannelRole::Agent && *type == QLatin1String("encrypted")) {
        auto payload = V1Envelope::parseEncrypted(text);
        if (!payload)
            return dropUndecryptable(payload.error());
        if (!m_cipher)
            return dropUndecryptable(makeError("not_ready",
                                           QStringLiteral("An encrypted message arrived before the "
                                                          "viewer's public key.")));
        auto plaintext = m_cipher->decrypt(payload->iv, {}, payload->ciphertext, payload->tag);
        if (!plaintext)
            return dropUndecryptable(makeError("undecryptable",
                                           QStringLiteral("An encrypted message failed "
                                                          "authentication and was dropped.")));
        return Incoming { Incoming::Kind::Input, std::move(*plaintext), {}, {} };
    }
    if (m_role == ChannelRole::Viewer && *type == QLatin1String("frame")) {
        auto meta = V1Envelope::parseFrame(text);
        if (!meta) {
            m_pendingFrame.reset();
            return meta.error();
        }
        // A newer frame replaces one whose JPEG never came.
        m_pendingFrame = *meta;
        return Incoming {};
    }
    return makeError("unexpected_message",
                 QStringLiteral("This message does not belong on a version 1 channel "
                                "in this direction."));
}

Result<Incoming> SecureChannelV1::receiveBinary(QByteArrayView data)
{
    if (m_role != ChannelRole::Viewer || !m_pendingFrame)
        return makeError("unexpected_binary", QStringLiteral("A binary message arrived that is not a frame's JPEG."));
    FrameMetadata meta = *m_pendingFrame;
    m_pendingFrame.reset();
    if (data.size() != meta.jpegSize)
        return makeError("frame_size_mismatch", QStringLiteral("The JPEG's size differs from the frame's jpegSize."));
    return Incoming { Incoming::Kind::Frame, data.toByteArray(), meta, {} };
}

Error SecureChannelV1::dropUndecryptable(Error error)
{
    ++m_droppedUndecryptable;
    return error;
}

void SecureChannelV1::close()
{
    // The ciphers and key pair wipe their secrets when destroyed.
    m_cipher.reset();
    m_keyPair.reset();
    m_pendingFrame.reset();
    m_peerPoint.clear();
    m_closed = true;
}

} // namespace handoff::protocol
