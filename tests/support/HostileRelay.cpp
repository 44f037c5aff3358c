#include "tests/support/HostileRelay.h"

#include <QUrlQuery>
#include <QWebSocket>

namespace handoff::test {

using protocol::WireMessage;

HostileRelay::HostileRelay(QObject* parent)
    : QObject(parent)
    , m_server(QStringLiteral("hostile relay"), QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &HostileRelay::accept);
}

HostileRelay::~HostileRelay()
{
    for (const auto& link : m_links) {
        for (QWebSocket* socket : {link->client.data(), link->server.data()}) {
            if (socket) {
                socket->disconnect(this);
                socket->abort();
                delete socket;
            }
        }
    }
    m_server.close();
}

bool HostileRelay::listen()
{
    m_server.setMaxPendingConnections(64);
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl HostileRelay::publicUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
}

void HostileRelay::accept()
{
    while (QWebSocket* client = m_server.nextPendingConnection()) {
        auto link = std::make_unique<Link>();
        Link* raw = link.get();
        const QUrl request = client->requestUrl();
        raw->role = QUrlQuery(request).queryItemValue(QStringLiteral("role")) == QLatin1String("agent") ? Role::Agent
                                                                                                      : Role::Viewer;
        raw->client = client;
        client->setParent(this);
        client->setMaxAllowedIncomingMessageSize(8 * 1024 * 1024);

        QUrl upstream = m_upstream;
        upstream.setScheme(m_upstream.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
        upstream.setPath(request.path());
        upstream.setQuery(request.query(QUrl::FullyEncoded), QUrl::StrictMode);
        auto* server = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        server->setMaxAllowedIncomingMessageSize(8 * 1024 * 1024);
        raw->server = server;

        connect(client, &QWebSocket::textMessageReceived, this,
                [this, raw](const QString& text) { forward(raw, true, WireMessage::text(text.toUtf8())); });
        connect(client, &QWebSocket::binaryMessageReceived, this,
                [this, raw](const QByteArray& data) { forward(raw, true, WireMessage::binary(data)); });
        connect(server, &QWebSocket::textMessageReceived, this,
                [this, raw](const QString& text) { forward(raw, false, WireMessage::text(text.toUtf8())); });
        connect(server, &QWebSocket::binaryMessageReceived, this,
                [this, raw](const QByteArray& data) { forward(raw, false, WireMessage::binary(data)); });
        connect(server, &QWebSocket::connected, this, [raw] {
            for (const WireMessage& message : std::as_const(raw->pending)) {
                send(raw->server, message);
            }
            raw->pending.clear();
        });
        // Each side's close goes to the other with its code, as the real relay's would.
        connect(server, &QWebSocket::disconnected, this, [raw] {
            if (raw->client && raw->server) {
                raw->client->close(raw->server->closeCode(), raw->server->closeReason());
            }
        });
        connect(client, &QWebSocket::disconnected, this, [raw] {
            if (raw->server && raw->client) {
                raw->server->close(raw->client->closeCode(), raw->client->closeReason());
            }
        });
        server->open(upstream);
        m_links.push_back(std::move(link));
    }
}

void HostileRelay::forward(Link* link, bool fromClient, const WireMessage& message)
{
    // A message from the agent's client socket comes from the agent; one from the
    // server on the agent's link is the server's (or the viewer's, relayed) to the agent.
    const Role from = fromClient ? link->role : (link->role == Role::Agent ? Role::Viewer : Role::Agent);
    WireMessage copy = message;
    if (m_filter && !m_filter(from, copy)) {
        return;
    }
    m_seen.append(Seen{from, copy, !fromClient});
    if (fromClient) {
        if (link->server && link->server->state() == QAbstractSocket::ConnectedState) {
            send(link->server, copy);
        } else {
            link->pending.append(copy);
        }
    } else if (link->client) {
        send(link->client, copy);
    }
}

void HostileRelay::send(QWebSocket* socket, const WireMessage& message)
{
    if (!socket) {
        return;
    }
    if (message.type == WireMessage::Type::Text) {
        socket->sendTextMessage(QString::fromUtf8(message.data));
    } else {
        socket->sendBinaryMessage(message.data);
    }
}

QWebSocket* HostileRelay::clientOf(Role role) const
{
    // The newest connection of that role is the live one.
    for (auto it = m_links.rbegin(); it != m_links.rend(); ++it) {
        if ((*it)->role == role && (*it)->client && (*it)->client->state() == QAbstractSocket::ConnectedState) {
            return (*it)->client;
        }
    }
    return nullptr;
}

bool HostileRelay::injectToAgent(const WireMessage& message)
{
    QWebSocket* socket = clientOf(Role::Agent);
    send(socket, message);
    return socket != nullptr;
}

bool HostileRelay::injectToViewer(const WireMessage& message)
{
    QWebSocket* socket = clientOf(Role::Viewer);
    send(socket, message);
    return socket != nullptr;
}

bool HostileRelay::hasAgent() const
{
    return clientOf(Role::Agent) != nullptr;
}

bool HostileRelay::hasViewer() const
{
    return clientOf(Role::Viewer) != nullptr;
}

QList<WireMessage> HostileRelay::seenFrom(Role from) const
{
    QList<WireMessage> messages;
    for (const Seen& seen : m_seen) {
        if (seen.from == from && !seen.fromServer) {
            messages.append(seen.message);
        }
    }
    return messages;
}

} // namespace handoff::test
