#include "server/ciba/UserCodeChecker.h"

#include "server/device/UserCodeHash.h"

#include <QMetaObject>

namespace handoff::server {

UserCodeChecker::UserCodeChecker(QObject* parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(Threads);
}

UserCodeChecker::~UserCodeChecker()
{
    m_pool.clear();
    // Nothing posts to this object after it is gone; answers already posted are
    // dropped with it.
    m_pool.waitForDone();
}

bool UserCodeChecker::check(const StoredUserCode& stored, const QString& presented, std::function<void(bool)> done)
{
    if (m_queued >= MaxQueued) {
        return false;
    }
    ++m_queued;
    m_pool.start([this, stored, presented, done = std::move(done)]() mutable {
        const bool matches = UserCodeHash::matches(stored.salt, stored.hash, presented);
        QMetaObject::invokeMethod(
            this,
            [this, matches, done = std::move(done)] {
                --m_queued;
                done(matches);
            },
            Qt::QueuedConnection);
    });
    return true;
}

} // namespace handoff::server
