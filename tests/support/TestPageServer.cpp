#include "tests/support/TestPageServer.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace handoff::test {

namespace {
constexpr qsizetype MaxRequestBytes = 1024 * 1024;
}

TestPageServer::TestPageServer(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

TestPageServer::~TestPageServer() = default;

bool TestPageServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 TestPageServer::port() const
{
    return m_server->serverPort();
}

QUrl TestPageServer::url(const QString& path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
}

QByteArray RecordedRequest::header(const QByteArray& name) const
{
    for (const QByteArray& line : headers.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0) {
            return line.mid(colon + 1).trimmed();
        }
    }
    return {};
}

void TestPageServer::setPage(const QByteArray& path, const QByteArray& body, const QByteArray& contentType)
{
    m_pages.insert(path, Page{body, contentType, 200, {}});
}

void TestPageServer::setResponse(const QByteArray& path, int status, const QByteArray& body,
                                 const QByteArray& contentType, const QByteArray& extraHeaders)
{
    m_pages.insert(path, Page{body, contentType, status, extraHeaders});
}

void TestPageServer::onReadyRead(QTcpSocket* socket)
{
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    if (buffer.size() > MaxRequestBytes) {
        socket->abort();
        return;
    }
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        return;
    }
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    qsizetype contentLength = 0;
    for (const QByteArray& line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length") {
            contentLength = line.mid(colon + 1).trimmed().toLongLong();
        }
    }
    if (buffer.size() < headerEnd + 4 + contentLength) {
        return;
    }
    const qsizetype firstLineEnd = buffer.indexOf('\n');
    RecordedRequest request{requestLine.value(0), requestLine.value(1), buffer.mid(headerEnd + 4, contentLength),
                            firstLineEnd >= 0 && firstLineEnd < headerEnd ? buffer.mid(firstLineEnd + 1, headerEnd - firstLineEnd - 1)
                                                                          : QByteArray()};
    m_buffers.remove(socket);
    m_requests.append(request);

    const QByteArray pathOnly = request.path.split('?').value(0);
    QByteArray response;
    if (auto it = m_pages.constFind(pathOnly); it != m_pages.constEnd()) {
        response = "HTTP/1.1 " + QByteArray::number(it->status) + (it->status == 200 ? " OK" : " Scripted")
            + "\r\nContent-Type: " + it->contentType + "\r\n" + it->extraHeaders
            + "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: "
            + QByteArray::number(it->body.size()) + "\r\n\r\n" + it->body;
    } else {
        response = QByteArrayLiteral("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                                     "Content-Length: 9\r\n\r\nnot found");
    }
    socket->write(response);
    socket->disconnectFromHost();
    Q_EMIT requestReceived(request);
}

} // namespace handoff::test
