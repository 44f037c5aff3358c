#pragma once

// Version 2, Handoff's own scheme (PROTOCOL 3, v2): the agent's key is pinned by
// a fingerprint in the link (or checked by the human through the SAS), keys come
// from HKDF bound to both public keys and the session, and every message after
// the pubkeys is an AES-256-GCM record with a per-direction sequence number that
// must strictly increase. The agent's first record is "ready", which proves to
// the viewer that both ends hold the same keys before any input is sent.
//
// The object outlives a viewer's WebSocket: a viewer that reconnects with the
// same key resumes with the same keys and counters (so no nonce is ever reused),
// while a new viewer key on the agent side starts a fresh handshake.

#include "core/crypto/AeadCipher.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/protocol/RecordCodec.h"
#include "core/protocol/SecureChannel.h"

#include <optional>

namespace handoff::protocol {

class SecureChannelV2 final : public SecureChannel {
public:
    static constexpr qsizetype FingerprintSize = 16;
    // Input events and control messages are small; refusing big ones early keeps
    // a hostile peer from making us decrypt and parse megabytes of "input".
    static constexpr qsizetype MaxMessageSize = qsizetype(64) * 1024;

    // First 16 bytes of SHA-256(public point): the link's "k" (PROTOCOL 3, v2 step 1).
    static QByteArray keyFingerprint(QByteArrayView publicPoint);
    // The same, as unpadded base64url, ready to append as "&k=" to the link's fragment.
    static QByteArray keyFingerprintB64Url(QByteArrayView publicPoint);
    // The link's "k" back to 16 raw bytes; strict, since a mangled k must not pass as none.
    static Result<QByteArray> parseFingerprint(QByteArrayView b64url);

    // The agent makes its key pair before the session exists (to put its
    // fingerprint in the link), then binds it to the session id it was given.
    static Result<std::unique_ptr<SecureChannelV2>> createAgent(const QString& sessionId, crypto::EcdhKeyPair agentKey);
    // `expectedAgentFingerprint`: the link's k as 16 raw bytes, or empty when the
    // link had none (then the SAS must be confirmed before any input).
    static Result<std::unique_ptr<SecureChannelV2>> createViewer(const QString& sessionId,
                                                                 QByteArrayView expectedAgentFingerprint);
    // With a given key pair: for known-answer and interop tests.
    static Result<std::unique_ptr<SecureChannelV2>>
    createViewer(const QString& sessionId, QByteArrayView expectedAgentFingerprint, crypto::EcdhKeyPair viewerKey);
    ~SecureChannelV2() override;

    int version() const override { return 2; }
    ChannelRole role() const override { return m_role; }
    QByteArray pubkeyMessage() const override;
    Result<PeerKeyAccepted> acceptPeerKey(QByteArrayView peerMessage) override;
    bool isReady() const override;
    QString sas() const override { return m_sas; }
    bool needsSasConfirmation() const override;
    void confirmSas() override;
    Result<WireMessage> encryptInput(QByteArrayView eventJson) override;
    Result<QList<WireMessage>> encryptFrame(const FrameMetadata& meta, QByteArrayView image) override;
    Result<WireMessage> encryptControl(QByteArrayView controlJson) override;
    Result<Incoming> receive(const WireMessage& message) override;
    quint64 droppedReplay() const override { return m_droppedReplay; }
    quint64 droppedUndecryptable() const override { return m_droppedUndecryptable; }
    void close() override;
    bool isClosed() const override { return m_closed; }

    QByteArray localFingerprint() const { return keyFingerprint(m_localPoint); }

private:
    SecureChannelV2(ChannelRole role, QByteArray sessionId, crypto::EcdhKeyPair keyPair,
                    QByteArray expectedFingerprint);
    static Result<std::unique_ptr<SecureChannelV2>>
    create(ChannelRole role, const QString& sessionId, crypto::EcdhKeyPair keyPair, QByteArrayView expectedFingerprint);
    Result<void> checkAgentKey(QByteArrayView agentPoint) const;
    Result<void> deriveKeys(QByteArrayView peerPoint);
    Result<WireMessage> seal(RecordKind kind, QByteArrayView plaintext);
    Result<Incoming> open(QByteArrayView record);
    Error dropUndecryptable(Error error);

    ChannelRole m_role;
    QByteArray m_sessionId; // ASCII, part of the salt and of every record's AAD
    std::optional<crypto::EcdhKeyPair> m_keyPair;
    QByteArray m_localPoint;
    QByteArray m_peerPoint;
    QByteArray m_expectedFingerprint; // viewer only; empty when the link had no k
    std::optional<crypto::AeadCipher> m_sendCipher;
    std::optional<crypto::AeadCipher> m_receiveCipher;
    QString m_sas;
    quint64 m_lastSentSeq = 0;
    quint64 m_lastReceivedSeq = 0;
    quint64 m_droppedReplay = 0;
    quint64 m_droppedUndecryptable = 0;
    bool m_readyReceived = false; // viewer: a valid "ready" record was decrypted
    bool m_sasConfirmed = false;
    bool m_closed = false;
};

} // namespace handoff::protocol
