#include "app/SingleInstance.h"

#include "app/PrivateFolder.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QThread>

Q_LOGGING_CATEGORY(lcInstance, "handoff.instance", QtInfoMsg)

namespace handoff::app {

namespace {

// How long a second instance waits for a first one that holds the lock but is
// still starting up and not yet listening.
constexpr int StartupGraceMs = 3000;
constexpr int RetryIntervalMs = 50;

QString userKey()
{
    // Some stable per-user text; hashed so that a user name never ends up in a path.
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    user += QDir::homePath();
    return QString::fromLatin1(QCryptographicHash::hash(user.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
}

} // namespace

SingleInstance::SingleInstance(const QString& directory, QObject* parent) : QObject(parent)
{
    const QString dir = directory.isEmpty() ? defaultDirectory() : directory;
    const QString base = QStringLiteral("handoff-") + userKey();
    m_lockPath = QDir(dir).filePath(base + QStringLiteral(".lock"));
#ifdef Q_OS_WIN
    m_serverName = base; // a named pipe, per-user through UserAccessOption
#else
    m_serverName = QDir(dir).filePath(base + QStringLiteral(".socket"));
#endif
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultDirectory()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    // Not QStandardPaths::RuntimeLocation: without XDG_RUNTIME_DIR it falls back to
    // /tmp/runtime-<user>, a name anyone can create first.
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QDir::isAbsolutePath(runtime) && PrivateFolder::isPrivate(runtime))
        return runtime;
#else
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (!runtime.isEmpty() && !runtime.startsWith(QDir::tempPath()))
        return runtime;
#endif
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)).filePath(QStringLiteral("handoff"));
}

Result<SingleInstance::Role> SingleInstance::claim()
{
    if (Result<void> folder = PrivateFolder::ensure(QFileInfo(m_lockPath).absolutePath()); !folder)
        return folder.error();
    m_lock = std::make_unique<QLockFile>(m_lockPath);
    // Never stale by age: a running first instance may hold it for weeks. A lock
    // whose process is gone is still detected as stale and taken over.
    m_lock->setStaleLockTime(0);
    if (m_lock->tryLock(0)) {
        if (auto listening = listen(); !listening)
            return listening.error();
        return Role::Primary;
    }
    if (m_lock->error() == QLockFile::LockFailedError)
        return Role::Secondary;
    return Result<Role>::failure(QStringLiteral("lock_failed"),
                                 QStringLiteral("Could not create the lock file %1.").arg(m_lockPath));
}

Result<void> SingleInstance::listen()
{
    // We hold the lock, so a socket file that exists was left by a crashed instance.
    QLocalServer::removeServer(m_serverName);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_serverName)) {
        return Result<void>::failure(QStringLiteral("listen_failed"),
                                     QStringLiteral("Could not listen for other instances: %1")
                                         .arg(m_server->errorString()));
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::acceptConnections);
    return {};
}

void SingleInstance::acceptConnections()
{
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket, buffer = QByteArray()]() mutable {
            buffer += socket->readAll();
            for (;;) {
                auto taken = InstanceMessage::takeFrom(buffer);
                if (!taken) {
                    qCWarning(lcInstance) << "Dropping a bad message from another instance:" << taken.error().message;
                    socket->abort();
                    return;
                }
                if (!taken->has_value())
                    return;
                const InstanceMessage message = std::move(**taken);
                if (message.type == InstanceMessage::Type::Accepted)
                    continue;
                socket->write(InstanceMessage{InstanceMessage::Type::Accepted, {}}.encode());
                socket->flush();
                Q_EMIT messageReceived(message);
            }
        });
    }
}

Result<void> SingleInstance::sendToPrimary(const InstanceMessage& message, int timeoutMs)
{
    const QDeadlineTimer deadline(qMax(timeoutMs, StartupGraceMs));
    QLocalSocket socket;
    for (;;) {
        socket.connectToServer(m_serverName);
        if (socket.waitForConnected(int(qMin<qint64>(deadline.remainingTime(), 1000))))
            break;
        if (deadline.hasExpired()) {
            return Result<void>::failure(QStringLiteral("no_primary"),
                                         QStringLiteral("Another Handoff is running but does not answer (%1).")
                                             .arg(socket.errorString()));
        }
        QThread::msleep(RetryIntervalMs);
    }

    socket.write(message.encode());
    if (!socket.waitForBytesWritten(int(deadline.remainingTime())))
        return Result<void>::failure(QStringLiteral("send_failed"),
                                     QStringLiteral("Could not hand the link to the running Handoff."));

    QByteArray buffer;
    while (!deadline.hasExpired()) {
        if (!socket.waitForReadyRead(int(deadline.remainingTime())))
            break;
        buffer += socket.readAll();
        auto taken = InstanceMessage::takeFrom(buffer);
        if (!taken)
            break;
        if (taken->has_value() && (*taken)->type == InstanceMessage::Type::Accepted)
            return {};
    }
    return Result<void>::failure(QStringLiteral("not_accepted"),
                                 QStringLiteral("The running Handoff did not confirm that it took the link."));
}

} // namespace handoff::app
