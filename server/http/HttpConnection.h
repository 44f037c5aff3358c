#pragma once

// One client connection speaking HTTP/1.1: reads bounded requests (head through
// HttpRequestParser, body by Content-Length), answers them in order through the
// handler, keeps the connection alive between requests, and times out slow or
// idle clients. A WebSocket upgrade on an accepted path is handed over untouched:
// its head goes back into the socket, so QWebSocketServer reads it again itself.
//
// Pipelined requests are read one after the other, but never while more than
// maxUnwrittenBytes of earlier answers wait to be sent: a client that sends
// requests without reading the answers then meets TCP backpressure (Qt's read
// buffer fills, the kernel's too) instead of growing the server's memory. Reading
// resumes once the client has taken half of that. A handler's deferred answer
// (DeferredResponse) is waited for before the next request is read.

#include "server/http/HttpRequestParser.h"
#include "server/http/HttpResponse.h"

#include <QObject>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace handoff::server {

class HttpConnection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    struct Settings final {
        HttpRequestParser::Limits limits;
        int requestTimeoutMs = 15'000;
        int idleTimeoutMs = 60'000;
        // Above this many bytes of answers not yet taken by the client, no further
        // request is read (a single answer may be larger; it is still sent whole).
        qint64 maxUnwrittenBytes = 256 * 1024;
        std::function<HttpResponse(const HttpRequest&)> handler;
        // Whether a WebSocket upgrade to this path is taken by the server.
        std::function<bool(const QByteArray& path)> acceptsUpgrade;
        // Takes ownership of a socket whose next bytes are an upgrade request.
        std::function<void(QTcpSocket*)> handOver;
    };

    // Takes ownership of `socket`.
    HttpConnection(QTcpSocket* socket, const Settings& settings, QObject* parent = nullptr);
    ~HttpConnection() override;

Q_SIGNALS:
    void finished(); // the connection closed or was handed over; the object deletes itself

private:
    enum class State { Idle, ReadingHead, ReadingBody, Waiting, Closing };

    void process();
    bool processOne(); // false when it must wait for more bytes or the connection ended
    // Moves what the socket holds into the input buffer, up to its capacity; false
    // when nothing came.
    bool pullInput();
    HttpParseResult parseHead() const;
    QByteArrayView input() const { return QByteArrayView(m_input).sliced(m_inputStart); }
    void consumeInput(qsizetype bytes);
    void dispatch();
    // The answer a deferred handler gave, or 503 when it gave none in time.
    void onDeferredResolved();
    void respond(const HttpResponse& response, bool keepAlive, bool headOnly);
    void onBytesWritten();
    // Answers written to the socket that the client has not taken yet (TLS: both sides of the encryption).
    qint64 unwrittenBytes() const;
    void fail(int status, const QString& code, const QString& message);
    void onTimeout();
    void close();
    void handOver();
    bool upgradeHeadersValid(QString* problem, int* status) const;

    QTcpSocket* m_socket = nullptr;
    const Settings& m_settings;
    HttpRequestParser m_parser;
    // Bytes read from the socket and not yet consumed start at m_inputStart; at most
    // one request's worth (head and body limits) is held.
    QByteArray m_input;
    qsizetype m_inputStart = 0;
    qint64 m_inputCapacity;
    State m_state = State::Idle;
    HttpRequest m_request;
    QTimer m_timer;
    bool m_finished = false;
    bool m_lingering = false;
    bool m_backlogged = false; // reading stopped until the client takes its answers
    // While Waiting: the answer being waited for and what is needed to send it.
    std::shared_ptr<DeferredResponse> m_deferred;
    bool m_deferredKeepAlive = false;
    bool m_deferredHeadOnly = false;
    QByteArray m_deferredLogLine;
    qint64 m_deferredStartMs = 0;
};

} // namespace handoff::server
