#pragma once

// A Chrome DevTools Protocol client over one page target's WebSocket.
//
// connectTo() takes any endpoint form a user may give (http://host:port, a
// browser or page ws:// URL) and discovers the page to drive (see CdpTargets).
// send() writes a command with a fresh id; its callback gets the result object,
// or an Error when Chromium answers with a CDP error (code "cdp_error", the
// message carries Chromium's), the command times out ("cdp_timeout") or the
// connection closes first ("cdp_closed"). Every callback runs exactly once,
// except that callbacks still pending when the client is destroyed are dropped.
// Events arrive as eventReceived().

#include "agent/cdp/CdpTarget.h"
#include "core/common/Result.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QWebSocket;

namespace handoff::agent {

class CdpClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CdpClient)

public:
    using Callback = std::function<void(const Result<QJsonObject>&)>;
    static constexpr int DefaultTimeoutMs = 15000;
    // Screencast frames of a 2560x1440 page at quality 90 stay well below this.
    static constexpr qint64 MaxIncomingMessageBytes = 64 * 1024 * 1024;
    static constexpr int DefaultTargetWaitMs = 10'000;
    static constexpr int TargetRetryMs = 250;

    explicit CdpClient(QObject* parent = nullptr);
    ~CdpClient() override;

    // Discovers the target (unless `endpoint` already names a page socket) and
    // opens its WebSocket. Emits connected() or connectFailed(). A browser that
    // was just started, or is still opening the page, lists it a moment later:
    // while no target matches, the list is asked again for up to setTargetWait() ms.
    void connectTo(const QUrl& endpoint, const QString& targetSelector = {});
    void setTargetWait(int milliseconds) { m_targetWaitMs = milliseconds; }
    // Closes the socket; pending commands fail with "cdp_closed".
    void disconnectFromTarget();

    bool isConnected() const;
    const CdpTarget& target() const { return m_target; }

    // Writes a command and returns its id, or -1 when not connected (the callback
    // then fails with "cdp_closed" from the event loop, never re-entrantly).
    qint64 send(const QString& method, const QJsonObject& params = {}, Callback callback = {},
                int timeoutMs = DefaultTimeoutMs);

Q_SIGNALS:
    void connected();
    void connectFailed(const handoff::Error& error);
    void disconnected(const QString& reason);
    void eventReceived(const QString& method, const QJsonObject& params);
    // Emitted right after a command was handed to the socket (for latency measurement).
    void commandWritten(qint64 id, const QString& method);

private:
    struct Pending final {
        QString method;
        Callback callback;
        QDeadlineTimer deadline;
    };

    void openSocket(const QUrl& wsUrl);
    void requestTargetList();
    void onDiscoveryFinished(QNetworkReply* reply);
    void onTextMessage(const QString& message);
    void onSocketClosed();
    void checkTimeouts();
    void failAll(const Error& error);
    void fail(const Error& error);

    QWebSocket* m_socket = nullptr;
    QNetworkAccessManager* m_network = nullptr;
    QPointer<QNetworkReply> m_discovery;
    QUrl m_listUrl;           // <endpoint>/json/list while discovering
    QString m_targetSelector; // connectTo()'s, for CdpTargets::choose
    QDeadlineTimer m_targetDeadline;
    int m_targetWaitMs = DefaultTargetWaitMs;
    QTimer m_targetRetry; // the next /json/list while waiting for the target
    QTimer m_timeoutTimer;
    QHash<qint64, Pending> m_pending;
    CdpTarget m_target;
    qint64 m_nextId = 1;
    bool m_open = false;
    bool m_connecting = false;
};

} // namespace handoff::agent
