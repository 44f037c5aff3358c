#pragma once

// The URLs handed out to agents and people, built from the public base URL
// (--public-url, or the listen address): session links and stream URLs.

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace handoff::server {

class PublicUrls final {
public:
    explicit PublicUrls(QUrl base) : m_base(std::move(base)) {}

    QString base() const { return m_base.toString(QUrl::FullyEncoded); }
    // <base>/s/<id>#t=<viewer_token>
    QString sessionUrl(const QString& sessionId, const QByteArray& viewerToken) const;
    // ws(s)://<host>[:port][/prefix]/stream/<id>; agents append ?role=agent&token=...
    QString streamUrl(const QString& sessionId) const;

private:
    QUrl m_base;
};

} // namespace handoff::server
