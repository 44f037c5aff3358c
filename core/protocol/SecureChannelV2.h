#pragma once

// Version 2, Handoff's own scheme (PROTOCOL 3, v2). The link carries two values
// the relay never learns from the agent: the agent key's fingerprint k (the
// viewer pins the agent's key) and the viewer secret s (mixed into the key
// derivation, so only a viewer that read the link can derive the keys: the agent
// can tell the person's viewer from the relay). Keys come from HKDF bound to both
// public keys, the secret and the session; every message after the pubkeys is an
// AES-256-GCM record with a per-direction sequence number that must strictly
// increase.
//
// Handshake, after the pubkeys:
//   agent  -> "ready" {commit = SHA-256(label || A || V || n_a)}   keys proven to the viewer
//   viewer -> "confirm" {nonce = n_v}                               keys (and so s) proven to the agent
//   agent  -> "reveal" {nonce = n_a}                                the viewer checks the commitment
// The SAS comes from both nonces. The agent commits to n_a before it sees n_v and
// the viewer sends n_v only after it holds that commitment, so whoever sits in the
// middle must fix its choices before it can know the other end's: it cannot
// search for keys that make two SAS values agree (as ZRTP and Bluetooth's numeric
// comparison do).
//
// The agent sends no frame and acts on no input before the viewer's confirmation.
// The first viewer key that confirms is bound to the session: a different key
// afterwards is refused, the same key (a reconnect) resumes with the same keys and
// counters. The agent's send counter never restarts, whatever viewer key it talks
// to, and it remembers the last sequence number it accepted under every viewer key
// it has seen, so no key ever meets a nonce twice and no record is accepted twice.

#include "core/crypto/AeadCipher.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/crypto/SecureMemory.h"
#include "core/protocol/RecordCodec.h"
#include "core/protocol/SecureChannel.h"

#include <QHash>

#include <optional>

namespace handoff::protocol {

class SecureChannelV2 final : public SecureChannel {
public:
    static constexpr qsizetype FingerprintSize = 16;
    static constexpr qsizetype ViewerSecretSize = 16;
    static constexpr qsizetype NonceSize = 16;
    static constexpr qsizetype CommitmentSize = 32;
    static constexpr qsizetype NonceSeedSize = 32;
    // Input events and control messages are small; refusing big ones early keeps
    // a hostile peer from making us decrypt and parse megabytes of "input".
    static constexpr qsizetype MaxMessageSize = qsizetype(64) * 1024;
    // Viewer keys the agent keeps counters for before one of them confirms; a relay
    // that offers more is only trying to make it keep state.
    static constexpr qsizetype MaxViewerKeys = 16;

    // First 16 bytes of SHA-256(public point): the link's "k" (PROTOCOL 3, v2 step 1).
    static QByteArray keyFingerprint(QByteArrayView publicPoint);
    // The same, as unpadded base64url, ready to append as "&k=" to the link's fragment.
    static QByteArray keyFingerprintB64Url(QByteArrayView publicPoint);
    // The link's "k" back to 16 raw bytes; strict, since a mangled k must not pass as none.
    static Result<QByteArray> parseFingerprint(QByteArrayView b64url);
    // A 16-byte link value (k or s) as unpadded base64url, and back (strict, canonical).
    static QByteArray linkValue(QByteArrayView raw);
    static Result<QByteArray> parseLinkValue(QByteArrayView b64url);
    // A fresh random viewer secret: the link's "s".
    static Result<QByteArray> makeViewerSecret();

    // The agent makes its key pair and the viewer secret before the session exists
    // (both go into the link), then binds them to the session id it was given.
    static Result<std::unique_ptr<SecureChannelV2>> createAgent(const QString& sessionId, crypto::EcdhKeyPair agentKey,
                                                                QByteArrayView viewerSecret);
    // With a given seed for the agent's per-viewer-key nonces: for known-answer and interop tests.
    static Result<std::unique_ptr<SecureChannelV2>> createAgent(const QString& sessionId, crypto::EcdhKeyPair agentKey,
                                                                QByteArrayView viewerSecret, QByteArrayView nonceSeed);
    // `expectedAgentFingerprint`: the link's k as 16 raw bytes, or empty when the
    // link had none (then the SAS must be confirmed before any input);
    // `viewerSecret`: the link's s, 16 raw bytes.
    static Result<std::unique_ptr<SecureChannelV2>>
    createViewer(const QString& sessionId, QByteArrayView expectedAgentFingerprint, QByteArrayView viewerSecret);
    // With a given key pair and nonce: for known-answer and interop tests.
    static Result<std::unique_ptr<SecureChannelV2>> createViewer(const QString& sessionId,
                                                                 QByteArrayView expectedAgentFingerprint,
                                                                 QByteArrayView viewerSecret,
                                                                 crypto::EcdhKeyPair viewerKey, QByteArrayView nonce);
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
    struct Config final {
        ChannelRole role;
        QByteArray sessionId;
        QByteArray expectedFingerprint; // viewer only; empty when the link had no k
        QByteArray viewerSecret;
        QByteArray nonceMaterial; // agent: the seed of its nonces; viewer: its nonce
    };

    SecureChannelV2(Config config, crypto::EcdhKeyPair keyPair);
    static Result<std::unique_ptr<SecureChannelV2>> create(ChannelRole role, const QString& sessionId,
                                                           crypto::EcdhKeyPair keyPair,
                                                           QByteArrayView expectedFingerprint,
                                                           QByteArrayView viewerSecret, QByteArrayView nonceMaterial);
    Result<void> checkAgentKey(QByteArrayView agentPoint) const;
    Result<PeerKeyAccepted> acceptViewerKey(QByteArrayView viewerPoint);
    Result<void> deriveKeys(QByteArrayView peerPoint);
    QByteArray agentNonceFor(QByteArrayView viewerPoint) const;
    QByteArray commitment(QByteArrayView agentNonce) const;
    Result<QString> deriveSas(QByteArrayView agentNonce, QByteArrayView viewerNonce) const;
    Result<WireMessage> seal(RecordKind kind, QByteArrayView plaintext);
    Result<WireMessage> sealHandshake(const char* type, const char* field, QByteArrayView value);
    Result<Incoming> open(QByteArrayView record);
    Result<Incoming> agentHandshake(const QByteArray& json);
    Result<Incoming> viewerHandshake(const QByteArray& json);
    Error dropUndecryptable(Error error);
    Error abort(Error error);

    ChannelRole m_role;
    QByteArray m_sessionId; // ASCII, part of the salt and of every record's AAD
    std::optional<crypto::EcdhKeyPair> m_keyPair;
    QByteArray m_localPoint;
    QByteArray m_peerPoint;
    QByteArray m_expectedFingerprint; // viewer only; empty when the link had no k
    crypto::SecretBytes m_viewerSecret;
    // Agent: the seed its per-viewer-key nonces come from. Viewer: its own nonce n_v.
    crypto::SecretBytes m_nonceMaterial;
    std::optional<crypto::AeadCipher> m_sendCipher;
    std::optional<crypto::AeadCipher> m_receiveCipher;
    crypto::SecretBytes m_sasKey;
    QString m_sas;
    quint64 m_lastSentSeq = 0; // never restarts within the session
    quint64 m_lastReceivedSeq = 0; // under the current peer key
    // Agent: the last seq accepted under each viewer key seen, by the key's SHA-256.
    QHash<QByteArray, quint64> m_receivedSeqByKey;
    QByteArray m_boundPoint; // agent: the viewer key that confirmed first
    QByteArray m_viewerNonce; // agent: n_v of the bound viewer
    QByteArray m_commitment; // viewer: from the agent's first "ready"
    bool m_revealed = false; // viewer: the reveal matched the commitment
    quint64 m_droppedReplay = 0;
    quint64 m_droppedUndecryptable = 0;
    bool m_sasConfirmed = false;
    bool m_closed = false;
};

} // namespace handoff::protocol
