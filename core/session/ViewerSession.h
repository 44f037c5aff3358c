#pragma once

// The viewer's side of one session (PROTOCOL 2-3), without any GUI: it connects
// to the relay's stream WebSocket, runs the key exchange of either protocol
// version through a SecureChannel, delivers frames, sends the person's input and
// follows the session to its end. The desktop app drives it from its window;
// end-to-end tests drive it from a script, the same way.
//
// States:  Idle -> Connecting -> Handshaking -> [ConfirmSas ->] Ready
//          Ready/Handshaking -> Reconnecting -> Handshaking -> ... (same keys, same counters)
//          any -> Ended (once; the reason says how)
//
// Security rules kept here:
// - no input or control message leaves before the channel is ready: in version 2
//   the agent proved it holds the keys, took our key confirmation and revealed a
//   nonce matching its commitment, and the SAS was confirmed when the link carried
//   no key fingerprint;
// - what the session is about (service, hint) is shown in the agent's own words,
//   end-to-end encrypted, in version 2; the relay's plaintext copy only in version 1;
// - a key that does not match the link's fingerprint, or a version-1 key where
//   the link pinned a version-2 one, ends the session with an explanation;
// - nothing typed, no key, no token and no frame is ever logged (handoff.session).

#include "core/common/Result.h"
#include "core/protocol/FrameMetadata.h"
#include "core/protocol/InputEvent.h"
#include "core/protocol/InputRateLimiter.h"
#include "core/session/ReconnectBackoff.h"
#include "core/session/SessionInfo.h"

#include <QAbstractSocket>
#include <QByteArray>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QSize>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>

class QWebSocket;

namespace handoff::protocol {
class SecureChannel;
class SessionLink;
struct WireMessage;
} // namespace handoff::protocol

namespace handoff::session {

class ViewerSession final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ViewerSession)

public:
    enum class State {
        Idle,         // not started
        Connecting,   // first connection to the relay
        Handshaking,  // connected; waiting for the agent's key or its "ready"
        ConfirmSas,   // version 2 without a key in the link: the person compares the SAS
        Ready,        // encrypted channel proven: input may flow
        Reconnecting, // the socket dropped; a new one comes after a backoff delay
        Ended,        // for good; see endReason()
    };
    Q_ENUM(State)

    enum class EndReason {
        Resolved,       // the person pressed Done, or the agent resolved the session
        Cancelled,      // the person or the agent cancelled it
        Expired,        // its time ran out
        AgentGone,      // the agent left and did not come back in time
        KeyMismatch,    // the agent's key is not the one the link pinned: someone substituted it
        Rejected,       // the relay refused the link (bad token, unknown or finished session, another viewer)
        ConnectionLost, // the relay could not be reached again
        ProtocolError,  // the other side sent something that cannot be trusted
        Closed,         // this viewer left (close())
    };
    Q_ENUM(EndReason)

    // Where to connect. The stream URL holds the viewer token, a secret: it never reaches a log.
    struct Target final {
        QUrl streamUrl;                 // ws(s)://host/stream/<id>?role=viewer&token=...
        QString sessionId;              // sess_...
        QByteArray agentKeyFingerprint; // the link's k as 16 raw bytes; empty when absent
        QByteArray viewerSecret;        // the link's s as 16 raw bytes; empty when absent (a secret)
    };

    struct Options final {
        std::chrono::milliseconds reconnectInitialDelay{500};
        std::chrono::milliseconds reconnectMaximumDelay{15'000};
        // How long the relay may stay unreachable before the session counts as lost.
        std::chrono::milliseconds reconnectGiveUpAfter{120'000};
        // How long the agent may stay away before the session counts as abandoned.
        std::chrono::milliseconds agentGoneTimeout{60'000};
    };

    static constexpr qint64 MaxIncomingMessageSize = 4 * 1024 * 1024 + 1024;

    explicit ViewerSession(const protocol::SessionLink& link, QObject* parent = nullptr);
    ViewerSession(const protocol::SessionLink& link, const Options& options, QObject* parent = nullptr);
    ViewerSession(Target target, const Options& options, QObject* parent = nullptr);
    ~ViewerSession() override;

    void start();
    // Leaves the session without an outcome (the agent may still get another viewer).
    void close();

    // Sends one input event end-to-end encrypted. Refused (and nothing leaves)
    // unless the state is Ready and the agent is there, when the event breaks a
    // protocol limit, or when it would break the agent's per-second limits (the
    // agent would drop it anyway; the caller can tell the person).
    Result<void> sendInput(const protocol::InputEvent& event);
    bool canSendInput() const;

    // Version 2: asks the agent to size the page viewport to `cssSize` (the
    // view's size in CSS pixels). Kept and sent once the channel is ready, again
    // after a reconnect; the newest request wins. Version 1 cannot carry it.
    Result<void> requestViewport(QSize cssSize);

    // The person compared the six digits with the agent's console and they match.
    void confirmSas();

    State state() const { return m_state; }
    std::optional<EndReason> endReason() const { return m_endReason; }
    const SessionInfo& info() const { return m_info; }
    const Target& target() const { return m_target; }
    // 0 until the agent's key arrived, then 1 or 2.
    int protocolVersion() const { return m_version; }
    // The link carried the agent's key fingerprint (version 2 only).
    bool keyPinned() const { return !m_target.agentKeyFingerprint.isEmpty(); }
    // Six digits in version 2 once keys are derived, else empty.
    QString sas() const;
    bool sasConfirmed() const { return m_sasConfirmed; }
    bool agentConnected() const { return m_agentConnected; }
    // Messages the channel dropped: replays, undecryptable or malformed records.
    quint64 droppedMessages() const;
    quint64 framesReceived() const { return m_framesReceived; }

    static Target targetFrom(const protocol::SessionLink& link);
    static QString describe(EndReason reason);
    static QString describe(State state);

Q_SIGNALS:
    void stateChanged(handoff::session::ViewerSession::State state);
    void sessionInfoReceived(const handoff::session::SessionInfo& info);
    // The agent's key arrived and the protocol version is known (show the v1 warning now).
    void protocolVersionKnown(int version);
    // Version 2 without a key in the link: show these six digits and confirmSas() on a match.
    void sasConfirmationRequired(const QString& sas);
    // Decrypted (v2) or plaintext (v1) image bytes, JPEG or PNG as the metadata says.
    void frameReceived(const QByteArray& image, const handoff::protocol::FrameMetadata& metadata);
    void agentPresenceChanged(bool connected);
    // Something went wrong that does not end the session (an error from the relay,
    // a refused viewport request). The message is for a person.
    void warning(const QString& code, const QString& message);
    // Emitted once; the message explains the reason to a person.
    void ended(handoff::session::ViewerSession::EndReason reason, const QString& message);

private:
    void openSocket();
    void onConnected();
    void onDisconnected();
    void onTextMessage(const QString& text);
    void onBinaryMessage(const QByteArray& data);
    void handleServerMessage(const QString& type, const QByteArray& json);
    void handlePubkey(const QByteArray& json);
    void handleChannelMessage(const protocol::WireMessage& message);
    void handleControl(const QByteArray& json);
    void adoptDescription(const SessionInfo& description, SessionInfo::Source source);
    void send(const protocol::WireMessage& message);
    void sendPendingViewport();
    void scheduleReconnect();
    void setAgentConnected(bool connected);
    void refreshState();
    void setState(State state);
    void end(EndReason reason, const QString& message);

    Target m_target;
    Options m_options;
    State m_state = State::Idle;
    std::optional<EndReason> m_endReason;
    SessionInfo m_info;
    SessionInfo m_relayDescription; // the relay's session_info, trusted only in version 1
    QWebSocket* m_socket = nullptr;
    std::unique_ptr<protocol::SecureChannel> m_channel;
    int m_version = 0;
    bool m_peerKeyOnThisSocket = false; // the agent's key arrived (again) since the last (re)connect
    bool m_agentConnected = false;
    bool m_sasConfirmed = false;
    bool m_sasAnnounced = false;
    std::optional<QSize> m_viewport;     // the newest viewport request
    std::optional<QSize> m_viewportSent; // what the agent was last told
    ReconnectBackoff m_backoff;
    protocol::InputRateLimiter m_rateLimiter;
    QElapsedTimer m_clock;
    QTimer m_reconnectTimer;
    QTimer m_agentGoneTimer;
    QDeadlineTimer m_giveUp{QDeadlineTimer::Forever}; // armed when the relay becomes unreachable
    quint64 m_framesReceived = 0;
    quint64 m_droppedBeforeChannel = 0;
};

} // namespace handoff::session
