#pragma once

// One relay WebSocket, agent or viewer: enforces the per-socket limits (message
// sizes, the viewer's message rate), tracks liveness for ping/pong, and holds the
// viewer's backpressure rule. When the socket cannot keep up, frames wait in a
// one-frame slot where a newer frame replaces an older one; every other message is
// sent in order, after the waiting frame, and never dropped.

#include "server/ops/Metrics.h"
#include "server/relay/RelayLimits.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <optional>

class QWebSocket;

namespace handoff::server {

class RelayPeer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayPeer)

public:
    // A frame: version 1 is the meta text then the JPEG; version 2 one binary record.
    struct Frame final {
        QString meta;
        QByteArray data;
        qint64 size() const { return meta.size() + data.size(); }
    };

    // Takes ownership of `socket`; deletes itself once the socket has closed.
    RelayPeer(QWebSocket* socket, PeerRole role, const RelayLimits& limits, Metrics& metrics, QObject* parent = nullptr);
    ~RelayPeer() override;

    PeerRole role() const { return m_role; }
    bool isOpen() const { return !m_closing; }

    void sendText(const QString& text);
    void sendBinary(const QByteArray& data);
    void sendFrame(Frame frame);
    void sendError(const QString& code, const QString& message);
    // Closes with a WebSocket close code; the peer is aborted if it does not answer in time.
    void closeWith(int code, const QString& reason);

    void ping();
    qint64 silentForMs() const { return m_lastHeard.elapsed(); }
    void abort();

Q_SIGNALS:
    void textReceived(handoff::server::RelayPeer* peer, const QString& text);
    void binaryReceived(handoff::server::RelayPeer* peer, const QByteArray& data);
    void closed(handoff::server::RelayPeer* peer);

private:
    bool admit(qint64 size, bool text);
    void writeFrame(const Frame& frame);
    void flushWaitingFrame();
    void checkQueue();
    void onDisconnected();

    QWebSocket* m_socket;
    PeerRole m_role;
    const RelayLimits& m_limits;
    Metrics& m_metrics;
    QElapsedTimer m_lastHeard;
    QElapsedTimer m_bucketClock;
    double m_tokens = 0;
    std::optional<Frame> m_waitingFrame;
    QTimer m_closeTimer;
    bool m_closing = false;
    bool m_weClosed = false;
    bool m_closedEmitted = false;
};

} // namespace handoff::server
