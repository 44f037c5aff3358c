#include "SessionLink.h"

#include <QUrlQuery>

#include <utility>

namespace handoff::protocol {

using namespace Qt::StringLiterals;

SessionLink::SessionLink(QUrl serverBase, QString sessionId, QString viewerToken,
                         std::optional<QByteArray> keyFingerprint, std::optional<QByteArray> viewerSecret)
    : m_serverBase(std::move(serverBase)),
      m_sessionId(std::move(sessionId)),
      m_viewerToken(std::move(viewerToken)),
      m_keyFingerprint(std::move(keyFingerprint)),
      m_viewerSecret(std::move(viewerSecret))
{
}

bool SessionLink::usesTls() const
{
    return m_serverBase.scheme() == u"https"_s;
}

QString SessionLink::fragment() const
{
    const auto b64url = [](const QByteArray& raw) {
        return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    QString fragment = u"t="_s + m_viewerToken;
    if (m_keyFingerprint)
        fragment += u"&k="_s + b64url(*m_keyFingerprint);
    if (m_viewerSecret)
        fragment += u"&s="_s + b64url(*m_viewerSecret);
    return fragment;
}

QUrl SessionLink::streamUrl() const
{
    QUrl url = m_serverBase;
    url.setScheme(usesTls() ? u"wss"_s : u"ws"_s);
    // The base path is kept percent-encoded; the session id is plain base62.
    url.setPath(m_serverBase.path(QUrl::FullyEncoded) + u"/stream/"_s + m_sessionId, QUrl::StrictMode);
    QUrlQuery query;
    query.addQueryItem(u"role"_s, u"viewer"_s);
    query.addQueryItem(u"token"_s, m_viewerToken);
    url.setQuery(query);
    return url;
}

QUrl SessionLink::toWebUrl() const
{
    QUrl url = m_serverBase;
    url.setPath(m_serverBase.path(QUrl::FullyEncoded) + u"/s/"_s + m_sessionId, QUrl::StrictMode);
    url.setFragment(fragment(), QUrl::StrictMode);
    return url;
}

QUrl SessionLink::toHandoffUrl() const
{
    QUrl url;
    url.setScheme(u"handoff"_s);
    url.setHost(u"s"_s);
    url.setPath(u"/"_s + m_sessionId, QUrl::StrictMode);
    // Fully percent-encoded, so the base's own ':' '/' '?' '&' can never be read as
    // part of the handoff link.
    const QByteArray server = QUrl::toPercentEncoding(m_serverBase.toString(QUrl::FullyEncoded));
    url.setQuery(u"server="_s + QString::fromLatin1(server), QUrl::StrictMode);
    url.setFragment(fragment(), QUrl::StrictMode);
    return url;
}

QString SessionLink::describe() const
{
    QString text = m_serverBase.toString(QUrl::FullyEncoded) + u"/s/"_s + m_sessionId;
    // A link may spell its secrets in its public part too (a server path that
    // repeats the token): the loggable form still never shows them.
    text.replace(m_viewerToken, u"[secret]"_s);
    if (m_viewerSecret) {
        text.replace(QString::fromLatin1(m_viewerSecret->toBase64(QByteArray::Base64UrlEncoding
                                                                  | QByteArray::OmitTrailingEquals)),
                     u"[secret]"_s);
    }
    return text;
}

} // namespace handoff::protocol
