#include "server/relay/RelayPeer.h"

#include "server/app/Logging.h"
#include "server/relay/RelayMessage.h"

#include <QWebSocket>

namespace handoff::server {

namespace {
constexpr int closeGraceMs = 3000;
}

RelayPeer::RelayPeer(QWebSocket* socket, PeerRole role, const RelayLimits& limits, Metrics& metrics, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_role(role)
    , m_limits(limits)
    , m_metrics(metrics)
{
    m_socket->setParent(this);
    m_lastHeard.start();
    m_bucketClock.start();
    m_tokens = limits.viewerMessagesPerSecond;
    m_metrics.socketOpened(role);
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, &RelayPeer::abort);

    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        m_lastHeard.start();
        // A text's UTF-8 size is at least its length and at most three times it.
        const qint64 size = text.size() * 3 <= m_limits.maxTextMessageBytes ? text.size() : text.toUtf8().size();
        if (admit(size, true)) {
            Q_EMIT textReceived(this, text);
        }
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& data) {
        m_lastHeard.start();
        if (admit(data.size(), false)) {
            Q_EMIT binaryReceived(this, data);
        }
    });
    connect(m_socket, &QWebSocket::pong, this, [this] { m_lastHeard.start(); });
    connect(m_socket, &QWebSocket::bytesWritten, this, [this] {
        if (m_waitingFrame && m_socket->bytesToWrite() <= m_limits.viewerBufferBytes) {
            flushWaitingFrame();
        }
    });
    connect(m_socket, &QWebSocket::disconnected, this, &RelayPeer::onDisconnected);
}

RelayPeer::~RelayPeer()
{
    // A QWebSocket destroyed while connected leaks its close reason (Qt 6.4): cut it first.
    disconnect(m_socket, nullptr, this, nullptr);
    if (m_socket->state() != QAbstractSocket::UnconnectedState) {
        m_socket->abort();
    }
    m_metrics.socketClosed(m_role);
}

bool RelayPeer::admit(qint64 size, bool text)
{
    if (m_closing) {
        return false;
    }
    if (m_role == PeerRole::Viewer) {
        // Token bucket: a burst of one second's allowance, refilled continuously.
        const double rate = m_limits.viewerMessagesPerSecond;
        m_tokens = std::min(rate, m_tokens + m_bucketClock.restart() * rate / 1000.0);
        if (m_tokens < 1.0) {
            qCInfo(lcRelay) << "viewer exceeded" << m_limits.viewerMessagesPerSecond << "messages/s: closing";
            m_metrics.dropped(QStringLiteral("rate_limited"));
            sendError(QStringLiteral("rate_limited"),
                      QStringLiteral("more than %1 messages per second").arg(m_limits.viewerMessagesPerSecond));
            closeWith(CloseCode::RateLimited, QStringLiteral("rate limit exceeded"));
            return false;
        }
        m_tokens -= 1.0;
    }
    const qint64 limit = text ? m_limits.maxTextMessageBytes : m_limits.maxBinaryMessageBytes;
    if (size > limit) {
        qCInfo(lcRelay) << (text ? "text" : "binary") << "message over" << limit << "bytes: closing";
        m_metrics.dropped(QStringLiteral("too_large"));
        sendError(QStringLiteral("message_too_large"),
                  QStringLiteral("%1 messages may have at most %2 bytes").arg(text ? QStringLiteral("text") : QStringLiteral("binary")).arg(limit));
        closeWith(CloseCode::TooBig, QStringLiteral("message too large"));
        return false;
    }
    return true;
}

void RelayPeer::sendText(const QString& text)
{
    if (m_closing) {
        return;
    }
    flushWaitingFrame();
    m_socket->sendTextMessage(text);
    checkQueue();
}

void RelayPeer::sendBinary(const QByteArray& data)
{
    if (m_closing) {
        return;
    }
    flushWaitingFrame();
    m_socket->sendBinaryMessage(data);
    checkQueue();
}

void RelayPeer::sendFrame(Frame frame)
{
    if (m_closing) {
        return;
    }
    if (m_waitingFrame) {
        m_waitingFrame = std::move(frame); // the older waiting frame is stale now
        m_metrics.dropped(QStringLiteral("backpressure"));
        return;
    }
    if (m_socket->bytesToWrite() > m_limits.viewerBufferBytes) {
        m_waitingFrame = std::move(frame);
        return;
    }
    writeFrame(frame);
}

void RelayPeer::writeFrame(const Frame& frame)
{
    if (!frame.meta.isEmpty()) {
        m_socket->sendTextMessage(frame.meta);
    }
    m_socket->sendBinaryMessage(frame.data);
    checkQueue();
}

void RelayPeer::flushWaitingFrame()
{
    if (m_waitingFrame) {
        const Frame frame = std::move(*m_waitingFrame);
        m_waitingFrame.reset();
        writeFrame(frame);
    }
}

void RelayPeer::checkQueue()
{
    if (!m_closing && m_socket->bytesToWrite() > m_limits.maxSocketBufferBytes) {
        qCInfo(lcRelay) << "peer does not read:" << m_socket->bytesToWrite() << "bytes queued: closing";
        m_metrics.dropped(QStringLiteral("slow_consumer"));
        closeWith(CloseCode::PolicyViolation, QStringLiteral("not reading"));
    }
}

void RelayPeer::sendError(const QString& code, const QString& message)
{
    if (!m_closing) {
        m_socket->sendTextMessage(RelayMessage::error(code, message));
    }
}

void RelayPeer::closeWith(int code, const QString& reason)
{
    if (m_closing) {
        return;
    }
    m_closing = true;
    m_weClosed = true;
    m_waitingFrame.reset();
    m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    m_closeTimer.start(closeGraceMs);
}

void RelayPeer::ping()
{
    if (!m_closing) {
        m_socket->ping();
    }
}

void RelayPeer::abort()
{
    m_closing = true;
    m_socket->abort();
    onDisconnected();
}

void RelayPeer::onDisconnected()
{
    m_closing = true;
    m_closeTimer.stop();
    if (!m_closedEmitted) {
        m_closedEmitted = true;
        // Qt itself closes with 1009 on a binary message over the limit.
        if (!m_weClosed && m_socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData) {
            m_metrics.dropped(QStringLiteral("too_large"));
        }
        Q_EMIT closed(this);
        deleteLater();
    }
}

} // namespace handoff::server
