#include "server/relay/StreamRelay.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"
#include "server/app/Logging.h"
#include "server/relay/RelayPeer.h"
#include "server/relay/RelayRoom.h"
#include "server/session/SessionService.h"

#include <QUrlQuery>
#include <QWebSocket>

namespace handoff::server {

namespace {
constexpr QByteArrayView streamPrefix = "/stream/";
constexpr int maxWaitingViewers = 4;
} // namespace

StreamRelay::StreamRelay(SessionService& sessions, RelayLimits limits, Metrics& metrics, QObject* parent)
    : QObject(parent)
    , m_sessions(sessions)
    , m_limits(limits)
    , m_metrics(metrics)
{
    m_pingTimer.setInterval(m_limits.pingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &StreamRelay::pingAll);
    m_pingTimer.start();
    connect(&m_sessions, &SessionService::sessionEnded, this, &StreamRelay::onSessionEnded);
}

StreamRelay::~StreamRelay()
{
    // Refused sockets still closing (a QWebSocket destroyed while connected leaks in Qt 6.4).
    for (QWebSocket* socket : findChildren<QWebSocket*>(Qt::FindDirectChildrenOnly)) {
        socket->abort();
    }
}

bool StreamRelay::isStreamPath(const QByteArray& path)
{
    return path.startsWith(streamPrefix) && path.size() > streamPrefix.size();
}

void StreamRelay::refuse(QWebSocket* socket, int code, const QString& reason)
{
    qCInfo(lcRelay).noquote() << "refused a stream connection:" << code << reason;
    socket->setParent(this);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    // A client that never answers the close is cut off.
    QPointer<QWebSocket> guard(socket);
    QTimer::singleShot(3000, this, [guard] {
        if (guard) {
            guard->abort();
            guard->deleteLater();
        }
    });
}

void StreamRelay::accept(QWebSocket* socket)
{
    socket->setMaxAllowedIncomingMessageSize(quint64(m_limits.maxBinaryMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(m_limits.maxBinaryMessageBytes));

    const QUrl url = socket->requestUrl();
    const QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    const QByteArray sessionId = path.mid(streamPrefix.size());
    const QUrlQuery query(url);
    const QString role = query.queryItemValue(QStringLiteral("role"), QUrl::FullyDecoded);
    const QByteArray token = query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toLatin1();

    if (!isStreamPath(path) || !SessionService::isWellFormedId(sessionId)) {
        refuse(socket, CloseCode::NotFound, QStringLiteral("unknown session"));
        return;
    }
    Result<std::optional<SessionRecord>> found = m_sessions.find(QString::fromLatin1(sessionId));
    if (!found) {
        qCWarning(lcRelay).noquote() << found.error().message;
        refuse(socket, 1011, QStringLiteral("server error"));
        return;
    }
    if (!found->has_value()) {
        refuse(socket, CloseCode::NotFound, QStringLiteral("unknown session"));
        return;
    }
    const SessionRecord& record = **found;
    PeerRole peerRole = PeerRole::Agent;
    if (role == QLatin1String("agent")) {
        peerRole = PeerRole::Agent;
    } else if (role == QLatin1String("viewer")) {
        peerRole = PeerRole::Viewer;
    } else {
        refuse(socket, CloseCode::NotFound, QStringLiteral("unknown role: use role=agent or role=viewer"));
        return;
    }
    const QByteArray& expected = peerRole == PeerRole::Agent ? record.streamTokenHash : record.viewerTokenHash;
    if (token.isEmpty() || !crypto::ConstantTime::equal(crypto::Digest::sha256(token), expected)) {
        refuse(socket, CloseCode::Unauthorized, QStringLiteral("invalid token"));
        return;
    }
    if (isTerminal(record.status)) {
        refuse(socket, CloseCode::Gone, QStringLiteral("session %1").arg(toString(record.status).toLower()));
        return;
    }
    RelayRoom* room = roomFor(record);
    if (peerRole == PeerRole::Agent && room->hasAgent()) {
        refuse(socket, CloseCode::Conflict, QStringLiteral("an agent is already connected to this session"));
        return;
    }
    if (peerRole == PeerRole::Viewer && room->waitingViewers() >= maxWaitingViewers) {
        refuse(socket, CloseCode::Conflict, QStringLiteral("too many viewer connections"));
        return;
    }
    auto* peer = new RelayPeer(socket, peerRole, m_limits, m_metrics, this);
    m_peers.append(peer);
    connect(peer, &QObject::destroyed, this, [this] { m_peers.removeAll(nullptr); });
    if (peerRole == PeerRole::Agent) {
        room->addAgent(peer);
    } else {
        room->addViewer(peer);
    }
}

RelayRoom* StreamRelay::roomFor(const SessionRecord& record)
{
    if (RelayRoom* room = m_rooms.value(record.id)) {
        return room;
    }
    auto* room = new RelayRoom(record, m_sessions, m_limits, m_metrics, this);
    m_rooms.insert(record.id, room);
    connect(room, &RelayRoom::emptied, this, [this](const QString& id) {
        if (RelayRoom* emptied = m_rooms.take(id)) {
            emptied->deleteLater();
        }
    });
    return room;
}

void StreamRelay::onSessionEnded(const QString& sessionId, SessionStatus status)
{
    if (RelayRoom* room = m_rooms.value(sessionId)) {
        room->end(status);
    }
}

void StreamRelay::pingAll()
{
    const QList<QPointer<RelayPeer>> peers = m_peers;
    for (const QPointer<RelayPeer>& peer : peers) {
        if (!peer) {
            continue;
        }
        if (peer->silentForMs() > m_limits.pongTimeoutMs) {
            qCInfo(lcRelay) << "dropping a socket silent for" << peer->silentForMs() << "ms";
            peer->abort();
        } else {
            peer->ping();
        }
    }
}

void StreamRelay::shutdown()
{
    m_pingTimer.stop();
    const QList<QPointer<RelayPeer>> peers = m_peers;
    for (const QPointer<RelayPeer>& peer : peers) {
        if (peer) {
            peer->closeWith(CloseCode::GoingAway, QStringLiteral("server shutting down"));
        }
    }
}

} // namespace handoff::server
