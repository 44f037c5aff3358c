#pragma once

// One client connection speaking HTTP/1.1: reads bounded requests (head through
// HttpRequestParser, body by Content-Length), answers them in order through the
// handler, keeps the connection alive between requests, and times out slow or
// idle clients. A WebSocket upgrade on an accepted path is handed over untouched:
// the head is only peeked, so QWebSocketServer reads it again itself.

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
    enum class State { Idle, ReadingHead, ReadingBody, Closing };

    void process();
    bool processOne(); // false when it must wait for more bytes or the connection ended
    void dispatch();
    void respond(const HttpResponse& response, bool keepAlive, bool headOnly);
    void fail(int status, const QString& code, const QString& message);
    void onTimeout();
    void close();
    void handOver();
    bool upgradeHeadersValid(QString* problem, int* status) const;

    QTcpSocket* m_socket = nullptr;
    const Settings& m_settings;
    HttpRequestParser m_parser;
    State m_state = State::Idle;
    HttpRequest m_request;
    QTimer m_timer;
    bool m_finished = false;
    bool m_lingering = false;
};

} // namespace handoff::server
