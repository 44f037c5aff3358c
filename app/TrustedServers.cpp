#include "app/TrustedServers.h"

#include <QSettings>

namespace handoff::app {

namespace {

const QString SettingsKey = QStringLiteral("trust/servers");

int defaultPort(const QString& scheme)
{
    if (scheme == QLatin1String("https"))
        return 443;
    if (scheme == QLatin1String("http"))
        return 80;
    return -1;
}

} // namespace

TrustedServers::TrustedServers(QSettings* settings, QObject* parent) : QObject(parent), m_settings(settings) {}

QString TrustedServers::originOf(const QUrl& server)
{
    const QString scheme = server.scheme().toLower();
    const QString host = server.host(QUrl::FullyEncoded).toLower();
    if (scheme.isEmpty() || host.isEmpty())
        return {};
    QString origin = scheme + QStringLiteral("://") + host;
    const int port = server.port(defaultPort(scheme));
    if (port != defaultPort(scheme))
        origin += QLatin1Char(':') + QString::number(port);
    return origin;
}

bool TrustedServers::isTrusted(const QUrl& server) const
{
    const QString origin = originOf(server);
    return !origin.isEmpty() && origins().contains(origin);
}

void TrustedServers::trust(const QUrl& server)
{
    const QString origin = originOf(server);
    QStringList list = origins();
    if (origin.isEmpty() || list.contains(origin))
        return;
    list.append(origin);
    save(list);
}

void TrustedServers::remove(const QString& origin)
{
    QStringList list = origins();
    if (list.removeAll(origin) > 0)
        save(list);
}

QStringList TrustedServers::origins() const
{
    return m_settings->value(SettingsKey).toStringList();
}

void TrustedServers::save(const QStringList& origins)
{
    m_settings->setValue(SettingsKey, origins);
    m_settings->sync();
    Q_EMIT changed();
}

} // namespace handoff::app
