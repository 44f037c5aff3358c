#include "core/protocol/SessionLinkParser.h"

#include "core/protocol/ProtocolError.h"

#include <QByteArray>
#include <QList>

#include <algorithm>
#include <optional>
#include <utility>

namespace handoff::protocol {

namespace {

using namespace Qt::StringLiterals;

using Parser = SessionLinkParser;

bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

bool isBase64Url(QChar c)
{
    return isAsciiAlnum(c) || c == u'-' || c == u'_';
}

// Whitespace, control and invisible format characters (bidi overrides, zero-width
// spaces) have no place inside a link and are a classic way to disguise one.
std::optional<Error> checkCharacters(QStringView text, QLatin1StringView what)
{
    if (!text.isValidUtf16())
        return makeError(Parser::ErrorUnparseable, u"The %1 holds broken characters (invalid UTF-16)."_s.arg(what));
    for (const QChar c : text) {
        if (c.isSpace()) {
            return makeError(Parser::ErrorWhitespace,
                             u"The %1 has a space or line break inside it. Copy the whole link again."_s.arg(what));
        }
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format) {
            return makeError(Parser::ErrorControlCharacter,
                             u"The %1 holds control or invisible formatting characters."_s.arg(what));
        }
    }
    return std::nullopt;
}

// The scheme as written before the first ':', lower-cased; empty when there is none.
QString schemeOf(QStringView text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0)
        return {};
    const QStringView scheme = text.left(colon);
    const auto schemeChar = [](QChar c) { return isAsciiAlnum(c) || c == u'+' || c == u'-' || c == u'.'; };
    if (!scheme.front().isLetter() || scheme.front().unicode() > 0x7f
        || !std::all_of(scheme.begin(), scheme.end(), schemeChar)) {
        return {};
    }
    return scheme.toString().toLower();
}

// True when the authority ("//...") holds an '@', even an empty user info
// ("https://@host") that QUrl would silently drop.
bool hasUserInfo(QStringView text)
{
    const qsizetype start = text.indexOf(u"//"_s);
    if (start < 0)
        return false;
    const QStringView authority = text.mid(start + 2);
    for (const QChar c : authority) {
        if (c == u'/' || c == u'?' || c == u'#')
            return false;
        if (c == u'@')
            return true;
    }
    return false;
}

// Host, port and user info of an http(s) URL, shared by both link forms.
std::optional<Error> checkAuthority(const QUrl& url, QStringView raw, QLatin1StringView what)
{
    if (hasUserInfo(raw) || !url.userInfo().isEmpty()) {
        return makeError(Parser::ErrorUserInfo,
                         u"The %1 holds a user name or password before the host ('user@host'), a common trick to "
                         u"disguise where a link leads. It was not opened."_s.arg(what));
    }
    if (url.host().isEmpty())
        return makeError(Parser::ErrorMissingHost, u"The %1 names no server host."_s.arg(what));
    if (url.port() == 0)
        return makeError(Parser::ErrorBadPort, u"The %1 names port 0, which no server listens on."_s.arg(what));
    return std::nullopt;
}

// A base path prefix ("" or "/a/b", percent-encoded): no empty, "." or ".." segment.
bool isCleanPrefix(QStringView prefix)
{
    if (prefix.isEmpty())
        return true;
    if (prefix.front() != u'/')
        return false;
    const QList<QStringView> segments = prefix.mid(1).split(u'/');
    return std::none_of(segments.begin(), segments.end(), [](QStringView segment) {
        if (segment.isEmpty())
            return true;
        // "." and "..", also when written as %2e.
        QString decoded = segment.toString();
        decoded.replace(u"%2e"_s, u"."_s, Qt::CaseInsensitive);
        return decoded == u"."_s || decoded == u".."_s;
    });
}

// scheme, host and port of url with the given path: the normalised server base.
QUrl makeBase(const QUrl& url, QStringView prefix)
{
    QUrl base = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    if ((base.scheme() == u"https"_s && base.port() == 443) || (base.scheme() == u"http"_s && base.port() == 80))
        base.setPort(-1);
    base.setPath(prefix.toString(), QUrl::StrictMode);
    return base;
}

std::optional<Error> checkSessionId(QStringView sessionId)
{
    if (!Parser::isValidSessionId(sessionId)) {
        return makeError(Parser::ErrorBadSessionId,
                         u"The link's session id is malformed: it must be 'sess_' followed by %1 to %2 letters and "
                         u"digits."_s.arg(Parser::MinSessionIdSuffixLength)
                             .arg(Parser::MaxSessionIdSuffixLength));
    }
    return std::nullopt;
}

struct Secrets {
    QString token;
    std::optional<QByteArray> fingerprint;
    std::optional<QByteArray> viewerSecret;
};

// 22 base64url characters that are the canonical spelling of 16 bytes: the 4
// spare bits of the last character are zero, so re-encoding gives the same text.
std::optional<QByteArray> decodeSixteenBytes(QStringView text)
{
    static_assert(Parser::FingerprintSize == Parser::ViewerSecretSize);
    if (text.size() != Parser::FingerprintTextLength || !std::all_of(text.begin(), text.end(), isBase64Url))
        return std::nullopt;
    const QByteArray latin1 = text.toLatin1();
    const auto decoding = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    const QByteArray::FromBase64Result decoded
        = QByteArray::fromBase64Encoding(latin1, decoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != Parser::FingerprintSize || decoded.decoded.toBase64(decoding) != latin1)
        return std::nullopt;
    return decoded.decoded;
}

// The fragment: t=<viewer token>[&k=<fingerprint>][&s=<viewer secret>], in any
// order, other keys ignored.
Result<Secrets> parseFragment(const QUrl& url)
{
    const QString fragment = url.fragment(QUrl::FullyEncoded);
    if (fragment.isEmpty()) {
        return makeError(Parser::ErrorMissingFragment,
                         u"The link has no '#t=...' part: it lacks the viewer token. Copy the whole link, including "
                         u"everything after '#'."_s);
    }
    std::optional<QStringView> token;
    std::optional<QStringView> fingerprint;
    std::optional<QStringView> viewerSecret;
    for (const QStringView item : QStringView(fragment).split(u'&')) {
        if (item.isEmpty())
            continue;
        const qsizetype equals = item.indexOf(u'=');
        const QStringView key = equals < 0 ? item : item.left(equals);
        const QStringView value = equals < 0 ? QStringView() : item.mid(equals + 1);
        std::optional<QStringView>* slot = nullptr;
        if (key == u"t"_s)
            slot = &token;
        else if (key == u"k"_s)
            slot = &fingerprint;
        else if (key == u"s"_s)
            slot = &viewerSecret;
        else
            continue;
        if (slot->has_value()) {
            return makeError(Parser::ErrorDuplicateParameter,
                             u"The link's '#' part names '%1' twice, so it is ambiguous."_s.arg(key));
        }
        *slot = value;
    }
    if (!token)
        return makeError(Parser::ErrorMissingToken, u"The link's '#' part has no viewer token (t=...)."_s);
    if (!Parser::isValidToken(*token)) {
        return makeError(Parser::ErrorBadToken,
                         u"The link's viewer token (t=...) is malformed: it must be %1 to %2 base64url characters."_s
                             .arg(Parser::MinTokenLength)
                             .arg(Parser::MaxTokenLength));
    }
    Secrets secrets { token->toString(), std::nullopt, std::nullopt };
    if (fingerprint) {
        secrets.fingerprint = decodeSixteenBytes(*fingerprint);
        if (!secrets.fingerprint) {
            return makeError(Parser::ErrorBadKeyFingerprint,
                             u"The link's key fingerprint (k=...) is malformed: it must be %1 base64url characters "
                             u"encoding %2 bytes."_s.arg(Parser::FingerprintTextLength)
                                 .arg(Parser::FingerprintSize));
        }
    }
    if (viewerSecret) {
        secrets.viewerSecret = decodeSixteenBytes(*viewerSecret);
        if (!secrets.viewerSecret) {
            return makeError(Parser::ErrorBadViewerSecret,
                             u"The link's s=... part, with which the app proves itself to the agent, is malformed: it "
                             u"must be %1 base64url characters encoding %2 bytes. Copy the whole link again."_s.arg(Parser::ViewerSecretTextLength)
                                 .arg(Parser::ViewerSecretSize));
        }
    }
    return secrets;
}

struct Parts {
    QUrl serverBase;
    QString sessionId;
    Secrets secrets;
};

// <public_base>/s/<session_id>#...
Result<Parts> parseWebLink(const QUrl& url, QStringView raw)
{
    if (auto error = checkAuthority(url, raw, "link"_L1))
        return *std::move(error);
    const QString path = url.path(QUrl::FullyEncoded);
    const qsizetype marker = path.lastIndexOf(u"/s/"_s);
    if (marker < 0) {
        return makeError(Parser::ErrorNotSessionLink,
                         u"The link is not a Handoff session link: its path has no '/s/<session id>'."_s);
    }
    // The last "/s/": a server may itself live under a path with an "s" segment.
    const QStringView prefix = QStringView(path).left(marker);
    const QStringView sessionId = QStringView(path).mid(marker + 3);
    if (sessionId.contains(u'/'))
        return makeError(Parser::ErrorUnexpectedPath, u"The link has extra path segments after the session id."_s);
    if (auto error = checkSessionId(sessionId))
        return *std::move(error);
    if (!isCleanPrefix(prefix)) {
        return makeError(Parser::ErrorUnexpectedPath,
                         u"The link's path before '/s/' has empty, '.' or '..' segments."_s);
    }
    if (url.hasQuery()) {
        return makeError(Parser::ErrorUnexpectedQuery,
                         u"The link has a '?' part, which Handoff session links never have."_s);
    }
    Result<Secrets> secrets = parseFragment(url);
    if (!secrets)
        return secrets.error();
    return Parts { makeBase(url, prefix), sessionId.toString(), std::move(secrets).value() };
}

// The server parameter of a handoff:// link, already percent-decoded.
Result<QUrl> parseServerParameter(const QString& server)
{
    const auto bad = [](const QString& why) {
        return makeError(Parser::ErrorBadServer,
                         u"The link's server parameter is not a usable server address: %1"_s.arg(why));
    };
    if (server.isEmpty())
        return bad(u"it is empty."_s);
    if (auto error = checkCharacters(server, "link's server parameter"_L1))
        return *std::move(error);
    const QString scheme = schemeOf(server);
    if (scheme != u"https"_s && scheme != u"http"_s) {
        return makeError(Parser::ErrorBadServerScheme,
                         u"The link's server parameter must be an https:// (or http://) address."_s);
    }
    const QUrl url(server, QUrl::StrictMode);
    if (!url.isValid())
        return bad(u"it cannot be read as a URL."_s);
    if (auto error = checkAuthority(url, server, "link's server parameter"_L1))
        return *std::move(error);
    if (url.hasQuery() || url.hasFragment())
        return bad(u"it has a '?' or '#' part."_s);
    QString prefix = url.path(QUrl::FullyEncoded);
    if (prefix.endsWith(u'/'))
        prefix.chop(1); // "https://relay.example.com/" names the same base as without the slash
    if (!isCleanPrefix(prefix))
        return bad(u"its path has empty, '.' or '..' segments."_s);
    return makeBase(url, prefix);
}

// handoff://s/<session_id>?server=<public_base>#...
Result<Parts> parseHandoffLink(const QUrl& url, QStringView raw)
{
    if (hasUserInfo(raw) || !url.userInfo().isEmpty()) {
        return makeError(Parser::ErrorUserInfo,
                         u"The link holds a user name or password ('user@'), which Handoff links never have."_s);
    }
    if (url.host() != u"s"_s || url.port() != -1) {
        return makeError(Parser::ErrorBadHandoffHost,
                         u"A handoff:// link must start with 'handoff://s/' followed by the session id."_s);
    }
    const QString path = url.path(QUrl::FullyEncoded);
    if (path.size() < 2 || path.front() != u'/') {
        return makeError(Parser::ErrorNotSessionLink,
                         u"The link is not a Handoff session link: it names no session after 'handoff://s/'."_s);
    }
    const QStringView sessionId = QStringView(path).mid(1);
    if (sessionId.contains(u'/'))
        return makeError(Parser::ErrorUnexpectedPath, u"The link has extra path segments after the session id."_s);
    if (auto error = checkSessionId(sessionId))
        return *std::move(error);

    std::optional<QStringView> serverValue;
    const QString query = url.query(QUrl::FullyEncoded);
    for (const QStringView item : QStringView(query).split(u'&')) {
        if (item.isEmpty())
            continue;
        const qsizetype equals = item.indexOf(u'=');
        const QStringView key = equals < 0 ? item : item.left(equals);
        if (key != u"server"_s) {
            return makeError(Parser::ErrorUnexpectedQuery,
                             u"The link's '?' part holds a parameter other than 'server'."_s);
        }
        if (serverValue) {
            return makeError(Parser::ErrorDuplicateParameter,
                             u"The link's '?' part names 'server' twice, so it is ambiguous."_s);
        }
        serverValue = equals < 0 ? QStringView() : item.mid(equals + 1);
    }
    if (!serverValue) {
        return makeError(Parser::ErrorMissingServer,
                         u"The handoff:// link does not say which server runs the session (?server=...)."_s);
    }
    Result<QUrl> base = parseServerParameter(QUrl::fromPercentEncoding(serverValue->toUtf8()));
    if (!base)
        return base.error();
    Result<Secrets> secrets = parseFragment(url);
    if (!secrets)
        return secrets.error();
    return Parts { std::move(base).value(), sessionId.toString(), std::move(secrets).value() };
}

} // namespace

bool SessionLinkParser::isValidSessionId(QStringView sessionId)
{
    constexpr QStringView prefix = u"sess_";
    if (!sessionId.startsWith(prefix))
        return false;
    const QStringView suffix = sessionId.mid(prefix.size());
    return suffix.size() >= MinSessionIdSuffixLength && suffix.size() <= MaxSessionIdSuffixLength
        && std::all_of(suffix.begin(), suffix.end(), isAsciiAlnum);
}

bool SessionLinkParser::isValidToken(QStringView token)
{
    return token.size() >= MinTokenLength && token.size() <= MaxTokenLength
        && std::all_of(token.begin(), token.end(), isBase64Url);
}

Result<SessionLink> SessionLinkParser::parse(QStringView text)
{
    const QStringView link = text.trimmed();
    if (link.isEmpty())
        return makeError(ErrorEmpty, u"The link is empty."_s);
    if (link.size() > MaxLinkLength)
        return makeError(
            ErrorTooLong,
            u"The link is longer than %1 characters, far more than any session link."_s.arg(MaxLinkLength));
    if (auto error = checkCharacters(link, "link"_L1))
        return *std::move(error);

    const QString scheme = schemeOf(link);
    const bool web = scheme == u"https"_s || scheme == u"http"_s;
    if (!web && scheme != u"handoff"_s) {
        return makeError(ErrorBadScheme, u"The link must start with https://, http:// or handoff://."_s);
    }
    const QUrl url(link.toString(), QUrl::StrictMode);
    if (!url.isValid()) {
        // QUrl::errorString() quotes the whole link, token included: never pass it on.
        return makeError(ErrorUnparseable, u"The link is not a well-formed URL."_s);
    }
    Result<Parts> parts = web ? parseWebLink(url, link) : parseHandoffLink(url, link);
    if (!parts)
        return parts.error();
    Parts& p = parts.value();
    SessionLink parsed(std::move(p.serverBase), std::move(p.sessionId), std::move(p.secrets.token),
                       std::move(p.secrets.fingerprint), std::move(p.secrets.viewerSecret));
    // Its other spelling must fit too, or a link we accept could be handed on as one
    // we refuse: handoff:// percent-encodes the server once more, so a non-ASCII
    // path prefix grows ninefold there (as with pairing links, which the fuzzer caught).
    if (parsed.toHandoffUrl().toString(QUrl::FullyEncoded).size() > MaxLinkLength
        || parsed.toWebUrl().toString(QUrl::FullyEncoded).size() > MaxLinkLength) {
        return makeError(ErrorTooLong,
                         u"The link is longer than %1 characters once written as a handoff:// link."_s.arg(MaxLinkLength));
    }
    return parsed;
}

Result<SessionLink> SessionLinkParser::parse(const QUrl& url)
{
    if (!url.isValid())
        return makeError(ErrorUnparseable, u"The link is not a well-formed URL."_s);
    return parse(url.toString(QUrl::FullyEncoded));
}

} // namespace handoff::protocol
