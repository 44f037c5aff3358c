#include "server/http/HttpServer.h"

#include "server/app/Logging.h"
#include "server/http/ConnectionTicket.h"
#include "server/http/RefusedConnection.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace handoff::server {

namespace {
// Refused connections answered at once; past this many at a time they are just reset.
constexpr int maxRefusing = 64;
} // namespace

HttpServer::HttpServer(Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_limiter(std::make_shared<ConnectionLimiter>(m_options.maxConnections, m_options.maxConnectionsPerSource))
{
    m_settings.limits = m_options.limits;
    m_settings.requestTimeoutMs = m_options.requestTimeoutMs;
    m_settings.idleTimeoutMs = m_options.idleTimeoutMs;
    m_settings.maxUnwrittenBytes = m_options.maxUnwrittenBytes;
    m_settings.handler = [](const HttpRequest&) {
        return HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("nothing here"));
    };
    m_settings.acceptsUpgrade = [](const QByteArray&) { return false; };

    // Only its handshake code is used: sockets are handed to it after our own parser
    // has peeked at the request. The mode only sets the scheme of requestUrl().
    m_webSockets = new QWebSocketServer(QStringLiteral("handoff-server"), QWebSocketServer::NonSecureMode, this);
    m_settings.handOver = [this](QTcpSocket* socket) {
        m_handshaking.append(socket);
        m_webSockets->handleConnection(socket);
    };
    connect(m_webSockets, &QWebSocketServer::newConnection, this, [this] {
        while (m_webSockets->hasPendingConnections()) {
            QWebSocket* socket = m_webSockets->nextPendingConnection();
            adoptTcpSocket(socket);
            Q_EMIT webSocketConnected(socket);
        }
    });
    connect(m_webSockets, &QWebSocketServer::serverError, this, [](QWebSocketProtocol::CloseCode code) {
        qCInfo(lcHttp) << "WebSocket handshake failed:" << code;
    });

    if (m_options.tls) {
        auto* sslServer = new QSslServer(this);
        sslServer->setSslConfiguration(*m_options.tls);
        sslServer->setHandshakeTimeout(m_options.requestTimeoutMs);
        connect(sslServer, &QSslServer::errorOccurred, this, [](QSslSocket*, QAbstractSocket::SocketError error) {
            qCDebug(lcHttp) << "TLS connection error" << error;
        });
        connect(sslServer, &QSslServer::sslErrors, this, [](QSslSocket*, const QList<QSslError>& errors) {
            qCDebug(lcHttp) << "TLS errors" << errors.size();
        });
        m_server = sslServer;
    } else {
        m_server = new QTcpServer(this);
    }
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &HttpServer::acceptPending);
}

HttpServer::~HttpServer()
{
    // Sockets still in their WebSocket handshake belong to no one else.
    for (const QPointer<QTcpSocket>& socket : std::as_const(m_handshaking)) {
        delete socket.data();
    }
    // Refused connections report their end to this object.
    qDeleteAll(findChildren<RefusedConnection*>(Qt::FindDirectChildrenOnly));
}

void HttpServer::adoptTcpSocket(QWebSocket* webSocket)
{
    // Qt 6.4's QWebSocketServer leaves the TCP socket of an upgraded QWebSocket
    // parentless and deletes it only when it disconnects while the server object
    // still exists. Make the QWebSocket own it instead, so that deleting the
    // QWebSocket frees everything, at any time.
    m_handshaking.removeAll(nullptr);
    for (qsizetype i = 0; i < m_handshaking.size(); ++i) {
        QTcpSocket* tcp = m_handshaking.at(i);
        if (tcp->peerPort() == webSocket->peerPort() && tcp->peerAddress() == webSocket->peerAddress()) {
            m_handshaking.removeAt(i);
            disconnect(tcp, nullptr, m_webSockets, nullptr);
            tcp->setParent(webSocket);
            return;
        }
    }
    qCWarning(lcHttp) << "upgraded socket not found among the handshakes";
}

void HttpServer::setHandler(std::function<HttpResponse(const HttpRequest&)> handler)
{
    m_settings.handler = std::move(handler);
}

void HttpServer::setUpgradeFilter(std::function<bool(const QByteArray&)> filter)
{
    m_settings.acceptsUpgrade = std::move(filter);
}

Result<void> HttpServer::listen(const QHostAddress& address, quint16 port)
{
    if (!m_server->listen(address, port)) {
        return Error{QStringLiteral("listen_failed"),
                     QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_server->errorString())};
    }
    return {};
}

quint16 HttpServer::serverPort() const
{
    return m_server->serverPort();
}

void HttpServer::acceptPending()
{
    while (m_server->hasPendingConnections()) {
        QTcpSocket* socket = m_server->nextPendingConnection();
        if (!socket) {
            break;
        }
        const QHostAddress peer = socket->peerAddress();
        const ConnectionLimiter::Verdict verdict = m_limiter->admit(peer);
        if (verdict != ConnectionLimiter::Verdict::Admitted) {
            refuse(socket, verdict);
            continue;
        }
        // Counted until the socket is gone: as HTTP, and as a WebSocket after an
        // upgrade (the QWebSocket owns it then, see adoptTcpSocket()).
        new ConnectionTicket(m_limiter, peer, socket);
        new HttpConnection(socket, m_settings, this);
    }
}

void HttpServer::refuse(QTcpSocket* socket, ConnectionLimiter::Verdict verdict)
{
    const bool total = verdict == ConnectionLimiter::Verdict::TooManyInTotal;
    // Logged once per burst of refusals, not once per connection.
    if (m_refusing == 0) {
        qCWarning(lcHttp).noquote() << (total ? QStringLiteral("connection limit reached (%1 open): refusing connections")
                                                    .arg(m_options.maxConnections)
                                              : QStringLiteral("per-source connection limit reached (%1 from %2): refusing "
                                                               "its connections")
                                                    .arg(m_options.maxConnectionsPerSource)
                                                    .arg(socket->peerAddress().toString()));
    }
    if (m_refusing >= maxRefusing) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    HttpResponse response =
        total ? HttpResponse::error(503, QStringLiteral("server_busy"),
                                    QStringLiteral("the server has too many open connections; try again later"))
              : HttpResponse::error(429, QStringLiteral("too_many_connections"),
                                    QStringLiteral("too many open connections from your address; close some first"));
    response.setHeader("Retry-After", "5");
    ++m_refusing;
    auto* refused = new RefusedConnection(socket, response, this);
    connect(refused, &QObject::destroyed, this, [this] { --m_refusing; });
}

Result<QSslConfiguration> HttpServer::loadTls(const QString& certFile, const QString& keyFile)
{
    QFile certs(certFile);
    if (!certs.open(QIODevice::ReadOnly)) {
        return Error{QStringLiteral("tls"), QStringLiteral("cannot read --tls-cert %1: %2").arg(certFile, certs.errorString())};
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certs.readAll(), QSsl::Pem);
    if (chain.isEmpty()) {
        return Error{QStringLiteral("tls"), QStringLiteral("no PEM certificate in %1").arg(certFile)};
    }
    QFile keyFileHandle(keyFile);
    if (!keyFileHandle.open(QIODevice::ReadOnly)) {
        return Error{QStringLiteral("tls"),
                     QStringLiteral("cannot read --tls-key %1: %2").arg(keyFile, keyFileHandle.errorString())};
    }
    const QByteArray keyPem = keyFileHandle.readAll();
    QSslKey key;
    for (const auto algorithm : {QSsl::Ec, QSsl::Rsa}) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) {
            break;
        }
    }
    if (key.isNull()) {
        return Error{QStringLiteral("tls"), QStringLiteral("no unencrypted RSA or EC private key in %1").arg(keyFile)};
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

} // namespace handoff::server
