#include "app/PrivateFolder.h"

#include <QDir>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace handoff::app {

bool PrivateFolder::isPrivate(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists() || info.isSymLink() || !info.isDir()) {
        return false;
    }
#ifdef Q_OS_UNIX
    if (info.ownerId() != uint(::geteuid())) {
        return false;
    }
    return !(info.permissions() & (QFileDevice::WriteGroup | QFileDevice::WriteOther));
#else
    return true; // per-user profile folders; the local server is per-user through UserAccessOption
#endif
}

Result<void> PrivateFolder::ensure(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink()) {
        QDir().mkpath(info.absolutePath());
        if (!QDir().mkdir(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)
            && !QFileInfo::exists(path)) {
            return Result<void>::failure(QStringLiteral("folder"),
                                         QStringLiteral("Could not create the folder %1.").arg(path));
        }
    }
    if (!isPrivate(path)) {
        return Result<void>::failure(QStringLiteral("folder_not_private"),
                                     QStringLiteral("The folder %1 is not private to you (another user owns it or may "
                                                    "write to it), so Handoff will not keep its instance lock there.")
                                         .arg(path));
    }
    return {};
}

} // namespace handoff::app
