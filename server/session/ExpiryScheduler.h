#pragma once

// Enforces session TTLs with a timer armed for the earliest live expiry, so a
// session times out on time even when no one is connected or asking. Re-armed on
// start (sessions from before a restart) and whenever a session is created. Also
// deletes sessions that ended long ago.

#include <QObject>
#include <QTimer>

namespace handoff::server {

class SessionService;
class SessionStore;

class ExpiryScheduler final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExpiryScheduler)

public:
    ExpiryScheduler(SessionService& service, SessionStore& store, QObject* parent = nullptr);

    void start();
    void reschedule();

    static constexpr qint64 RetainEndedMs = 7LL * 24 * 3600 * 1000;

private:
    void onTimeout();
    void purge();

    SessionService& m_service;
    SessionStore& m_store;
    QTimer m_timer;
    QTimer m_purgeTimer;
    qint64 m_armedFor = -1;
};

} // namespace handoff::server
