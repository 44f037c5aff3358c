#pragma once

// Forwards screencast frames to the relay without ever queueing them: while the
// socket still holds more than a threshold of unsent bytes, a new frame only
// replaces the one frame waiting, and that frame goes out once the socket has
// drained. Memory stays bounded by the threshold plus two frames, and the person
// always sees the newest picture instead of a growing backlog.

#include "agent/screencast/ScreencastFrame.h"

#include <QObject>

#include <functional>
#include <optional>

namespace handoff::agent {

class FramePump final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FramePump)

public:
    static constexpr qint64 DefaultMaxBacklogBytes = 512 * 1024;

    using BacklogFunction = std::function<qint64()>; // bytes not yet written to the network
    using SendFunction = std::function<void(const ScreencastFrame&)>;

    FramePump(BacklogFunction backlog, SendFunction send, QObject* parent = nullptr);
    ~FramePump() override;

    void setMaxBacklogBytes(qint64 bytes) { m_maxBacklog = bytes; }

    // A new frame from Chromium.
    void push(const ScreencastFrame& frame);
    // The socket wrote some bytes (connect QWebSocket::bytesWritten here).
    void drained();
    // Forget the waiting frame (viewer gone, socket reset).
    void clear();

    bool hasWaitingFrame() const { return m_waiting.has_value(); }
    quint64 sent() const { return m_sent; }
    quint64 replaced() const { return m_replaced; }

private:
    BacklogFunction m_backlog;
    SendFunction m_send;
    std::optional<ScreencastFrame> m_waiting;
    qint64 m_maxBacklog = DefaultMaxBacklogBytes;
    quint64 m_sent = 0;
    quint64 m_replaced = 0;
};

} // namespace handoff::agent
