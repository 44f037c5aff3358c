#pragma once

// One accepted socket's place under the connection caps: a child of the socket,
// so it is released exactly when the socket is destroyed, whoever owns the
// socket by then (its HttpConnection, the WebSocket handshake, the QWebSocket it
// became). A destructor rather than a signal, because QWebSocket drops every
// connection of its TCP socket when it goes.

#include "server/http/ConnectionLimiter.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace handoff::server {

class ConnectionTicket final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionTicket)

public:
    // Belongs to `socket`; the connection of `peer` was admitted by `limiter`.
    ConnectionTicket(std::shared_ptr<ConnectionLimiter> limiter, QHostAddress peer, QObject* socket);
    ~ConnectionTicket() override;

private:
    std::shared_ptr<ConnectionLimiter> m_limiter;
    QHostAddress m_peer;
};

} // namespace handoff::server
