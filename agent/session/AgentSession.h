#pragma once

// One hand-over, from the agent's side: make the key pair and the viewer secret
// (version 2, before the session exists, so the key's fingerprint k and the
// secret s go into the link), create the session, connect to the relay as the
// agent, run the end-to-end handshake, stream the page to the viewer and replay
// the viewer's input, and end with one outcome that the server also knows.
//
// Version 2 streams nothing and replays no input until a viewer proved it read
// the link (its key confirmation, PROTOCOL 3): a relay that offers its own
// viewer key gets a "ready" and nothing more. The first viewer that confirms is
// the only one for the rest of the session. It is then sent the session's
// description (service, context) end-to-end encrypted, so the app shows the
// agent's words and not the relay's.
//
// Relay messages the agent understands besides the protocol's own:
//   version-2 control record {"type":"viewport","width":W,"height":H} from the
//   viewer: resize the page viewport (clamped to 320x240..2560x1440). Version 1
//   has no such message.
// A dropped relay socket is reconnected with backoff while the session lives.

#include "agent/session/ServerApi.h"
#include "core/common/Result.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/protocol/SecureChannel.h"
#include "core/session/ReconnectBackoff.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <optional>

class QWebSocket;

namespace handoff::agent {

class CdpClient;
class FramePump;
class InputDispatcher;
class Screencast;
struct ScreencastFrame;

struct AgentSessionConfig final {
    QUrl server;
    QByteArray apiKey;
    QUrl cdpUrl;
    QString target;
    CreateSessionRequest request;
    int protocolVersion = 2;
    int quality = 75;
};

class AgentSession final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentSession)

public:
    enum class Outcome { Resolved, Cancelled, Timeout, Error };
    Q_ENUM(Outcome)

    explicit AgentSession(AgentSessionConfig config, QObject* parent = nullptr);
    ~AgentSession() override;

    static QString outcomeName(Outcome outcome);

    // Connects to the browser, creates the session and starts waiting for the person.
    void start();
    // Ends the session as cancelled (SIGINT, SIGTERM, an MCP cancel): tells the server.
    void cancel();

    QString sessionId() const { return m_created ? m_created->sessionId : QString(); }
    // The link for the person, in the app's own handoff:// form.
    QUrl sessionUrl() const { return m_link; }
    QString sas() const;
    bool isFinished() const { return m_finished; }
    std::optional<Outcome> outcome() const { return m_outcome; }
    CdpClient* cdp() const { return m_cdp; }
    InputDispatcher* input() const { return m_input; }
    Screencast* screencast() const { return m_screencast; }
    // For tests and the benchmark: how often the relay socket was (re)opened.
    int relayConnections() const { return m_relayConnections; }
    // Test hook: drop the relay socket as a network failure would.
    void abortRelayForTest();

Q_SIGNALS:
    // The link to give the person: `appLink` in the app's handoff:// form (give this
    // one: it never passes through a page the relay serves), `webLink` the same as an
    // https:// address of the relay's landing page. Version 2 links carry k and s.
    void linkReady(const QUrl& appLink, const QUrl& webLink, const QString& sessionId);
    // Version 2: a viewer confirmed the keys; the six digits the person can compare.
    void sasReady(const QString& sas);
    void viewerConnected();
    void viewerDisconnected();
    void finished(handoff::agent::AgentSession::Outcome outcome, const QString& message);

private:
    void createSession();
    void connectRelay();
    void scheduleReconnect();
    void onRelayText(const QString& text);
    void onRelayBinary(const QByteArray& data);
    void onRelayClosed();
    void onIncoming(const protocol::WireMessage& message);
    void onViewerConfirmed();
    void sendDescription();
    void onControl(const QByteArray& json);
    void onFrame(const ScreencastFrame& frame);
    void sendFrame(const ScreencastFrame& frame);
    void sendWire(const protocol::WireMessage& message);
    void onViewerOutcome(bool resolved);
    void finish(Outcome outcome, const QString& message);

    AgentSessionConfig m_config;
    CdpClient* m_cdp;
    ServerApi* m_api;
    Screencast* m_screencast;
    InputDispatcher* m_input;
    FramePump* m_pump = nullptr;
    QWebSocket* m_relay = nullptr;
    std::optional<crypto::EcdhKeyPair> m_pendingKey; // v2: made before the session, moved into the channel
    QByteArray m_viewerSecret;                       // v2: made with the key, goes into the link and the channel
    std::unique_ptr<protocol::SecureChannel> m_channel;
    std::optional<CreatedSession> m_created;
    QUrl m_link;
    session::ReconnectBackoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_expiryTimer;
    std::optional<Outcome> m_outcome;
    int m_relayConnections = 0;
    bool m_viewerReady = false; // the current viewer confirmed the keys: frames may flow
    bool m_finished = false;
    bool m_ending = false; // an outcome is being reported to the server
};

} // namespace handoff::agent
