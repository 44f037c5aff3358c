#include "server/ciba/NotificationMetrics.h"

namespace handoff::server {

void NotificationMetrics::count(const QString& mode, const QString& result)
{
    ++m_counts[{mode, result}];
}

QByteArray NotificationMetrics::render(const QMap<QString, qint64>& outboxByState) const
{
    QByteArray out;
    out += "# HELP handoff_ciba_notifications_total CIBA ping and push notification attempts by mode and result.\n"
           "# TYPE handoff_ciba_notifications_total counter\n";
    for (const char* mode : {"ping", "push"}) {
        for (const char* result : {"delivered", "retry", "failed"}) {
            out += QByteArray("handoff_ciba_notifications_total{mode=\"") + mode + "\",result=\"" + result + "\"} "
                   + QByteArray::number(value(QString::fromLatin1(mode), QString::fromLatin1(result))) + '\n';
        }
    }
    out += "# HELP handoff_ciba_notifications CIBA notifications in the outbox by state.\n"
           "# TYPE handoff_ciba_notifications gauge\n";
    for (const char* state : {"pending", "delivered", "failed", "superseded"}) {
        out += QByteArray("handoff_ciba_notifications{state=\"") + state + "\"} "
               + QByteArray::number(outboxByState.value(QString::fromLatin1(state))) + '\n';
    }
    return out;
}

} // namespace handoff::server
