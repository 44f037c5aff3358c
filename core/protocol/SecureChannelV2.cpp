#include "core/protocol/SecureChannelV2.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"
#include "core/crypto/Hkdf.h"
#include "core/crypto/Random.h"
#include "core/protocol/ProtocolError.h"
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
constexpr qsizetype SasKeySize = 32;
constexpr qsizetype MaxSessionIdSize = 256;
const char AgentToViewer[] = "a2v ";
const char ViewerToAgent[] = "v2a ";
// Domain separation for the three hashes the handshake adds to the HKDF outputs.
constexpr QByteArrayView CommitLabel = "handoff/2 commit";
constexpr QByteArrayView AgentNonceLabel = "handoff/2 agent nonce";
constexpr QByteArrayView SasLabel = "handoff/2 sas";

Error notReadyError()
{
    return makeError("not_ready",
                 QStringLiteral("The agent has not yet proved it holds the session keys; "
                                "nothing can be sent yet."));
}

Error notConfirmedError()
{
    return makeError("not_confirmed",
                 QStringLiteral("The viewer has not confirmed the session keys yet; its records are dropped."));
}

QByteArrayView directionLabel(const char (&label)[5])
{
    return QByteArrayView(label, RecordCodec::NonceLabelSize);
}

// One HKDF output, moved straight into wiped storage.
Result<crypto::SecretBytes> expand(QByteArrayView ikm, QByteArrayView salt, const QByteArray& infoPrefix,
                                   const char* label, qsizetype length)
{
    auto bytes = crypto::Hkdf::sha256(ikm, salt, infoPrefix + label, length);
    if (!bytes)
        return bytes.error();
    return crypto::SecretBytes(std::move(*bytes));
}

constexpr auto B64UrlOptions = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray toB64Url(QByteArrayView raw)
{
    return raw.toByteArray().toBase64(B64UrlOptions);
}

// Strict unpadded base64url of exactly `size` bytes: only the canonical spelling,
// so a mangled value never passes as another one.
std::optional<QByteArray> fromB64Url(QByteArrayView text, qsizetype size)
{
    const auto decoded
        = QByteArray::fromBase64Encoding(text.toByteArray(), B64UrlOptions | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != size || decoded.decoded.toBase64(B64UrlOptions) != text)
        return std::nullopt;
    return decoded.decoded;
}

// {"type":"<type>","<field>":"<base64url>"}: base64url needs no escaping.
QByteArray handshakeJson(const char* type, const char* field, QByteArrayView value)
{
    return QByteArrayLiteral("{\"type\":\"") + type + QByteArrayLiteral("\",\"") + field
        + QByteArrayLiteral("\":\"") + toB64Url(value) + QByteArrayLiteral("\"}");
}

struct Control final {
    QString type;
    QJsonObject object;
};

Result<Control> parseControl(const QByteArray& json)
{
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    const QJsonValue type = document.object().value(QLatin1String("type"));
    if (parseError.error != QJsonParseError::NoError || !document.isObject() || !type.isString())
        return makeError("bad_control", QStringLiteral("A control message is not a JSON object with a type."));
    return Control { type.toString(), document.object() };
}

// A handshake field holding `size` bytes in base64url.
std::optional<QByteArray> handshakeValue(const QJsonObject& object, const char* field, qsizetype size)
{
    const QJsonValue value = object.value(QLatin1String(field));
    if (!value.isString())
        return std::nullopt;
    return fromB64Url(value.toString().toLatin1(), size);
}

} // namespace

QByteArray SecureChannelV2::keyFingerprint(QByteArrayView publicPoint)
{
    return crypto::Digest::sha256(publicPoint).left(FingerprintSize);
}

QByteArray SecureChannelV2::keyFingerprintB64Url(QByteArrayView publicPoint)
{
    return linkValue(keyFingerprint(publicPoint));
}

Result<QByteArray> SecureChannelV2::parseFingerprint(QByteArrayView b64url)
{
    auto raw = fromB64Url(b64url, FingerprintSize);
    if (!raw)
        return makeError("bad_fingerprint",
                     QStringLiteral("The key fingerprint (k) in the link is damaged; "
                                    "copy the whole link again."));
    return *raw;
}

QByteArray SecureChannelV2::linkValue(QByteArrayView raw)
{
    return toB64Url(raw);
}

Result<QByteArray> SecureChannelV2::parseLinkValue(QByteArrayView b64url)
{
    static_assert(FingerprintSize == ViewerSecretSize, "k and s share one spelling");
    auto raw = fromB64Url(b64url, ViewerSecretSize);
    if (!raw)
        return makeError("bad_link_value",
                     QStringLiteral("A value in the link's '#' part is damaged; copy the whole link again."));
    return *raw;
}

Result<QByteArray> SecureChannelV2::makeViewerSecret()
{
    return crypto::Random::bytes(ViewerSecretSize);
}

Result<std::unique_ptr<SecureChannelV2>>
SecureChannelV2::createAgent(const QString& sessionId, crypto::EcdhKeyPair agentKey, QByteArrayView viewerSecret)
{
    auto seed = crypto::Random::bytes(NonceSeedSize);
    if (!seed)
        return seed.error();
    crypto::SecretBytes wipedSeed(std::move(*seed));
    return create(ChannelRole::Agent, sessionId, std::move(agentKey), {}, viewerSecret, wipedSeed.bytes());
}

Result<std::unique_ptr<SecureChannelV2>> SecureChannelV2::createAgent(const QString& sessionId,
                                                                      crypto::EcdhKeyPair agentKey,
                                                                      QByteArrayView viewerSecret,
                                                                      QByteArrayView nonceSeed)
{
    return create(ChannelRole::Agent, sessionId, std::move(agentKey), {}, viewerSecret, nonceSeed);
}

Result<std::unique_ptr<SecureChannelV2>> SecureChannelV2::createViewer(const QString& sessionId,
                                                                       QByteArrayView expectedAgentFingerprint,
                                                                       QByteArrayView viewerSecret)
{
    auto keyPair = crypto::EcdhKeyPair::generate();
    if (!keyPair)
        return keyPair.error();
    auto nonce = crypto::Random::bytes(NonceSize);
    if (!nonce)
        return nonce.error();
    return create(ChannelRole::Viewer, sessionId, std::move(*keyPair), expectedAgentFingerprint, viewerSecret,
                  *nonce);
}

Result<std::unique_ptr<SecureChannelV2>>
SecureChannelV2::createViewer(const QString& sessionId, QByteArrayView expectedAgentFingerprint,
                              QByteArrayView viewerSecret, crypto::EcdhKeyPair viewerKey, QByteArrayView nonce)
{
    return create(ChannelRole::Viewer, sessionId, std::move(viewerKey), expectedAgentFingerprint, viewerSecret,
                  nonce);
}

Result<std::unique_ptr<SecureChannelV2>>
SecureChannelV2::create(ChannelRole role, const QString& sessionId, crypto::EcdhKeyPair keyPair,
                        QByteArrayView expectedFingerprint, QByteArrayView viewerSecret, QByteArrayView nonceMaterial)
{
    // The session id goes into the salt and every AAD as ASCII bytes; anything else
    // would let two spellings of one id derive different keys.
    const bool asciiId = std::all_of(sessionId.begin(), sessionId.end(),
                                     [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
    if (sessionId.isEmpty() || sessionId.size() > MaxSessionIdSize || !asciiId)
        return makeError("bad_session_id", QStringLiteral("The session id must be 1 to 256 visible ASCII characters."));
    if (!expectedFingerprint.isEmpty() && expectedFingerprint.size() != FingerprintSize)
        return makeError("bad_fingerprint", QStringLiteral("A key fingerprint is 16 bytes."));
    if (viewerSecret.size() != ViewerSecretSize)
        return makeError("missing_viewer_secret",
                     QStringLiteral("This link lacks its viewer secret (the 's' part after '#'), without which the "
                                    "agent cannot tell your viewer from the relay. Copy the whole link the agent "
                                    "gave, or ask for a new one."));
    if (nonceMaterial.size() != (role == ChannelRole::Agent ? NonceSeedSize : NonceSize))
        return makeError("bad_nonce", QStringLiteral("The handshake nonce material has the wrong size."));
    Config config { role, sessionId.toLatin1(), expectedFingerprint.toByteArray(), viewerSecret.toByteArray(),
                    nonceMaterial.toByteArray() };
    // Private constructor, so make_unique cannot reach it; ownership is taken at once.
    return std::unique_ptr<SecureChannelV2>(new SecureChannelV2(std::move(config), std::move(keyPair)));
}

SecureChannelV2::SecureChannelV2(Config config, crypto::EcdhKeyPair keyPair)
    : m_role(config.role)
    , m_sessionId(std::move(config.sessionId))
    , m_keyPair(std::move(keyPair))
    , m_localPoint(m_keyPair->publicPoint())
    , m_expectedFingerprint(std::move(config.expectedFingerprint))
    , m_viewerSecret(std::move(config.viewerSecret))
    , m_nonceMaterial(std::move(config.nonceMaterial))
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
        return makeError("version_mismatch", QStringLiteral("The peer sent a version 1 key on a version 2 channel."));
    if (auto valid = crypto::EcdhKeyPair::validatePublicPoint(pubkey->publicPoint); !valid)
        return makeError("invalid_peer_key",
                     QStringLiteral("The peer's public key is not a valid P-256 point: ") + valid.error().message);
    if (pubkey->publicPoint == m_localPoint)
        return makeError("reflected_key", QStringLiteral("The peer's public key is our own, sent back."));
    if (m_role == ChannelRole::Agent)
        return acceptViewerKey(pubkey->publicPoint);

    if (auto pinned = checkAgentKey(pubkey->publicPoint); !pinned)
        return abort(pinned.error()); // no later message from this session is to be trusted
    PeerKeyAccepted accepted;
    if (m_receiveCipher && pubkey->publicPoint == m_peerPoint) {
        accepted.resumed = true;
    } else if (m_receiveCipher) {
        // The agent's key is fixed for the whole session; a new one is either a
        // restarted agent or someone in the middle, and it was never checked.
        return makeError("peer_key_changed",
                     QStringLiteral("The agent's key changed during the session; "
                                    "open a new session link."));
    } else if (auto derived = deriveKeys(pubkey->publicPoint); !derived) {
        return derived.error();
    }
    accepted.replies.append(WireMessage::text(pubkeyMessage()));
    return accepted;
}

Result<PeerKeyAccepted> SecureChannelV2::acceptViewerKey(QByteArrayView viewerPoint)
{
    if (!m_boundPoint.isEmpty() && viewerPoint != m_boundPoint)
        return makeError("viewer_key_bound",
                     QStringLiteral("Another viewer key was refused: the session is bound to the viewer that "
                                    "confirmed the keys first."));
    PeerKeyAccepted accepted;
    if (m_receiveCipher && viewerPoint == m_peerPoint) {
        accepted.resumed = true;
    } else {
        if (!m_receivedSeqByKey.contains(crypto::Digest::sha256(viewerPoint))
            && m_receivedSeqByKey.size() >= MaxViewerKeys)
            return makeError("too_many_viewer_keys",
                         QStringLiteral("Too many different viewer keys were offered for this session; "
                                        "no more are accepted."));
        if (auto derived = deriveKeys(viewerPoint); !derived)
            return derived.error();
    }
    // Key confirmation and commitment: the viewer sends nothing until this
    // decrypts. After a resume it is sent again (with the same commitment) in case
    // the first one was lost with the socket.
    auto ready = sealHandshake("ready", "commit", commitment(agentNonceFor(m_peerPoint)));
    if (!ready)
        return ready.error();
    accepted.replies.append(std::move(*ready));
    return accepted;
}

Result<void> SecureChannelV2::checkAgentKey(QByteArrayView agentPoint) const
{
    if (m_expectedFingerprint.isEmpty())
        return {};
    if (crypto::ConstantTime::equal(keyFingerprint(agentPoint), m_expectedFingerprint))
        return {};
    return makeError("key_mismatch",
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
    // The viewer secret joins the shared secret: a relay that offers its own key
    // derives other keys, and nothing it seals or opens works.
    const crypto::SecretBytes ikm(z->bytes() + m_viewerSecret.bytes());
    const QByteArray salt = crypto::Digest::sha256(QByteArrayLiteral("handoff/2 salt") + m_sessionId);
    const QByteArrayView agentPoint = m_role == ChannelRole::Agent ? QByteArrayView(m_localPoint) : peerPoint;
    const QByteArrayView viewerPoint = m_role == ChannelRole::Agent ? peerPoint : QByteArrayView(m_localPoint);
    QByteArray infoPrefix = QByteArrayLiteral("handoff/2");
    infoPrefix.append(agentPoint).append(viewerPoint);

    auto viewerToAgent = expand(ikm.bytes(), salt, infoPrefix, "v2a", KeySize);
    auto agentToViewer = expand(ikm.bytes(), salt, infoPrefix, "a2v", KeySize);
    auto sasKey = expand(ikm.bytes(), salt, infoPrefix, "sas", SasKeySize);
    if (!viewerToAgent || !agentToViewer || !sasKey)
        return makeError("key_derivation_failed", QStringLiteral("The session keys could not be derived."));
    const bool agent = m_role == ChannelRole::Agent;
    auto sendCipher = crypto::AeadCipher::create((agent ? agentToViewer : viewerToAgent)->bytes());
    auto receiveCipher = crypto::AeadCipher::create((agent ? viewerToAgent : agentToViewer)->bytes());
    if (!sendCipher || !receiveCipher)
        return makeError("key_derivation_failed", QStringLiteral("The session keys could not be derived."));

    // Commit only once everything succeeded: a failure leaves the old state whole.
    // The send counter goes on from where it was, so even keys met before (a viewer
    // key offered again) never see a nonce twice; the receive counter comes back to
    // where it stood under this key, so nothing accepted before is accepted again.
    if (!m_peerPoint.isEmpty())
        m_receivedSeqByKey.insert(crypto::Digest::sha256(m_peerPoint), m_lastReceivedSeq);
    const QByteArray peerHash = crypto::Digest::sha256(peerPoint);
    m_lastReceivedSeq = m_receivedSeqByKey.value(peerHash, 0);
    m_receivedSeqByKey.insert(peerHash, m_lastReceivedSeq);
    m_sendCipher.emplace(std::move(*sendCipher));
    m_receiveCipher.emplace(std::move(*receiveCipher));
    m_sasKey = std::move(*sasKey);
    m_peerPoint = peerPoint.toByteArray();
    return {};
}

QByteArray SecureChannelV2::agentNonceFor(QByteArrayView viewerPoint) const
{
    // A function of the viewer key: the same key (a reconnect) gets the same
    // commitment, a new key a fresh one, and nothing needs remembering.
    QByteArray input = AgentNonceLabel.toByteArray();
    input.append(viewerPoint);
    return crypto::Digest::hmacSha256(m_nonceMaterial.bytes(), input).left(NonceSize);
}

QByteArray SecureChannelV2::commitment(QByteArrayView agentNonce) const
{
    const bool agent = m_role == ChannelRole::Agent;
    QByteArray input = CommitLabel.toByteArray();
    input.append(agent ? m_localPoint : m_peerPoint).append(agent ? m_peerPoint : m_localPoint).append(agentNonce);
    return crypto::Digest::sha256(input);
}

Result<QString> SecureChannelV2::deriveSas(QByteArrayView agentNonce, QByteArrayView viewerNonce) const
{
    QByteArray input = SasLabel.toByteArray();
    input.append(agentNonce).append(viewerNonce);
    return Sas::fromBytes(crypto::Digest::hmacSha256(m_sasKey.bytes(), input).left(Sas::InputSize));
}

bool SecureChannelV2::isReady() const
{
    if (m_closed)
        return false;
    if (m_role == ChannelRole::Viewer)
        return m_revealed;
    return m_sendCipher.has_value() && !m_boundPoint.isEmpty() && m_peerPoint == m_boundPoint;
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
        return makeError("wrong_role", QStringLiteral("Only the viewer sends input events."));
    if (!m_revealed)
        return notReadyError();
    if (needsSasConfirmation())
        return makeError("sas_unconfirmed",
                     QStringLiteral("Compare the six-digit code with the agent's console and "
                                    "confirm it before sending input."));
    if (eventJson.isEmpty() || eventJson.size() > MaxMessageSize)
        return makeError("too_large", QStringLiteral("The input event is empty or larger than 64 KiB."));
    return seal(RecordKind::Input, eventJson);
}

Result<QList<WireMessage>> SecureChannelV2::encryptFrame(const FrameMetadata& meta, QByteArrayView image)
{
    if (m_closed)
        return closedError();
    if (m_role != ChannelRole::Agent)
        return makeError("wrong_role", QStringLiteral("Only the agent sends frames."));
    if (!isReady())
        return makeError("not_ready",
                     QStringLiteral("No viewer has confirmed the session keys yet; no frame may be sent."));
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
        if (!m_revealed)
            return notReadyError();
        if (needsSasConfirmation())
            return makeError("sas_unconfirmed", QStringLiteral("Confirm the six-digit code first."));
    } else if (!isReady()) {
        return makeError("not_ready",
                     QStringLiteral("No viewer has confirmed the session keys yet; nothing may be sent."));
    }
    if (controlJson.isEmpty() || controlJson.size() > MaxMessageSize)
        return makeError("too_large", QStringLiteral("The control message is empty or larger than 64 KiB."));
    return seal(RecordKind::Control, controlJson);
}

Result<WireMessage> SecureChannelV2::seal(RecordKind kind, QByteArrayView plaintext)
{
    if (m_lastSentSeq == std::numeric_limits<quint64>::max())
        return makeError("seq_exhausted", QStringLiteral("The sequence numbers of this session are used up."));
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

Result<WireMessage> SecureChannelV2::sealHandshake(const char* type, const char* field, QByteArrayView value)
{
    return seal(RecordKind::Control, handshakeJson(type, field, value));
}

Result<Incoming> SecureChannelV2::receive(const WireMessage& message)
{
    if (m_closed)
        return closedError();
    if (message.type != WireMessage::Type::Binary)
        return makeError("unexpected_message",
                     QStringLiteral("After the key exchange, version 2 sends only binary "
                                    "records."));
    return open(message.data);
}

Result<Incoming> SecureChannelV2::open(QByteArrayView record)
{
    if (!m_receiveCipher)
        return dropUndecryptable(makeError("not_ready", QStringLiteral("A record arrived before the key exchange.")));
    auto parts = RecordCodec::split(record);
    if (!parts)
        return dropUndecryptable(parts.error());
    const RecordKind kind = parts->header.kind;
    const bool expected = m_role == ChannelRole::Agent ? kind != RecordKind::Frame : kind != RecordKind::Input;
    if (!expected)
        return dropUndecryptable(makeError("unexpected_kind",
                                       QStringLiteral("The record's kind does not travel in "
                                                      "this direction.")));
    if (kind != RecordKind::Frame && parts->ciphertext.size() > MaxMessageSize)
        return dropUndecryptable(makeError("too_large", QStringLiteral("The record is larger than 64 KiB.")));
    // Before decrypting: a replay costs nothing, and the counter moves only on
    // records that authenticate, so garbage with a huge seq cannot block the channel.
    const quint64 seq = parts->header.seq;
    if (seq <= m_lastReceivedSeq) {
        ++m_droppedReplay;
        return makeError("replay", QStringLiteral("A record was repeated or arrived out of order and was dropped."));
    }
    const QByteArray nonce
        = RecordCodec::nonce(directionLabel(m_role == ChannelRole::Agent ? ViewerToAgent : AgentToViewer), seq);
    auto plaintext = m_receiveCipher->decrypt(nonce, RecordCodec::aad(parts->headerBytes, m_sessionId),
                                              parts->ciphertext, parts->tag);
    if (!plaintext)
        return dropUndecryptable(makeError("undecryptable",
                                       QStringLiteral("A record failed authentication and was "
                                                      "dropped.")));
    m_lastReceivedSeq = seq;

    switch (kind) {
    case RecordKind::Control:
        return m_role == ChannelRole::Agent ? agentHandshake(*plaintext) : viewerHandshake(*plaintext);
    case RecordKind::Frame: {
        // Nothing before the agent's reveal (PROTOCOL 3, v2 step 9).
        if (!m_revealed)
            return notReadyError();
        auto frame = RecordCodec::unpackFrame(*plaintext);
        if (!frame)
            return frame.error();
        auto meta = FrameMetadata::parseV2Json(frame->metaJson);
        if (!meta)
            return meta.error();
        return Incoming { Incoming::Kind::Frame, frame->image.toByteArray(), std::move(*meta), {} };
    }
    case RecordKind::Input:
        if (!isReady())
            return dropUndecryptable(notConfirmedError());
        return Incoming { Incoming::Kind::Input, std::move(*plaintext), {}, {} };
    }
    return makeError("unexpected_kind", QStringLiteral("Unknown record kind."));
}

// A control record that reached the agent: the viewer's key confirmation, or
// (once confirmed) a message for the application.
Result<Incoming> SecureChannelV2::agentHandshake(const QByteArray& json)
{
    auto control = parseControl(json);
    if (!control)
        return control.error();
    if (control->type != QLatin1String("confirm")) {
        if (!isReady())
            return dropUndecryptable(notConfirmedError());
        return Incoming { Incoming::Kind::Control, json, {}, {} };
    }
    const auto viewerNonce = handshakeValue(control->object, "nonce", NonceSize);
    if (!viewerNonce)
        return makeError("bad_control", QStringLiteral("The viewer's key confirmation has no valid nonce."));
    if (m_boundPoint.isEmpty()) {
        auto sas = deriveSas(agentNonceFor(m_peerPoint), *viewerNonce);
        if (!sas)
            return sas.error();
        m_boundPoint = m_peerPoint;
        m_viewerNonce = *viewerNonce;
        m_sas = std::move(*sas);
    } else if (*viewerNonce != m_viewerNonce) {
        // Only the bound viewer holds these keys; it never changes its nonce, and
        // a changed one would change the SAS behind the person's back.
        return makeError("confirm_changed", QStringLiteral("The viewer's key confirmation changed its nonce; ignored."));
    }
    // The reveal answers every confirmation, so one lost with a socket comes again.
    auto reveal = sealHandshake("reveal", "nonce", agentNonceFor(m_peerPoint));
    if (!reveal)
        return reveal.error();
    Incoming incoming { Incoming::Kind::Handshake, {}, {}, {} };
    incoming.replies.append(std::move(*reveal));
    return incoming;
}

// A control record that reached the viewer: the agent's "ready" (with its
// commitment) and "reveal", or (after the reveal) a message for the application.
Result<Incoming> SecureChannelV2::viewerHandshake(const QByteArray& json)
{
    auto control = parseControl(json);
    if (!control)
        return control.error();
    if (control->type == QLatin1String("ready")) {
        const auto commit = handshakeValue(control->object, "commit", CommitmentSize);
        if (!commit)
            return makeError("bad_control", QStringLiteral("The agent's \"ready\" carries no valid commitment."));
        if (m_commitment.isEmpty())
            m_commitment = *commit;
        else if (!crypto::ConstantTime::equal(*commit, m_commitment))
            return abort(makeError("commitment_changed",
                               QStringLiteral("The agent changed its handshake commitment during the session: "
                                              "someone may be trying to intercept it. Nothing more will be sent. "
                                              "Close this session and ask for a new link.")));
        // Our nonce goes out only now that the agent's is fixed by the commitment.
        auto confirm = sealHandshake("confirm", "nonce", m_nonceMaterial.bytes());
        if (!confirm)
            return confirm.error();
        Incoming incoming { Incoming::Kind::Handshake, {}, {}, {} };
        incoming.replies.append(std::move(*confirm));
        return incoming;
    }
    if (control->type == QLatin1String("reveal")) {
        if (m_commitment.isEmpty())
            return notReadyError();
        const auto agentNonce = handshakeValue(control->object, "nonce", NonceSize);
        if (!agentNonce)
            return makeError("bad_control", QStringLiteral("The agent's reveal has no valid nonce."));
        if (!crypto::ConstantTime::equal(commitment(*agentNonce), m_commitment))
            return abort(makeError("commitment_mismatch",
                               QStringLiteral("The agent's handshake does not match what it committed to: someone "
                                              "may be trying to intercept this session. Nothing has been sent. "
                                              "Close this session and ask for a new link.")));
        if (!m_revealed) {
            auto sas = deriveSas(*agentNonce, m_nonceMaterial.bytes());
            if (!sas)
                return sas.error();
            m_sas = std::move(*sas);
            m_revealed = true;
        }
        return Incoming { Incoming::Kind::Handshake, {}, {}, {} };
    }
    if (!m_revealed)
        return notReadyError();
    return Incoming { Incoming::Kind::Control, json, {}, {} };
}

Error SecureChannelV2::dropUndecryptable(Error error)
{
    ++m_droppedUndecryptable;
    return error;
}

Error SecureChannelV2::abort(Error error)
{
    close();
    return error;
}

void SecureChannelV2::close()
{
    // The ciphers, the key pair and the secret bytes wipe themselves when destroyed or cleared.
    m_sendCipher.reset();
    m_receiveCipher.reset();
    m_keyPair.reset();
    m_viewerSecret.clear();
    m_nonceMaterial.clear();
    m_sasKey.clear();
    m_sas.clear();
    m_peerPoint.clear();
    m_boundPoint.clear();
    m_viewerNonce.clear();
    m_commitment.clear();
    m_receivedSeqByKey.clear();
    m_revealed = false;
    m_closed = true;
}

} // namespace handoff::protocol
