#include "server/http/HttpConnection.h"

#include "server/app/Logging.h"
#include "server/http/DeferredResponse.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>

namespace handoff::server {

namespace {
constexpr int lingerMs = 2000;
}

HttpConnection::HttpConnection(QTcpSocket* socket, const Settings& settings, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_settings(settings)
    , m_parser(settings.limits)
    , m_inputCapacity(settings.limits.maxHeaderBytes + settings.limits.maxBodyBytes + 4096)
{
    m_socket->setParent(this);
    // No Nagle: a relayed frame or input event leaves at once instead of waiting
    // for the peer's delayed ACK (measured: frame latency p50 28 ms -> 1.7 ms).
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Qt stops reading from the kernel once this much is buffered, and the input
    // buffer holds as much again at most: a client can never make us hold more
    // than two requests' worth of bytes.
    m_socket->setReadBufferSize(m_inputCapacity);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::process);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    if (auto* tls = qobject_cast<QSslSocket*>(m_socket)) {
        connect(tls, &QSslSocket::encryptedBytesWritten, this, &HttpConnection::onBytesWritten);
    }
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::close);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError) {
            qCDebug(lcHttp) << "connection error" << error;
        }
        close();
    });
    m_timer.start(m_settings.idleTimeoutMs);
    if (m_socket->bytesAvailable() > 0) {
        QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
    }
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::process()
{
    if (m_socket && m_state == State::Closing) {
        // Lingering close: whatever the client still sends (the rest of an oversized
        // body) is read and dropped, so that its kernel does not reset the
        // connection before it has read our answer.
        m_input.clear();
        m_inputStart = 0;
        m_socket->readAll();
        return;
    }
    while (m_socket && (m_state == State::Idle || m_state == State::ReadingHead || m_state == State::ReadingBody)) {
        if (m_state == State::Idle && unwrittenBytes() > m_settings.maxUnwrittenBytes) {
            // The client is not taking its answers: read nothing more until it does
            // (onBytesWritten), so that what it sends waits in its own buffers.
            m_backlogged = true;
            return;
        }
        if (!processOne()) {
            return;
        }
    }
}

qint64 HttpConnection::unwrittenBytes() const
{
    qint64 bytes = m_socket->bytesToWrite();
    if (const auto* tls = qobject_cast<const QSslSocket*>(m_socket)) {
        bytes += tls->encryptedBytesToWrite();
    }
    return bytes;
}

void HttpConnection::onBytesWritten()
{
    if (!m_socket || m_finished) {
        return;
    }
    if (m_state == State::Idle && m_timer.isActive()) {
        // A client that is taking its answers is not idle, however slowly it reads.
        m_timer.start(m_settings.idleTimeoutMs);
    }
    if (m_backlogged && unwrittenBytes() <= m_settings.maxUnwrittenBytes / 2) {
        m_backlogged = false;
        process();
    }
}

bool HttpConnection::pullInput()
{
    const qint64 room = m_inputCapacity - qint64(input().size());
    if (room <= 0 || m_socket->bytesAvailable() <= 0) {
        return false;
    }
    // Called only when what is left is not enough for the next step: a part of a
    // head or of a body, so this moves little.
    if (m_inputStart > 0) {
        m_input.remove(0, m_inputStart);
        m_inputStart = 0;
    }
    // read(), not peek() or skip(): once Qt's buffer had filled up it watches the
    // socket again only when a read reaches the device.
    m_input += m_socket->read(room);
    return true;
}

HttpParseResult HttpConnection::parseHead() const
{
    return m_parser.parse(input().first(std::min<qsizetype>(input().size(), m_settings.limits.maxHeaderBytes)));
}

void HttpConnection::consumeInput(qsizetype bytes)
{
    m_inputStart += bytes;
    if (m_inputStart >= m_input.size()) {
        m_input.clear();
        m_inputStart = 0;
    }
}

bool HttpConnection::processOne()
{
    if (m_state == State::Idle || m_state == State::ReadingHead) {
        if (input().isEmpty() && !pullInput()) {
            return false;
        }
        if (m_state == State::Idle) {
            m_state = State::ReadingHead;
            m_timer.start(m_settings.requestTimeoutMs);
        }
        HttpParseResult result = parseHead();
        if (result.status == HttpParseResult::Status::NeedMore && pullInput()) {
            result = parseHead();
        }
        switch (result.status) {
        case HttpParseResult::Status::NeedMore:
            return false;
        case HttpParseResult::Status::Error:
            qCInfo(lcHttp) << "refused request:" << result.errorStatus << result.errorCode;
            fail(result.errorStatus, result.errorCode, result.errorMessage);
            return false;
        case HttpParseResult::Status::Complete:
            break;
        }
        m_request = std::move(result.request);
        m_request.peer = m_socket->peerAddress();
        if (m_request.webSocketUpgrade && m_settings.acceptsUpgrade && m_settings.acceptsUpgrade(m_request.path)) {
            QString problem;
            int status = 400;
            if (!upgradeHeadersValid(&problem, &status)) {
                consumeInput(result.headSize);
                HttpResponse response = HttpResponse::error(
                    status, status == 426 ? QStringLiteral("upgrade_required") : QStringLiteral("invalid_request"), problem);
                response.setHeader("Sec-WebSocket-Version", "13");
                respond(response, false, false);
                return false;
            }
            handOver();
            return false;
        }
        consumeInput(result.headSize);
        if (m_request.contentLength > 0) {
            m_state = State::ReadingBody;
            if (m_request.expectContinue) {
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
        } else {
            dispatch();
            return m_state == State::Idle;
        }
    }
    if (m_state == State::ReadingBody) {
        if (input().size() < m_request.contentLength && (!pullInput() || input().size() < m_request.contentLength)) {
            return false;
        }
        m_request.body = input().first(m_request.contentLength).toByteArray();
        consumeInput(m_request.contentLength);
        dispatch();
        return m_state == State::Idle;
    }
    return false;
}

bool HttpConnection::upgradeHeadersValid(QString* problem, int* status) const
{
    if (m_request.method != "GET") {
        *problem = QStringLiteral("a WebSocket upgrade must use GET");
        *status = 400;
        return false;
    }
    if (m_request.header("sec-websocket-version") != "13") {
        *problem = QStringLiteral("only WebSocket version 13 is spoken here");
        *status = 426;
        return false;
    }
    *status = 400;
    const QByteArray key = m_request.header("sec-websocket-key");
    if (QByteArray::fromBase64(key).size() != 16) {
        *problem = QStringLiteral("missing or malformed Sec-WebSocket-Key");
        return false;
    }
    return true;
}

void HttpConnection::dispatch()
{
    const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
    const HttpRequest request = std::move(m_request);
    m_request = {};
    const HttpResponse response = m_settings.handler(request);
    // The path only: the query may hold a token.
    const QByteArray logLine = request.method + ' ' + request.path.left(120);
    const bool headOnly = request.method == "HEAD";
    if (response.deferred && !response.deferred->response()) {
        m_state = State::Waiting;
        m_deferred = response.deferred;
        m_deferredKeepAlive = request.keepAlive;
        m_deferredHeadOnly = headOnly;
        m_deferredLogLine = logLine;
        m_deferredStartMs = startMs;
        m_timer.start(m_settings.requestTimeoutMs);
        connect(m_deferred.get(), &DeferredResponse::resolved, this, &HttpConnection::onDeferredResolved);
        return;
    }
    const HttpResponse& answer = response.deferred ? *response.deferred->response() : response;
    qCInfo(lcHttp).noquote() << QString::fromUtf8(logLine) << answer.status
                             << QStringLiteral("%1ms").arg(QDateTime::currentMSecsSinceEpoch() - startMs);
    respond(answer, request.keepAlive, headOnly);
}

void HttpConnection::onDeferredResolved()
{
    if (!m_socket || m_finished || m_state != State::Waiting || !m_deferred) {
        return;
    }
    const std::shared_ptr<DeferredResponse> deferred = std::move(m_deferred);
    disconnect(deferred.get(), nullptr, this, nullptr);
    const HttpResponse& answer = *deferred->response();
    qCInfo(lcHttp).noquote() << QString::fromUtf8(m_deferredLogLine) << answer.status
                             << QStringLiteral("%1ms").arg(QDateTime::currentMSecsSinceEpoch() - m_deferredStartMs);
    respond(answer, m_deferredKeepAlive, m_deferredHeadOnly);
    if (m_state == State::Idle) {
        // Requests pipelined behind this one wait in the socket's buffer, and no
        // readyRead will announce them again.
        QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
    }
}

void HttpConnection::respond(const HttpResponse& response, bool keepAlive, bool headOnly)
{
    const bool keep = keepAlive && !response.closeConnection;
    m_socket->write(response.serialize(keep, headOnly));
    if (keep) {
        m_state = State::Idle;
        m_timer.start(m_settings.idleTimeoutMs);
    } else {
        // The client closes after reading the answer; if it does not, the timer does.
        m_state = State::Closing;
        m_lingering = true;
        m_timer.start(lingerMs);
        process();
    }
}

void HttpConnection::fail(int status, const QString& code, const QString& message)
{
    // The rest of what the client sent is not read: answer and close.
    HttpResponse response = HttpResponse::error(status, code, message);
    response.closeConnection = true;
    respond(response, false, false);
}

void HttpConnection::onTimeout()
{
    switch (m_state) {
    case State::Idle:
        close();
        break;
    case State::ReadingHead:
    case State::ReadingBody:
        qCInfo(lcHttp) << "request timed out";
        fail(408, QStringLiteral("request_timeout"), QStringLiteral("the request did not arrive in time"));
        break;
    case State::Waiting:
        qCWarning(lcHttp).noquote() << QString::fromUtf8(m_deferredLogLine) << "got no answer in time";
        if (m_deferred) {
            disconnect(m_deferred.get(), nullptr, this, nullptr);
            m_deferred.reset();
        }
        fail(503, QStringLiteral("unavailable"), QStringLiteral("the server could not answer in time; try again"));
        break;
    case State::Closing:
        if (m_lingering && m_socket) {
            // Flush what is left of the answer, then give up on the client.
            m_lingering = false;
            m_socket->disconnectFromHost();
            m_timer.start(m_settings.requestTimeoutMs);
        } else {
            close();
        }
        break;
    }
}

void HttpConnection::handOver()
{
    m_timer.stop();
    // QWebSocketServer reads the upgrade request itself: what was taken from the
    // socket goes back, last byte first.
    const QByteArrayView taken = input();
    for (qsizetype i = taken.size() - 1; i >= 0; --i) {
        m_socket->ungetChar(taken.at(i));
    }
    m_input.clear();
    m_inputStart = 0;
    QTcpSocket* socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->setReadBufferSize(0); // WebSocket messages are bounded by their own limits
    socket->setParent(nullptr);
    m_settings.handOver(socket);
    m_finished = true;
    Q_EMIT finished();
    deleteLater();
}

void HttpConnection::close()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_timer.stop();
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
    Q_EMIT finished();
    deleteLater();
}

} // namespace handoff::server
