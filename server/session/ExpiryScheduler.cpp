#include "server/session/ExpiryScheduler.h"

#include "server/app/Logging.h"
#include "server/session/SessionService.h"
#include "server/store/SessionStore.h"

#include <QDateTime>

namespace handoff::server {

namespace {
constexpr qint64 maxWaitMs = 60 * 60 * 1000;
}

ExpiryScheduler::ExpiryScheduler(SessionService& service, SessionStore& store, QObject* parent)
    : QObject(parent)
    , m_service(service)
    , m_store(store)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ExpiryScheduler::onTimeout);
    connect(&m_service, &SessionService::sessionCreated, this, [this](qint64 expiresAtMs) {
        if (m_armedFor < 0 || expiresAtMs < m_armedFor) {
            reschedule();
        }
    });
    m_purgeTimer.setInterval(std::chrono::hours(1));
    connect(&m_purgeTimer, &QTimer::timeout, this, &ExpiryScheduler::purge);
}

void ExpiryScheduler::start()
{
    purge();
    m_purgeTimer.start();
    onTimeout(); // sessions that expired while the server was down end now
}

void ExpiryScheduler::reschedule()
{
    Result<std::optional<qint64>> next = m_store.nextExpiry();
    if (!next) {
        qCWarning(lcSession).noquote() << next.error().message;
        m_armedFor = -1;
        m_timer.start(std::chrono::seconds(5)); // try again
        return;
    }
    if (!next->has_value()) {
        m_armedFor = -1;
        m_timer.stop();
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 wait = std::clamp<qint64>(**next - now, 0, maxWaitMs);
    m_armedFor = **next;
    m_timer.start(std::chrono::milliseconds(wait));
}

void ExpiryScheduler::onTimeout()
{
    m_service.expireDue();
    reschedule();
}

void ExpiryScheduler::purge()
{
    Result<int> purged = m_store.purgeEndedBefore(QDateTime::currentMSecsSinceEpoch() - RetainEndedMs);
    if (!purged) {
        qCWarning(lcSession).noquote() << purged.error().message;
    } else if (*purged > 0) {
        qCInfo(lcSession) << "deleted" << *purged << "sessions that ended over a week ago";
    }
}

} // namespace handoff::server
