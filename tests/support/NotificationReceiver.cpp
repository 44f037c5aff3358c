#include "tests/support/NotificationReceiver.h"

#include <QJsonDocument>
#include <QTest>

namespace handoff::test {

namespace {

QByteArray reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace

QJsonObject NotificationReceiver::Request::json() const
{
    return QJsonDocument::fromJson(body).object();
}

NotificationReceiver::NotificationReceiver(QObject* parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &NotificationReceiver::onConnection);
}

NotificationReceiver::~NotificationReceiver()
{
    close();
}

bool NotificationReceiver::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

void NotificationReceiver::close()
{
    m_server.close();
    for (const QPointer<QTcpSocket>& socket : std::as_const(m_held)) {
        if (socket) {
            socket->abort();
        }
    }
    m_held.clear();
}

QUrl NotificationReceiver::url(const QString& path) const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    url.setPath(path);
    return url;
}

QList<NotificationReceiver::Request> NotificationReceiver::requestsTo(const QByteArray& path) const
{
    QList<Request> matching;
    for (const Request& request : m_requests) {
        if (path.isEmpty() || request.path == path) {
            matching.append(request);
        }
    }
    return matching;
}

bool NotificationReceiver::waitForRequests(qsizetype count, const QByteArray& path, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return requestsTo(path).size() >= count; }, timeoutMs);
}

QList<NotificationReceiver::Request> NotificationReceiver::requestsFor(const QString& authReqId, const QByteArray& path) const
{
    QList<Request> matching;
    for (const Request& request : m_requests) {
        if (request.path == path && request.json().value(QStringLiteral("auth_req_id")).toString() == authReqId) {
            matching.append(request);
        }
    }
    return matching;
}

std::optional<NotificationReceiver::Request> NotificationReceiver::waitFor(const QString& authReqId, const QByteArray& path,
                                                                           int timeoutMs) const
{
    if (!QTest::qWaitFor([&] { return !requestsFor(authReqId, path).isEmpty(); }, timeoutMs)) {
        return std::nullopt;
    }
    return requestsFor(authReqId, path).first();
}

void NotificationReceiver::onConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void NotificationReceiver::onReadable(QTcpSocket* socket)
{
    if (!m_buffers.contains(socket)) {
        return; // answered already, or held
    }
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    if (buffer.size() > MaxRequestBytes) {
        socket->abort();
        return;
    }
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        return;
    }
    Request request;
    const QList<QByteArray> lines = buffer.first(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0) {
            request.headers.insert(lines.at(i).first(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
        }
    }
    const qsizetype length = request.header("content-length").toLongLong();
    if (buffer.size() < headEnd + 4 + length) {
        return;
    }
    request.body = buffer.mid(headEnd + 4, length);
    m_buffers.remove(socket);
    m_requests.append(request);

    const Action action = m_script.isEmpty() ? Action::respond(204) : m_script.takeFirst();
    switch (action.kind) {
    case Action::Kind::Respond:
        socket->write("HTTP/1.1 " + QByteArray::number(action.status) + ' ' + reason(action.status)
                      + "\r\nContent-Length: 0\r\nConnection: close\r\n"
                      + (action.status == 302 ? QByteArray("Location: /elsewhere\r\n") : QByteArray()) + "\r\n");
        socket->disconnectFromHost();
        break;
    case Action::Kind::Close:
        socket->abort();
        break;
    case Action::Kind::Hold:
        m_held.append(socket);
        break;
    }
}

} // namespace handoff::test
