#include "agent/cdp/CdpClient.h"

#include "agent/AgentLogging.h"
#include "agent/cdp/CdpMessage.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QWebSocket>

namespace handoff::agent {

namespace {
constexpr int DiscoveryTimeoutMs = 10000;
constexpr int TimeoutTickMs = 100;
} // namespace

CdpClient::CdpClient(QObject* parent)
    : QObject(parent)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_network(new QNetworkAccessManager(this))
{
    m_socket->setMaxAllowedIncomingMessageSize(MaxIncomingMessageBytes);
    m_socket->setMaxAllowedIncomingFrameSize(MaxIncomingMessageBytes);
    m_targetRetry.setSingleShot(true);
    connect(&m_targetRetry, &QTimer::timeout, this, &CdpClient::requestTargetList);
    m_timeoutTimer.setInterval(TimeoutTickMs);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &CdpClient::checkTimeouts);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this](QAbstractSocket::SocketError) {
        if (m_connecting && !m_open) {
            m_connecting = false;
            fail(Error{QStringLiteral("cdp_connect"),
                       QStringLiteral("could not open the DevTools socket: %1").arg(m_socket->errorString())});
        }
    });
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_connecting = false;
        m_open = true;
        qCInfo(lcCdp) << "connected to DevTools target" << m_target.id;
        Q_EMIT connected();
    });
    connect(m_socket, &QWebSocket::disconnected, this, &CdpClient::onSocketClosed);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &CdpClient::onTextMessage);
}

CdpClient::~CdpClient()
{
    // Callbacks may capture objects that are being destroyed with us: drop them.
    m_pending.clear();
    m_socket->disconnect(this);
    if (m_discovery) {
        m_discovery->disconnect(this);
        m_discovery->abort();
    }
}

void CdpClient::connectTo(const QUrl& endpoint, const QString& targetSelector)
{
    if (CdpTargets::isPageSocketUrl(endpoint)) {
        m_target = CdpTarget{};
        m_target.id = endpoint.path().section(QLatin1Char('/'), -1);
        m_target.type = QStringLiteral("page");
        m_target.webSocketDebuggerUrl = endpoint;
        openSocket(endpoint);
        return;
    }
    Result<QUrl> base = CdpTargets::discoveryBase(endpoint);
    if (!base) {
        fail(base.error());
        return;
    }
    m_listUrl = *base;
    m_listUrl.setPath(QStringLiteral("/json/list"));
    m_targetSelector = targetSelector;
    m_targetDeadline = QDeadlineTimer(m_targetWaitMs);
    requestTargetList();
}

void CdpClient::requestTargetList()
{
    QNetworkRequest request(m_listUrl);
    request.setTransferTimeout(DiscoveryTimeoutMs);
    QNetworkReply* reply = m_network->get(request);
    m_discovery = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onDiscoveryFinished(reply); });
}

void CdpClient::onDiscoveryFinished(QNetworkReply* reply)
{
    reply->deleteLater();
    m_discovery.clear();
    if (reply->error() != QNetworkReply::NoError) {
        fail(Error{QStringLiteral("cdp_discovery"),
                   QStringLiteral("could not list the DevTools targets: %1").arg(reply->errorString())});
        return;
    }
    const QByteArray body = reply->read(CdpTargets::MaxListBytes + 1);
    Result<QList<CdpTarget>> targets = CdpTargets::parseList(body);
    if (!targets) {
        fail(targets.error());
        return;
    }
    Result<CdpTarget> chosen = CdpTargets::choose(*targets, m_targetSelector);
    if (!chosen && chosen.error().code == QLatin1String("cdp_no_target") && !m_targetDeadline.hasExpired()) {
        m_targetRetry.start(TargetRetryMs);
        return;
    }
    if (!chosen) {
        fail(chosen.error());
        return;
    }
    m_target = *chosen;
    openSocket(m_target.webSocketDebuggerUrl);
}

void CdpClient::openSocket(const QUrl& wsUrl)
{
    m_connecting = true;
    m_socket->open(wsUrl);
}

void CdpClient::fail(const Error& error)
{
    qCWarning(lcCdp).noquote() << "DevTools connection failed:" << error.code;
    Q_EMIT connectFailed(error);
}

void CdpClient::disconnectFromTarget()
{
    m_targetRetry.stop();
    if (m_discovery) {
        m_discovery->abort();
    }
    if (m_socket->state() != QAbstractSocket::UnconnectedState) {
        m_socket->close();
    }
    if (m_open) {
        onSocketClosed();
    }
}

bool CdpClient::isConnected() const
{
    return m_open;
}

qint64 CdpClient::send(const QString& method, const QJsonObject& params, Callback callback, int timeoutMs)
{
    if (!m_open) {
        if (callback) {
            QMetaObject::invokeMethod(
                this,
                [callback = std::move(callback), method] {
                    callback(Error{QStringLiteral("cdp_closed"),
                                   QStringLiteral("%1: the DevTools connection is not open").arg(method)});
                },
                Qt::QueuedConnection);
        }
        return -1;
    }
    const qint64 id = m_nextId++;
    QJsonObject message{{QStringLiteral("id"), id}, {QStringLiteral("method"), method}};
    if (!params.isEmpty()) {
        message.insert(QStringLiteral("params"), params);
    }
    m_pending.insert(id, Pending{method, std::move(callback), QDeadlineTimer(timeoutMs)});
    if (!m_timeoutTimer.isActive()) {
        m_timeoutTimer.start();
    }
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    qCDebug(lcCdp).noquote() << "->" << id << method;
    Q_EMIT commandWritten(id, method);
    return id;
}

void CdpClient::onTextMessage(const QString& text)
{
    const Result<CdpMessage> message = CdpMessage::parse(text.toUtf8());
    if (!message) {
        if (message.error().code == QLatin1String("not_json")) {
            qCWarning(lcCdp) << "ignored a DevTools message that is not a JSON object";
        }
        return;
    }
    if (message->kind == CdpMessage::Kind::Event) {
        Q_EMIT eventReceived(message->method, message->params);
        return;
    }
    auto it = m_pending.find(message->id);
    if (it == m_pending.end()) {
        qCDebug(lcCdp) << "answer to an unknown or timed-out command" << message->id;
        return;
    }
    Pending pending = std::move(it.value());
    m_pending.erase(it);
    if (message->kind == CdpMessage::Kind::Error) {
        qCDebug(lcCdp).noquote() << "<-" << message->id << pending.method << "error" << message->errorCode;
        if (pending.callback) {
            pending.callback(Error{QStringLiteral("cdp_error"), QStringLiteral("%1: %2 (%3)")
                                                                    .arg(pending.method, message->errorMessage)
                                                                    .arg(message->errorCode)});
        }
        return;
    }
    qCDebug(lcCdp).noquote() << "<-" << message->id << pending.method;
    if (pending.callback) {
        pending.callback(message->result);
    }
}

void CdpClient::checkTimeouts()
{
    QList<qint64> expired;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it->deadline.hasExpired()) {
            expired.append(it.key());
        }
    }
    for (qint64 id : std::as_const(expired)) {
        auto it = m_pending.find(id);
        if (it == m_pending.end()) {
            continue; // a previous callback's effects removed it
        }
        Pending pending = std::move(it.value());
        m_pending.erase(it);
        qCWarning(lcCdp).noquote() << "command timed out:" << pending.method;
        if (pending.callback) {
            pending.callback(
                Error{QStringLiteral("cdp_timeout"), QStringLiteral("%1: no answer from the browser").arg(pending.method)});
        }
    }
    if (m_pending.isEmpty()) {
        m_timeoutTimer.stop();
    }
}

void CdpClient::onSocketClosed()
{
    const bool wasOpen = m_open;
    m_open = false;
    failAll(Error{QStringLiteral("cdp_closed"), QStringLiteral("the DevTools connection closed")});
    if (wasOpen) {
        const QString reason = m_socket->closeReason().isEmpty() ? QStringLiteral("connection closed")
                                                                 : m_socket->closeReason();
        qCInfo(lcCdp).noquote() << "DevTools connection closed";
        Q_EMIT disconnected(reason);
    }
}

void CdpClient::failAll(const Error& error)
{
    QHash<qint64, Pending> pending;
    pending.swap(m_pending);
    m_timeoutTimer.stop();
    for (auto it = pending.begin(); it != pending.end(); ++it) {
        if (it->callback) {
            it->callback(Error{error.code, QStringLiteral("%1: %2").arg(it->method, error.message)});
        }
    }
}

} // namespace handoff::agent
