#pragma once

// Checks presented user codes against their stored hash (UserCodeHash, 20,000
// PBKDF2 rounds) on worker threads, so that a burst of /bc-authorize requests
// never stalls the event loop that serves everyone else. The answer comes back
// on the thread that owns the checker. At most MaxQueued checks wait or run at
// once; beyond that check() refuses and the caller answers "slow down".

#include "server/device/UserStore.h"

#include <QObject>
#include <QThreadPool>

#include <functional>

namespace handoff::server {

class UserCodeChecker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UserCodeChecker)

public:
    explicit UserCodeChecker(QObject* parent = nullptr);
    // Waits for the checks under way; their answers are dropped.
    ~UserCodeChecker() override;

    static constexpr int MaxQueued = 32;
    static constexpr int Threads = 2;

    // Calls `done(matches)` later, on this object's thread. False (and no call)
    // when MaxQueued checks are already waiting.
    bool check(const StoredUserCode& stored, const QString& presented, std::function<void(bool matches)> done);
    int queued() const { return m_queued; }

private:
    QThreadPool m_pool;
    int m_queued = 0;
};

} // namespace handoff::server
