#include "server/http/RefusedConnection.h"

#include <QTcpSocket>

namespace handoff::server {

RefusedConnection::RefusedConnection(QTcpSocket* socket, const HttpResponse& response, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(4096);
    connect(m_socket, &QTcpSocket::readyRead, this, [this] { m_socket->skip(m_socket->bytesAvailable()); });
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &QObject::deleteLater);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RefusedConnection::finish);
    m_timer.start(LingerMs);
    m_socket->write(response.serialize(false));
}

RefusedConnection::~RefusedConnection()
{
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}

void RefusedConnection::finish()
{
    if (m_closing) {
        deleteLater();
        return;
    }
    // Send what is left of the answer, then give up on the client.
    m_closing = true;
    m_socket->disconnectFromHost();
    m_timer.start(LingerMs / 2);
}

} // namespace handoff::server
