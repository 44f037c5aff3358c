#pragma once

// Listens on one address, plain or TLS, and serves HTTP/1.1 and WebSocket on the
// same port: each accepted connection becomes an HttpConnection; upgrades on paths
// the upgrade filter accepts go through QWebSocketServer's handshake and come out
// as webSocketConnected().

#include "core/common/Result.h"
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
        std::optional<QSslConfiguration> tls;
    };

    explicit HttpServer(Options options, QObject* parent = nullptr);
    ~HttpServer() override;

    void setHandler(std::function<HttpResponse(const HttpRequest&)> handler);
    void setUpgradeFilter(std::function<bool(const QByteArray& path)> filter);

    Result<void> listen(const QHostAddress& address, quint16 port);
    quint16 serverPort() const;
    bool isTls() const { return m_options.tls.has_value(); }
    int openConnections() const { return m_openConnections; }

    // Reads a PEM certificate chain and private key (RSA or EC) into a server
    // configuration.
    static Result<QSslConfiguration> loadTls(const QString& certFile, const QString& keyFile);

Q_SIGNALS:
    // A completed WebSocket handshake. The receiver takes ownership of `socket`.
    void webSocketConnected(QWebSocket* socket);

private:
    void acceptPending();
    void adoptTcpSocket(QWebSocket* webSocket);

    Options m_options;
    HttpConnection::Settings m_settings;
    QTcpServer* m_server = nullptr;
    QWebSocketServer* m_webSockets = nullptr;
    int m_openConnections = 0;
    QList<QPointer<QTcpSocket>> m_handshaking; // handed to QWebSocketServer, not yet upgraded
};

} // namespace handoff::server
