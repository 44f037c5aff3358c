#pragma once

// A connection the server will not serve (over the connection caps): it gets one
// answer at once, "Connection: close", and is closed. Whatever the client sends
// meanwhile is read and dropped, so that its kernel does not reset the connection
// before the answer was read; a client that does not close is cut off after a
// short while. Deletes itself and the socket.

#include "server/http/HttpResponse.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace handoff::server {

class RefusedConnection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RefusedConnection)

public:
    // Takes ownership of `socket`.
    RefusedConnection(QTcpSocket* socket, const HttpResponse& response, QObject* parent = nullptr);
    ~RefusedConnection() override;

    static constexpr int LingerMs = 2000;

private:
    void finish();

    QTcpSocket* m_socket;
    QTimer m_timer;
    bool m_closing = false;
};

} // namespace handoff::server
