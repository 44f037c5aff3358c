#include "core/device/PairingLink.h"

#include <QUrlQuery>

namespace handoff::device {

namespace {

constexpr qsizetype maxLinkLength = 2048;
constexpr qsizetype tokenLength = 43;

Error bad(const QString& why)
{
    return Error{QStringLiteral("invalid_pairing_link"), QStringLiteral("This is not a valid pairing link: %1.").arg(why)};
}

bool isBase64Url(const QString& text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '-' || u == '_';
    });
}

Result<QString> tokenFromFragment(const QString& fragment)
{
    const QUrlQuery items(fragment);
    const QString token = items.queryItemValue(QStringLiteral("t"), QUrl::FullyDecoded);
    if (token.size() != tokenLength || !isBase64Url(token)) {
        return bad(QStringLiteral("its token is missing or malformed"));
    }
    return token;
}

Result<QUrl> checkServer(QUrl server)
{
    if (!server.isValid() || server.host().isEmpty()
        || (server.scheme() != QLatin1String("http") && server.scheme() != QLatin1String("https"))
        || !server.userInfo().isEmpty() || server.hasQuery() || server.hasFragment()) {
        return bad(QStringLiteral("its server address must be a plain http or https URL"));
    }
    QString path = server.path();
    while (path.endsWith(QLatin1Char('/'))) {
        path.chop(1);
    }
    server.setPath(path);
    return server;
}

} // namespace

bool PairingLink::looksLikePairingLink(const QString& text)
{
    const QUrl url(text.trimmed());
    if (url.scheme() == QLatin1String("handoff")) {
        return url.host() == QLatin1String("pair");
    }
    return (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
           && url.path().endsWith(QLatin1String("/pair")) && url.hasFragment();
}

Result<PairingLink> PairingLink::parse(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.size() > maxLinkLength) {
        return bad(QStringLiteral("it is too long"));
    }
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid()) {
        return bad(QStringLiteral("it cannot be read as a URL"));
    }
    PairingLink link;
    if (url.scheme() == QLatin1String("handoff")) {
        if (url.host() != QLatin1String("pair") || !(url.path().isEmpty() || url.path() == QLatin1String("/"))) {
            return bad(QStringLiteral("it is a Handoff link of another kind"));
        }
        const QString server = QUrlQuery(url).queryItemValue(QStringLiteral("server"), QUrl::FullyDecoded);
        Result<QUrl> checked = checkServer(QUrl(server, QUrl::StrictMode));
        if (!checked) {
            return checked.error();
        }
        link.server = *checked;
    } else if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) {
        QUrl server = url.adjusted(QUrl::RemoveFragment | QUrl::RemoveQuery);
        QString path = server.path();
        if (!path.endsWith(QLatin1String("/pair"))) {
            return bad(QStringLiteral("it does not lead to /pair"));
        }
        path.chop(5);
        server.setPath(path);
        Result<QUrl> checked = checkServer(server);
        if (!checked) {
            return checked.error();
        }
        link.server = *checked;
    } else {
        return bad(QStringLiteral("it must start with handoff:// or http(s)://"));
    }
    Result<QString> token = tokenFromFragment(url.fragment(QUrl::FullyEncoded));
    if (!token) {
        return token.error();
    }
    link.token = *token;
    // The limit holds for both spellings too, or a link the app accepts could print
    // as one it refuses: the handoff:// form percent-encodes the server a second
    // time, so a non-ASCII path grows ninefold there.
    if (link.toAppLink().size() > maxLinkLength || link.toWebLink().size() > maxLinkLength) {
        return bad(QStringLiteral("it is too long"));
    }
    return link;
}

QString PairingLink::toAppLink() const
{
    QUrl url;
    url.setScheme(QStringLiteral("handoff"));
    url.setHost(QStringLiteral("pair"));
    url.setQuery(QStringLiteral("server=")
                     + QString::fromLatin1(QUrl::toPercentEncoding(server.toString(QUrl::FullyEncoded))),
                 QUrl::StrictMode);
    url.setFragment(QStringLiteral("t=") + token);
    return url.toString(QUrl::FullyEncoded);
}

QString PairingLink::toWebLink() const
{
    QUrl url = server;
    url.setPath(server.path() + QStringLiteral("/pair"));
    url.setFragment(QStringLiteral("t=") + token);
    return url.toString(QUrl::FullyEncoded);
}

} // namespace handoff::device
