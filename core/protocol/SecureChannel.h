#pragma once

// The end-to-end channel between an agent and a viewer (PROTOCOL 3): one object
// per session and per end, holding our key pair, the handshake state, the keys
// and, in version 2, the sequence counters. It does no I/O: the caller passes in
// each WebSocket message the relay delivered and sends out the messages it gets
// back, so the app, the agent and the tests drive it the same way.
//
// Agent:   send pubkeyMessage(); on the viewer's pubkey call acceptPeerKey() and
//          send its replies (v2: the "ready" record); pass every incoming message
//          to receive() and send the replies it returns (v2: the "reveal" that
//          answers the viewer's key confirmation); send encryptFrame() messages
//          only once isReady() (v2: the viewer proved it holds the link's secret).
// Viewer:  on the agent's pubkey call createViewerFor() (it picks the version and
//          refuses a downgrade), then acceptPeerKey() and send its replies (our
//          pubkey); pass every incoming message to receive() and send its replies
//          (v2: our key confirmation); send encryptInput() only once isReady() and
//          !needsSasConfirmation().
// Every failure is a value; a message that fails is dropped by the channel and
// must not be acted on. A channel that closed itself on a failure (isClosed())
// caught someone in the middle: the session must end.

#include "core/common/Result.h"
#include "core/protocol/FrameMetadata.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <memory>

namespace handoff::protocol {

enum class ChannelRole { Agent, Viewer };

// One WebSocket message as the relay forwards it: the text/binary kind matters.
struct WireMessage final {
    enum class Type { Text, Binary };
    Type type = Type::Text;
    QByteArray data;

    static WireMessage text(QByteArray data) { return WireMessage { Type::Text, std::move(data) }; }
    static WireMessage binary(QByteArray data) { return WireMessage { Type::Binary, std::move(data) }; }
};

// What receive() made of a message. The plaintext is a decrypted input event or
// control message, or a frame's image: never log it.
struct Incoming final {
    enum class Kind {
        Input, // plaintext: the input event JSON (PROTOCOL 5), still to be validated
        Frame, // frame: its metadata; plaintext: the JPEG or PNG bytes
        Control, // plaintext: a control JSON object for the application, e.g. {"type":"viewport",...}
        Handshake, // a step of the v2 handshake, consumed by the channel: isReady() and sas() may have changed
        Nothing, // consumed, nothing to act on yet (v1 frame metadata waiting for its JPEG)
    };
    Kind kind = Kind::Nothing;
    QByteArray plaintext;
    FrameMetadata frame;
    // Send these back, in order (v2 handshake answers).
    QList<WireMessage> replies;
};

struct PeerKeyAccepted final {
    // The same peer key as before (a reconnect): keys and counters were kept.
    bool resumed = false;
    // Send these, in order: the viewer's pubkey, or the v2 agent's "ready" record.
    QList<WireMessage> replies;
};

class SecureChannel {
public:
    virtual ~SecureChannel() = default;
    SecureChannel(const SecureChannel&) = delete;
    SecureChannel& operator=(const SecureChannel&) = delete;
    SecureChannel(SecureChannel&&) = delete;
    SecureChannel& operator=(SecureChannel&&) = delete;

    // The viewer's entry point: the agent's pubkey message decides the version.
    // A link that carried a key fingerprint or a viewer secret (16 raw bytes each,
    // see SecureChannelV2::parseLinkValue) never falls back to version 1: that
    // would let whoever replaced the message drop all protection ("downgrade").
    // Version 2 needs the viewer secret: without it the agent cannot tell this
    // viewer from the relay, and refuses it. The caller still passes the same
    // message to acceptPeerKey().
    static Result<std::unique_ptr<SecureChannel>> createViewerFor(QByteArrayView agentPubkeyMessage,
                                                                  const QString& sessionId,
                                                                  QByteArrayView expectedAgentFingerprint,
                                                                  QByteArrayView viewerSecret);

    virtual int version() const = 0;
    virtual ChannelRole role() const = 0;

    // Our {"type":"pubkey",...} text message; the same bytes every time, so it can be
    // sent again after a reconnect.
    virtual QByteArray pubkeyMessage() const = 0;
    // The peer's pubkey text message: checks the point (and in v2 the fingerprint) and
    // derives the keys, or recognises the same key again and keeps everything.
    virtual Result<PeerKeyAccepted> acceptPeerKey(QByteArrayView peerMessage) = 0;

    // Version 1: keys are derived. Version 2, agent: the current viewer confirmed
    // the keys (it holds the link's secret); viewer: the agent's "reveal" arrived
    // and matched its commitment, so the agent has bound the session to us.
    virtual bool isReady() const = 0;
    // Version 2: six digits once both nonces are known (agent: after the viewer's
    // confirmation; viewer: after the reveal); empty otherwise and in version 1.
    virtual QString sas() const = 0;
    // Version 2 viewer without a fingerprint in its link: the human must compare the
    // SAS with the agent's console and confirm before any input goes out.
    virtual bool needsSasConfirmation() const = 0;
    virtual void confirmSas() = 0;

    virtual Result<WireMessage> encryptInput(QByteArrayView eventJson) = 0; // viewer
    virtual Result<QList<WireMessage>> encryptFrame(const FrameMetadata& meta, QByteArrayView image) = 0; // agent
    virtual Result<WireMessage> encryptControl(QByteArrayView controlJson) = 0; // v2 only
    virtual Result<Incoming> receive(const WireMessage& message) = 0;

    // Records dropped because their seq was not above the last accepted one.
    virtual quint64 droppedReplay() const = 0;
    // Messages dropped because they were malformed or failed authentication.
    virtual quint64 droppedUndecryptable() const = 0;

    // Wipes the keys; every later call fails with "closed".
    virtual void close() = 0;
    virtual bool isClosed() const = 0;

protected:
    SecureChannel() = default;
};

} // namespace handoff::protocol
