#include "core/protocol/SecureChannelV2.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"
#include "core/crypto/Hkdf.h"
#include "core/protocol/Sas.h"
#include "core/protocol/V1Envelope.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <limits>

namespace handoff::protocol {

namespace {

constexpr qsizetype KeySize = 32;
constexpr qsizetype MaxSessionIdSize = 256;
const char AgentToViewer[] = "a2v ";
const char ViewerToAgent[] = "v2a ";

Error error(const char* code, const QString& message)
{
    return Error { QString::fromLatin1(code), message };
}

Error closedError()
{
    return error("closed", QStringLiteral("The secure channel is closed."));
}

Error notReadyError()
{
    return error("not_ready",
                 QStringLiteral("The agent has not yet proved it holds the session keys; "
                                "nothing can be sent yet."));
}

QByteArrayView directionLabel(const char (&label)[5])
{
    return QByteArrayView(label, RecordCodec::NonceLabelSize);
}

// One HKDF output, moved straight into wiped storage.
Result<crypto::SecretBytes> expand(QByteArrayView z, QByteArrayView salt, const QByteArray& infoPrefix,
                                   const char* label, qsizetype length)
{
    auto bytes = crypto::Hkdf::sha256(z, salt, infoPrefix + label, length);
    if (!bytes)
        return bytes.error();
    return crypto::SecretBytes(std::move(*bytes));
}

} // namespace

QByteArray SecureChannelV2::keyFingerprint(QByteArrayView publicPoint)
{
    return crypto::Digest::sha256(publicPoint).left(FingerprintSize);
}

QByteArray SecureChannelV2::keyFingerprintB64Url(QByteArrayView publicPoint)
{
    return keyFingerprint(publicPoint).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

Result<QByteArray> SecureChannelV2::parseFingerprint(QByteArrayView b64url)
{
    const auto options = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    const auto decoded
        = QByteArray::fromBase64Encoding(b64url.toByteArray(), options | QByteArray::AbortOnBase64DecodingErrors);
    // Only the canonical spelling: re-encoding must give the same text back.
    if (!decoded || decoded.decoded.size() != FingerprintSize || decoded.decoded.toBase64(options) != b64url)
        return error("bad_fingerprint",
                     QStringLiteral("The key fingerprint (k) in the link is damaged; "
                                    "copy the whole link again."));
    return decoded.decoded;
}

Result<std::unique_ptr<SecureChannelV2>> SecureChannelV2::createAgent(const QString& sessionId,
                                                                      crypto::EcdhKeyPair agentKey)
{
    return create(ChannelRole::Agent, sessionId, std::move(agentKey), {});
}

Result<std::unique_ptr<SecureChannelV2>> SecureChannelV2::createViewer(const QString& sessionId,
                                                                       QByteArrayView expectedAgentFingerprint)
{
    auto keyPair = crypto::EcdhKeyPair::generate();
    if (!keyPair)
        return keyPair.error();
    return create(ChannelRole::Viewer, sessionId, std::move(*keyPair), expectedAgentFingerprint);
}

Result<std::unique_ptr<SecureChannelV2>> SecureChannelV2::createViewer(const QString& sessionId,
                                                                       QByteArrayView expectedAgentFingerprint,
                                                                       crypto::EcdhKeyPair viewerKey)
{
    return create(ChannelRole::Viewer, sessionId, std::move(viewerKey), expectedAgentFingerprint);
}

Result<std::unique_ptr<SecureChannelV2>> SecureChannelV2::create(ChannelRole role, const QString& sessionId,
                                                                 crypto::EcdhKeyPair keyPair,
                                                                 QByteArrayView expectedFingerprint)
{
    // The session id goes into the salt and every AAD as ASCII bytes; anything else
    // would let two spellings of one id derive different keys.
    const bool asciiId = std::all_of(sessionId.begin(), sessionId.end(),
                                     [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
    if (sessionId.isEmpty() || sessionId.size() > MaxSessionIdSize || !asciiId)
        return error("bad_session_id", QStringLiteral("The session id must be 1 to 256 visible ASCII characters."));
    if (!expectedFingerprint.isEmpty() && expectedFingerprint.size() != FingerprintSize)
        return error("bad_fingerprint", QStringLiteral("A key fingerprint is 16 bytes."));
    // Private constructor, so make_unique cannot reach it; ownership is taken at once.
    return std::unique_ptr<SecureChannelV2>(
        new SecureChannelV2(role, sessionId.toLatin1(), std::move(keyPair), expectedFingerprint.toByteArray()));
}

SecureChannelV2::SecureChannelV2(ChannelRole role, QByteArray sessionId, crypto::EcdhKeyPair keyPair,
                                 QByteArray expectedFingerprint)
    : m_role(role),
      m_sessionId(std::move(sessionId)),
      m_keyPair(std::move(keyPair)),
      m_localPoint(m_keyPair->publicPoint()),
      m_expectedFingerprint(std::move(expectedFingerprint))
{
}

SecureChannelV2::~SecureChannelV2()
{
    close();
}

QByteArray SecureChannelV2::pubkeyMessage() const
{
    return V1Envelope::pubkeyMessage(m_localPoint, 2);
}

Result<PeerKeyAccepted> SecureChannelV2::acceptPeerKey(QByteArrayView peerMessage)
{
    if (m_closed)
        return closedError();
    auto pubkey = V1Envelope::parsePubkey(peerMessage);
    if (!pubkey)
        return pubkey.error();
    if (pubkey->version != 2)
        return error("version_mismatch", QStringLiteral("The peer sent a version 1 key on a version 2 channel."));
    if (auto valid = crypto::EcdhKeyPair::validatePublicPoint(pubkey->publicPoint); !valid)
        return error("invalid_peer_key",
                     QStringLiteral("The peer's public key is not a valid P-256 point: ") + valid.error().message);
    if (pubkey->publicPoint == m_localPoint)
        return error("reflected_key", QStringLiteral("The peer's public key is our own, sent back."));
    if (m_role == ChannelRole::Viewer) {
        if (auto pinned = checkAgentKey(pubkey->publicPoint); !pinned) {
            // Abort for good: no later message from this session is to be trusted.
            close();
            return pinned.error();
        }
    }

    PeerKeyAccepted accepted;
    const bool established = m_receiveCipher.has_value();
    if (established && pubkey->publicPoint == m_peerPoint) {
        accepted.resumed = true;
    } else if (established && m_role == ChannelRole::Viewer) {
        // The agent's key is fixed for the whole session; a new one is either a
        // restarted agent or someone in the middle, and its SAS was never compared.
        return error("peer_key_changed",
                     QStringLiteral("The agent's key changed during the session; "
                                    "open a new session link."));
    } else if (auto derived = deriveKeys(pubkey->publicPoint); !derived) {
        return derived.error();
    }

    if (m_role == ChannelRole::Viewer) {
        accepted.replies.append(WireMessage::text(pubkeyMessage()));
    } else {
        // Key confirmation: the viewer sends nothing until this decrypts. After a
        // resume it is sent again in case the first one was lost with the socket.
        auto ready = seal(RecordKind::Control, QByteArrayLiteral("{\"type\":\"ready\"}"));
        if (!ready)
            return ready.error();
        accepted.replies.append(std::move(*ready));
    }
    return accepted;
}

Result<void> SecureChannelV2::checkAgentKey(QByteArrayView agentPoint) const
{
    if (m_expectedFingerprint.isEmpty())
        return {};
    if (crypto::ConstantTime::equal(keyFingerprint(agentPoint), m_expectedFingerprint))
        return {};
    return error("key_mismatch",
                 QStringLiteral("The agent's key does not match the fingerprint in the session link: it was "
                                "substituted on the way, so the relay server or the network may be trying to "
                                "intercept this session. Nothing has been sent. Close this session and ask for "
                                "a new link."));
}

Result<void> SecureChannelV2::deriveKeys(QByteArrayView peerPoint)
{
    auto z = m_keyPair->deriveSharedSecret(peerPoint);
    if (!z)
        return z.error();
    const QByteArray salt = crypto::Digest::sha256(QByteArrayLiteral("handoff/2 salt") + m_sessionId);
    const QByteArrayView agentPoint = m_role == ChannelRole::Agent ? QByteArrayView(m_localPoint) : peerPoint;
    const QByteArrayView viewerPoint = m_role == ChannelRole::Agent ? peerPoint : QByteArrayView(m_localPoint);
    QByteArray infoPrefix = QByteArrayLiteral("handoff/2");
    infoPrefix.append(agentPoint).append(viewerPoint);

    auto viewerToAgent = expand(z->bytes(), salt, infoPrefix, "v2a", KeySize);
    auto agentToViewer = expand(z->bytes(), salt, infoPrefix, "a2v", KeySize);
    auto sasBytes = expand(z->bytes(), salt, infoPrefix, "sas", Sas::InputSize);
    if (!viewerToAgent || !agentToViewer || !sasBytes)
        return error("key_derivation_failed", QStringLiteral("The session keys could not be derived."));
    const bool agent = m_role == ChannelRole::Agent;
    auto sendCipher = crypto::AeadCipher::create((agent ? agentToViewer : viewerToAgent)->bytes());
    auto receiveCipher = crypto::AeadCipher::create((agent ? viewerToAgent : agentToViewer)->bytes());
    auto sas = Sas::fromBytes(sasBytes->bytes());
    if (!sendCipher || !receiveCipher || !sas)
        return error("key_derivation_failed", QStringLiteral("The session keys could not be derived."));

    // Commit only once everything succeeded: a failure leaves the old state whole.
    // New keys, so both counters restart at 1 without reusing a nonce.
    m_sendCipher.emplace(std::move(*sendCipher));
    m_receiveCipher.emplace(std::move(*receiveCipher));
    m_sas = std::move(*sas);
    m_peerPoint = peerPoint.toByteArray();
    m_lastSentSeq = 0;
    m_lastReceivedSeq = 0;
    m_readyReceived = false;
    m_sasConfirmed = false;
    return {};
}

bool SecureChannelV2::isReady() const
{
    if (m_closed)
        return false;
    return m_role == ChannelRole::Agent ? m_sendCipher.has_value() : m_readyReceived;
}

bool SecureChannelV2::needsSasConfirmation() const
{
    return m_role == ChannelRole::Viewer && m_expectedFingerprint.isEmpty() && !m_sasConfirmed;
}

void SecureChannelV2::confirmSas()
{
    // Nothing to confirm before the SAS exists: the human cannot have compared it.
    if (!m_closed && !m_sas.isEmpty())
        m_sasConfirmed = true;
}

Result<WireMessage> SecureChannelV2::encryptInput(QByteArrayView eventJson)
{
    if (m_closed)
        return closedError();
    if (m_role != ChannelRole::Viewer)
        return error("wrong_role", QStringLiteral("Only the viewer sends input events."));
    if (!m_readyReceived)
        return notReadyError();
    if (needsSasConfirmation())
        return error("sas_unconfirmed",
                     QStringLiteral("Compare the six-digit code with the agent's console and "
                                    "confirm it before sending input."));
    if (eventJson.isEmpty() || eventJson.size() > MaxMessageSize)
        return error("too_large", QStringLiteral("The input event is empty or larger than 64 KiB."));
    return seal(RecordKind::Input, eventJson);
}

Result<QList<WireMessage>> SecureChannelV2::encryptFrame(const FrameMetadata& meta, QByteArrayView image)
{
    if (m_closed)
        return closedError();
    if (m_role != ChannelRole::Agent)
        return error("wrong_role", QStringLiteral("Only the agent sends frames."));
    if (!m_sendCipher)
        return error("not_ready", QStringLiteral("No viewer key yet; frames cannot be encrypted."));
    auto metaJson = meta.toV2Json();
    if (!metaJson)
        return metaJson.error();
    auto plaintext = RecordCodec::packFrame(*metaJson, image);
    if (!plaintext)
        return plaintext.error();
    auto record = seal(RecordKind::Frame, *plaintext);
    if (!record)
        return record.error();
    return QList<WireMessage> { std::move(*record) };
}

Result<WireMessage> SecureChannelV2::encryptControl(QByteArrayView controlJson)
{
    if (m_closed)
        return closedError();
    if (m_role == ChannelRole::Viewer) {
        if (!m_readyReceived)
            return notReadyError();
        if (needsSasConfirmation())
            return error("sas_unconfirmed", QStringLiteral("Confirm the six-digit code first."));
    } else if (!m_sendCipher) {
        return error("not_ready", QStringLiteral("No viewer key yet; nothing can be encrypted."));
    }
    if (controlJson.isEmpty() || controlJson.size() > MaxMessageSize)
        return error("too_large", QStringLiteral("The control message is empty or larger than 64 KiB."));
    return seal(RecordKind::Control, controlJson);
}

Result<WireMessage> SecureChannelV2::seal(RecordKind kind, QByteArrayView plaintext)
{
    if (m_lastSentSeq == std::numeric_limits<quint64>::max())
        return error("seq_exhausted", QStringLiteral("The sequence numbers of this session are used up."));
    // Taken before encrypting: even a failed attempt never hands its nonce to another record.
    const quint64 seq = ++m_lastSentSeq;
    const QByteArray header = RecordCodec::encodeHeader(kind, seq);
    const QByteArray nonce
        = RecordCodec::nonce(directionLabel(m_role == ChannelRole::Agent ? AgentToViewer : ViewerToAgent), seq);
    auto sealed = m_sendCipher->encrypt(nonce, RecordCodec::aad(header, m_sessionId), plaintext);
    if (!sealed)
        return sealed.error();
    return WireMessage::binary(RecordCodec::assemble(header, sealed->ciphertext, sealed->tag));
}

Result<Incoming> SecureChannelV2::receive(const WireMessage& message)
{
    if (m_closed)
        return closedError();
    if (message.type != WireMessage::Type::Binary)
        return error("unexpected_message",
                     QStringLiteral("After the key exchange, version 2 sends only binary "
                                    "records."));
    return open(message.data);
}

Result<Incoming> SecureChannelV2::open(QByteArrayView record)
{
    if (!m_receiveCipher)
        return dropUndecryptable(error("not_ready", QStringLiteral("A record arrived before the key exchange.")));
    auto parts = RecordCodec::split(record);
    if (!parts)
        return dropUndecryptable(parts.error());
    const RecordKind kind = parts->header.kind;
    const bool expected = m_role == ChannelRole::Agent ? kind != RecordKind::Frame : kind != RecordKind::Input;
    if (!expected)
        return dropUndecryptable(error("unexpected_kind",
                                       QStringLiteral("The record's kind does not travel in "
                                                      "this direction.")));
    if (kind != RecordKind::Frame && parts->ciphertext.size() > MaxMessageSize)
        return dropUndecryptable(error("too_large", QStringLiteral("The record is larger than 64 KiB.")));
    // Before decrypting: a replay costs nothing, and the counter moves only on
    // records that authenticate, so garbage with a huge seq cannot block the channel.
    const quint64 seq = parts->header.seq;
    if (seq <= m_lastReceivedSeq) {
        ++m_droppedReplay;
        return error("replay", QStringLiteral("A record was repeated or arrived out of order and was dropped."));
    }
    const QByteArray nonce
        = RecordCodec::nonce(directionLabel(m_role == ChannelRole::Agent ? ViewerToAgent : AgentToViewer), seq);
    auto plaintext = m_receiveCipher->decrypt(nonce, RecordCodec::aad(parts->headerBytes, m_sessionId),
                                              parts->ciphertext, parts->tag);
    if (!plaintext)
        return dropUndecryptable(error("undecryptable",
                                       QStringLiteral("A record failed authentication and was "
                                                      "dropped.")));
    m_lastReceivedSeq = seq;

    switch (kind) {
    case RecordKind::Control: {
        QJsonParseError parseError {};
        const QJsonDocument document = QJsonDocument::fromJson(*plaintext, &parseError);
        const QJsonValue type = document.object().value(QLatin1String("type"));
        if (parseError.error != QJsonParseError::NoError || !document.isObject() || !type.isString())
            return error("bad_control", QStringLiteral("A control message is not a JSON object with a type."));
        if (m_role == ChannelRole::Viewer && type.toString() == QLatin1String("ready"))
            m_readyReceived = true;
        else if (m_role == ChannelRole::Viewer && !m_readyReceived)
            return notReadyError();
        return Incoming { Incoming::Kind::Control, std::move(*plaintext), {} };
    }
    case RecordKind::Frame: {
        // The agent's first record must be "ready" (PROTOCOL 3, v2 step 7).
        if (!m_readyReceived)
            return notReadyError();
        auto frame = RecordCodec::unpackFrame(*plaintext);
        if (!frame)
            return frame.error();
        auto meta = FrameMetadata::parseV2Json(frame->metaJson);
        if (!meta)
            return meta.error();
        return Incoming { Incoming::Kind::Frame, frame->image.toByteArray(), std::move(*meta) };
    }
    case RecordKind::Input:
        return Incoming { Incoming::Kind::Input, std::move(*plaintext), {} };
    }
    return error("unexpected_kind", QStringLiteral("Unknown record kind."));
}

Error SecureChannelV2::dropUndecryptable(Error error)
{
    ++m_droppedUndecryptable;
    return error;
}

void SecureChannelV2::close()
{
    // The ciphers and the key pair wipe their secrets when destroyed.
    m_sendCipher.reset();
    m_receiveCipher.reset();
    m_keyPair.reset();
    m_sas.clear();
    m_peerPoint.clear();
    m_readyReceived = false;
    m_closed = true;
}

} // namespace handoff::protocol
