#include "server/app/PublicUrls.h"

namespace handoff::server {

QString PublicUrls::sessionUrl(const QString& sessionId, const QByteArray& viewerToken) const
{
    return base() + QStringLiteral("/s/") + sessionId + QStringLiteral("#t=") + QString::fromLatin1(viewerToken);
}

QString PublicUrls::streamUrl(const QString& sessionId) const
{
    QUrl url = m_base;
    url.setScheme(m_base.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(m_base.path() + QStringLiteral("/stream/") + sessionId);
    return url.toString(QUrl::FullyEncoded);
}

} // namespace handoff::server
