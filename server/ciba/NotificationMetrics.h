#pragma once

// What /metrics says about ping and push notifications, in the Prometheus text
// format: a counter of attempts by mode and result since start
// (handoff_ciba_notifications_total{mode, result}: result "delivered" for a 2xx,
// "retry" for a failed attempt that will be tried again, "failed" for one given
// up), and a gauge of the outbox by state read from the database at render time
// (handoff_ciba_notifications{state}: pending, delivered, failed), so a failure
// stays visible across restarts.

#include <QByteArray>
#include <QMap>
#include <QPair>
#include <QString>

namespace handoff::server {

class NotificationMetrics final {
public:
    void count(const QString& mode, const QString& result);
    qint64 value(const QString& mode, const QString& result) const { return m_counts.value({mode, result}); }

    QByteArray render(const QMap<QString, qint64>& outboxByState) const;

private:
    QMap<QPair<QString, QString>, qint64> m_counts;
};

} // namespace handoff::server
