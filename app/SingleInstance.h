#pragma once

// One app per user and desktop. The first instance holds a lock file and
// listens on a local socket that only this user can reach; a later instance
// finds the lock taken, hands its message over the socket and exits. A lock
// left behind by a crashed instance is recognised (its process is gone) and
// taken over, and so is its socket file.
//
// Lock and socket live in a folder only this user can reach (PrivateFolder): the
// XDG runtime folder when the session has a private one, else "handoff" in the
// user's cache folder; never a name in the shared /tmp that another local user
// could take first. --instance-dir / HANDOFF_INSTANCE_DIR names another folder
// (it must be private too), which lets tests run instances side by side without
// touching the real one.

#include "app/InstanceMessage.h"
#include "core/common/Result.h"

#include <QLocalServer>
#include <QLockFile>
#include <QObject>
#include <QString>

#include <memory>

namespace handoff::app {

class SingleInstance final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    enum class Role { Primary, Secondary };

    // `directory` empty: the default per-user folder.
    explicit SingleInstance(const QString& directory, QObject* parent = nullptr);
    ~SingleInstance() override;

    // Becomes the first instance (lock taken, listening) or finds that another
    // one runs. Fails only when neither is possible (say, an unwritable folder).
    Result<Role> claim();

    // As a second instance: delivers `message` and waits for the first to accept it.
    Result<void> sendToPrimary(const InstanceMessage& message, int timeoutMs = 5000);

    QString serverName() const { return m_serverName; }
    QString lockPath() const { return m_lockPath; }

    static QString defaultDirectory();

Q_SIGNALS:
    void messageReceived(const handoff::app::InstanceMessage& message);

private:
    void acceptConnections();
    Result<void> listen();

    QString m_serverName;
    QString m_lockPath;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer* m_server = nullptr;
};

} // namespace handoff::app
