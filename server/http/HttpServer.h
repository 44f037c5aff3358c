#pragma once

// Listens on one address, plain or TLS, and serves HTTP/1.1 and WebSocket on the
// same port: each accepted connection becomes an HttpConnection; upgrades on paths
// the upgrade filter accepts go through QWebSocketServer's handshake and come out
// as webSocketConnected().
//
// Every accepted socket counts against the connection caps (ConnectionLimiter)
// until it is destroyed, also after it became a WebSocket: over maxConnections
// in total a new connection is answered 503, over maxConnectionsPerSource from
// its source 429, and closed.

#include "core/common/Result.h"
#include "server/http/ConnectionLimiter.h"
#include "server/http/HttpConnection.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QSslConfiguration>

#include <memory>

class QTcpServer;
class QWebSocket;
class QWebSocketServer;

namespace handoff::server {

class HttpServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    struct Options final {
        HttpRequestParser::Limits limits;
        int requestTimeoutMs = 15'000;
        int idleTimeoutMs = 60'000;
        qint64 maxUnwrittenBytes = 256 * 1024; // per connection; see HttpConnection
        int maxConnections = 4096;
        int maxConnectionsPerSource = 256;
        std::optional<QSslConfiguration> tls;
    };

    explicit HttpServer(Options options, QObject* parent = nullptr);
    ~HttpServer() override;

    void setHandler(std::function<HttpResponse(const HttpRequest&)> handler);
    void setUpgradeFilter(std::function<bool(const QByteArray& path)> filter);

    Result<void> listen(const QHostAddress& address, quint16 port);
    quint16 serverPort() const;
    bool isTls() const { return m_options.tls.has_value(); }
    // Open sockets, HTTP and WebSocket.
    int openConnections() const { return m_limiter->open(); }
    // Prometheus text of the connection caps.
    QByteArray renderMetrics() const { return m_limiter->renderMetrics(); }

    // Reads a PEM certificate chain and private key (RSA or EC) into a server
    // configuration.
    static Result<QSslConfiguration> loadTls(const QString& certFile, const QString& keyFile);

Q_SIGNALS:
    // A completed WebSocket handshake. The receiver takes ownership of `socket`.
    void webSocketConnected(QWebSocket* socket);

private:
    void acceptPending();
    void refuse(QTcpSocket* socket, ConnectionLimiter::Verdict verdict);
    void adoptTcpSocket(QWebSocket* webSocket);

    Options m_options;
    HttpConnection::Settings m_settings;
    QTcpServer* m_server = nullptr;
    QWebSocketServer* m_webSockets = nullptr;
    // Shared with the ConnectionTicket of each socket, which may outlive this server.
    std::shared_ptr<ConnectionLimiter> m_limiter;
    int m_refusing = 0; // refused connections still being answered
    QList<QPointer<QTcpSocket>> m_handshaking; // handed to QWebSocketServer, not yet upgraded
};

} // namespace handoff::server
