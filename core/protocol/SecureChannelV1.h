#pragma once

// Version 1, the AuthLoop scheme (PROTOCOL 3, v1), kept for compatibility with
// agents built on the AuthLoop SDK. The AES-256-GCM key is the raw ECDH
// x-coordinate; input events travel as {"type":"encrypted",...} text with a
// random 12-byte iv and no AAD; frames travel in plaintext. It has no key
// authentication and no replay protection: the viewer must show a persistent
// warning while it is in use.

#include "core/crypto/AeadCipher.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/protocol/SecureChannel.h"

#include <optional>

namespace handoff::protocol {

class SecureChannelV1 final : public SecureChannel {
public:
    static Result<std::unique_ptr<SecureChannelV1>> create(ChannelRole role);
    // With a given key pair: for known-answer and interop tests.
    static Result<std::unique_ptr<SecureChannelV1>> create(ChannelRole role, crypto::EcdhKeyPair keyPair);
    ~SecureChannelV1() override;

    int version() const override { return 1; }
    ChannelRole role() const override { return m_role; }
    QByteArray pubkeyMessage() const override;
    Result<PeerKeyAccepted> acceptPeerKey(QByteArrayView peerMessage) override;
    bool isReady() const override;
    QString sas() const override { return {}; }
    bool needsSasConfirmation() const override { return false; }
    void confirmSas() override { }
    Result<WireMessage> encryptInput(QByteArrayView eventJson) override;
    // Not encrypted in version 1: the frame text message and the binary JPEG.
    Result<QList<WireMessage>> encryptFrame(const FrameMetadata& meta, QByteArrayView image) override;
    // Version 1 has no control messages.
    Result<WireMessage> encryptControl(QByteArrayView controlJson) override;
    Result<Incoming> receive(const WireMessage& message) override;
    quint64 droppedReplay() const override { return 0; } // version 1 cannot tell a replay
    quint64 droppedUndecryptable() const override { return m_droppedUndecryptable; }
    void close() override;
    bool isClosed() const override { return m_closed; }

private:
    SecureChannelV1(ChannelRole role, crypto::EcdhKeyPair keyPair);
    Result<Incoming> receiveText(QByteArrayView text);
    Result<Incoming> receiveBinary(QByteArrayView data);
    Error dropUndecryptable(Error error);

    ChannelRole m_role;
    std::optional<crypto::EcdhKeyPair> m_keyPair;
    QByteArray m_localPoint;
    QByteArray m_peerPoint;
    std::optional<crypto::AeadCipher> m_cipher;
    std::optional<FrameMetadata> m_pendingFrame; // viewer: metadata whose JPEG has not arrived yet
    quint64 m_droppedUndecryptable = 0;
    bool m_closed = false;
};

} // namespace handoff::protocol
