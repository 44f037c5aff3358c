// Session links of PROTOCOL section 1, both forms: what is accepted and how it is
// normalised, every way a link is rejected (with its own code, and never the token
// in the message), and the links and stream URL built from a parsed link.

#include "core/protocol/SessionLink.h"
#include "core/protocol/SessionLinkParser.h"
#include "tests/support/FuzzSeed.h"

#include <QTest>
#include <QUrlQuery>

using handoff::protocol::SessionLink;
using handoff::protocol::SessionLinkParser;
using namespace Qt::StringLiterals;

namespace {

// Every token in this file starts with the marker, so no message may contain it.
const QString Marker = u"SeCrEt"_s;
const QString Token = u"SeCrEt-tok_0123456789AB"_s;
const QString Id = u"sess_4f8Kq2LmN7pXz9RtV3wY1a"_s;
const QString K = u"AAECAwQFBgcICQoLDA0ODw"_s; // bytes 00..0f
const QString K2 = u"-_-_AAECAwQFBgcICQoLDA"_s; // bytes fb ff bf 00..0c
const QByteArray KBytes = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f");
const QByteArray K2Bytes = QByteArray::fromHex("fbffbf000102030405060708090a0b0c");
const QString Relay = u"https://relay.example.com"_s;

QString web(const QString& fragment = u"t="_s + Token)
{
    return Relay + u"/s/"_s + Id + u"#"_s + fragment;
}

QString deep(const QString& query, const QString& fragment = u"t="_s + Token)
{
    return u"handoff://s/"_s + Id + u"?"_s + query + u"#"_s + fragment;
}

QString encoded(const QString& text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

} // namespace

class TestSessionLinkParser final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void good_data();
    void good();
    void bad_data();
    void bad();
    void streamUrl_data();
    void streamUrl();
    void builtLinks();
    void viewerSecret();
    void describeHidesSecretsRepeatedInThePath();
    void fromQUrl();
    void validators();
};

// ---------------------------------------------------------------- good links

void TestSessionLinkParser::good_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("serverBase");
    QTest::addColumn<QString>("sessionId");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QByteArray>("fingerprint"); // empty: none

    const QString t = u"t="_s + Token;
    const QString tk = t + u"&k="_s + K;
    const QByteArray none;

    QTest::newRow("web, token only") << web() << Relay << Id << Token << none;
    QTest::newRow("web, token and key") << web(tk) << Relay << Id << Token << KBytes;
    QTest::newRow("web, key before token") << web(u"k="_s + K2 + u"&"_s + t) << Relay << Id << Token << K2Bytes;
    QTest::newRow("web, port") << u"https://relay.example.com:8443/s/"_s + Id + u"#"_s + tk
                               << u"https://relay.example.com:8443"_s << Id << Token << KBytes;
    QTest::newRow("web, default https port dropped")
        << u"https://relay.example.com:443/s/"_s + Id + u"#"_s + t << Relay << Id << Token << none;
    QTest::newRow("web, default http port dropped")
        << u"http://localhost:80/s/"_s + Id + u"#"_s + t << u"http://localhost"_s << Id << Token << none;
    QTest::newRow("web, http on localhost")
        << u"http://localhost:8080/s/"_s + Id + u"#"_s + tk << u"http://localhost:8080"_s << Id << Token << KBytes;
    QTest::newRow("web, path prefix") << u"https://relay.example.com/handoff/s/"_s + Id + u"#"_s + tk
                                      << u"https://relay.example.com/handoff"_s << Id << Token << KBytes;
    QTest::newRow("web, deep path prefix") << u"https://example.com/tools/handoff/v1/s/"_s + Id + u"#"_s + t
                                           << u"https://example.com/tools/handoff/v1"_s << Id << Token << none;
    QTest::newRow("web, prefix ending in an s segment")
        << u"https://example.com/s/s/"_s + Id + u"#"_s + t << u"https://example.com/s"_s << Id << Token << none;
    QTest::newRow("web, upper-case scheme and host")
        << u"HTTPS://Relay.Example.COM/s/"_s + Id + u"#"_s + t << Relay << Id << Token << none;
    QTest::newRow("web, IPv4") << u"http://127.0.0.1:9000/s/"_s + Id + u"#"_s + t << u"http://127.0.0.1:9000"_s << Id
                               << Token << none;
    QTest::newRow("web, IPv6") << u"https://[::1]:8443/s/"_s + Id + u"#"_s + t << u"https://[::1]:8443"_s << Id << Token
                               << none;
    // RFC 3986: an encoded unreserved character is the character itself (QUrl decodes it).
    QTest::newRow("web, token with an encoded letter")
        << web(u"t=SeCrEt%41tok_0123456789AB"_s) << Relay << Id << u"SeCrEtAtok_0123456789AB"_s << none;
    QTest::newRow("web, unknown fragment key ignored") << web(t + u"&v=3&k="_s + K) << Relay << Id << Token << KBytes;
    QTest::newRow("web, empty fragment items ignored")
        << web(u"&"_s + t + u"&&k="_s + K + u"&"_s) << Relay << Id << Token << KBytes;
    QTest::newRow("pasted with newline and spaces")
        << u"  \n"_s + web(tk) + u"\r\n\t "_s << Relay << Id << Token << KBytes;
    QTest::newRow("shortest token (16)") << web(u"t=SeCrEt0123456789"_s) << Relay << Id << u"SeCrEt0123456789"_s
                                         << none;
    QTest::newRow("longest token (256)") << web(u"t="_s + Marker + QString(250, u'x')) << Relay << Id
                                         << Marker + QString(250, u'x') << none;
    const QString longId = u"sess_"_s + QString(64, u'Z');
    QTest::newRow("longest session id (64)")
        << Relay + u"/s/"_s + longId + u"#"_s + t << Relay << longId << Token << none;

    QTest::newRow("handoff, encoded server")
        << deep(u"server="_s + encoded(Relay), tk) << Relay << Id << Token << KBytes;
    QTest::newRow("handoff, plain server") << deep(u"server="_s + Relay, tk) << Relay << Id << Token << KBytes;
    QTest::newRow("handoff, server with port and prefix")
        << deep(u"server="_s + encoded(u"https://relay.example.com:8443/handoff"_s), t)
        << u"https://relay.example.com:8443/handoff"_s << Id << Token << none;
    QTest::newRow("handoff, plain server with port and prefix")
        << deep(u"server=https://relay.example.com:8443/handoff"_s, t) << u"https://relay.example.com:8443/handoff"_s
        << Id << Token << none;
    QTest::newRow("handoff, server with a trailing slash")
        << deep(u"server="_s + encoded(Relay + u"/"_s), t) << Relay << Id << Token << none;
    QTest::newRow("handoff, http server") << deep(u"server="_s + encoded(u"http://127.0.0.1:8080"_s), tk)
                                          << u"http://127.0.0.1:8080"_s << Id << Token << KBytes;
    QTest::newRow("handoff, upper-case scheme")
        << u"HANDOFF://s/"_s + Id + u"?server="_s + encoded(Relay) + u"#"_s + t << Relay << Id << Token << none;
    QTest::newRow("handoff, server default port dropped")
        << deep(u"server="_s + encoded(u"https://relay.example.com:443"_s), t) << Relay << Id << Token << none;
}

void TestSessionLinkParser::good()
{
    QFETCH(QString, link);
    QFETCH(QString, serverBase);
    QFETCH(QString, sessionId);
    QFETCH(QString, token);
    QFETCH(QByteArray, fingerprint);
    handoff::testutil::recordFuzzSeed("session_link", link);

    const auto parsed = SessionLinkParser::parse(link);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().code + u": "_s + parsed.error().message));
    QCOMPARE(parsed->serverBase().toString(QUrl::FullyEncoded), serverBase);
    QVERIFY(parsed->serverBase().isValid());
    QCOMPARE(parsed->sessionId(), sessionId);
    QCOMPARE(parsed->viewerToken(), token);
    QCOMPARE(parsed->hasKeyFingerprint(), !fingerprint.isEmpty());
    if (!fingerprint.isEmpty()) {
        QCOMPARE(*parsed->keyFingerprint(), fingerprint);
        QCOMPARE(parsed->keyFingerprint()->size(), SessionLinkParser::FingerprintSize);
    }
    QCOMPARE(parsed->usesTls(), serverBase.startsWith(u"https:"_s));

    // Both forms built from the parsed link parse back to the same link.
    const QString webForm = parsed->toWebUrl().toString(QUrl::FullyEncoded);
    const QString deepForm = parsed->toHandoffUrl().toString(QUrl::FullyEncoded);
    const auto fromWeb = SessionLinkParser::parse(webForm);
    const auto fromDeep = SessionLinkParser::parse(deepForm);
    QVERIFY2(fromWeb.ok(), qPrintable(fromWeb.ok() ? QString() : fromWeb.error().code));
    QVERIFY2(fromDeep.ok(), qPrintable(fromDeep.ok() ? QString() : fromDeep.error().code));
    QVERIFY(*fromWeb == *parsed);
    QVERIFY(*fromDeep == *parsed);

    // describe() is safe to log.
    QVERIFY(!parsed->describe().contains(token));
    QCOMPARE(parsed->describe(), serverBase + u"/s/"_s + sessionId);
}

// ---------------------------------------------------------------- bad links

void TestSessionLinkParser::bad_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("code");

    using P = SessionLinkParser;
    const QString t = u"t="_s + Token;
    const QString path = u"/s/"_s + Id + u"#"_s + t;
    const QString server = u"server="_s + encoded(Relay);

    // Shape of the text.
    QTest::newRow("empty") << QString() << QString(P::ErrorEmpty);
    QTest::newRow("only whitespace") << u" \n\t "_s << QString(P::ErrorEmpty);
    QTest::newRow("too long") << web(u"t="_s + Token + u"&pad="_s + QString(4100, u'a')) << QString(P::ErrorTooLong);
    // 477 characters whose handoff:// form takes 4102 (the fuzzer found the like in pairing links).
    QTest::newRow("too long as a handoff:// link")
        << u"https://relay.example.com/"_s + QString(400, QChar(0xe9)) + u"/s/"_s + Id + u"#t="_s + Token
        << QString(P::ErrorTooLong);
    QTest::newRow("space inside") << web(u"t=SeCrEt-tok_01234 56789AB"_s) << QString(P::ErrorWhitespace);
    QTest::newRow("line break inside") << Relay + u"/s/\n"_s + Id + u"#"_s + t << QString(P::ErrorWhitespace);
    QTest::newRow("no-break space inside") << web(t + u"\u00a0"_s + u"x"_s) << QString(P::ErrorWhitespace);
    QTest::newRow("control character") << web(t + u"\u0001"_s) << QString(P::ErrorControlCharacter);
    QTest::newRow("DEL") << web(t + u"\u007f"_s) << QString(P::ErrorControlCharacter);
    QTest::newRow("right-to-left override")
        << u"https://relay.example.com\u202e/s/"_s + Id + u"#"_s + t << QString(P::ErrorControlCharacter);
    QTest::newRow("zero-width space") << u"https://relay.exa\u200bmple.com"_s + path
                                      << QString(P::ErrorControlCharacter);

    // Scheme.
    QTest::newRow("no scheme") << u"relay.example.com"_s + path << QString(P::ErrorBadScheme);
    QTest::newRow("javascript") << u"javascript:alert(1)//s/"_s + Id + u"#"_s + t << QString(P::ErrorBadScheme);
    QTest::newRow("file") << u"file:///s/"_s + Id + u"#"_s + t << QString(P::ErrorBadScheme);
    QTest::newRow("ftp") << u"ftp://relay.example.com"_s + path << QString(P::ErrorBadScheme);
    QTest::newRow("ws") << u"ws://relay.example.com"_s + path << QString(P::ErrorBadScheme);
    QTest::newRow("data") << u"data:text/html,hello"_s << QString(P::ErrorBadScheme);
    QTest::newRow("fullwidth h in scheme") << u"\uff48ttps://relay.example.com"_s + path << QString(P::ErrorBadScheme);

    // Authority.
    QTest::newRow("unparseable port") << u"https://relay.example.com:99999"_s + path << QString(P::ErrorUnparseable);
    QTest::newRow("unclosed IPv6") << u"https://[::1"_s + path << QString(P::ErrorUnparseable);
    QTest::newRow("backslash trick") << u"https://evil.example\\@relay.example.com"_s + path
                                     << QString(P::ErrorUnparseable);
    QTest::newRow("bad percent escape") << u"https://relay.example.com/s/sess_%zz#"_s + t
                                        << QString(P::ErrorUnparseable);
    QTest::newRow("no host") << u"https:///s/"_s + Id + u"#"_s + t << QString(P::ErrorMissingHost);
    QTest::newRow("no slashes") << u"https:relay.example.com"_s + path << QString(P::ErrorMissingHost);
    QTest::newRow("port 0") << u"https://relay.example.com:0"_s + path << QString(P::ErrorBadPort);
    QTest::newRow("user and password") << u"https://user:pass@relay.example.com"_s + path << QString(P::ErrorUserInfo);
    QTest::newRow("trusted name as user")
        << u"https://relay.example.com@evil.example"_s + path << QString(P::ErrorUserInfo);
    QTest::newRow("empty user info") << u"https://@relay.example.com"_s + path << QString(P::ErrorUserInfo);

    // Path.
    QTest::newRow("no /s/") << Relay + u"/x/"_s + Id + u"#"_s + t << QString(P::ErrorNotSessionLink);
    QTest::newRow("root only") << Relay + u"/#"_s + t << QString(P::ErrorNotSessionLink);
    QTest::newRow("stream path, not a link")
        << Relay + u"/stream/"_s + Id + u"#"_s + t << QString(P::ErrorNotSessionLink);
    QTest::newRow("session id without prefix")
        << Relay + u"/s/4f8Kq2LmN7pXz9RtV3wY1a#"_s + t << QString(P::ErrorBadSessionId);
    QTest::newRow("session id 21 chars") << Relay + u"/s/sess_4f8Kq2LmN7pXz9RtV3wY1#"_s + t
                                         << QString(P::ErrorBadSessionId);
    QTest::newRow("session id 65 chars") << Relay + u"/s/sess_"_s + QString(65, u'a') + u"#"_s + t
                                         << QString(P::ErrorBadSessionId);
    QTest::newRow("session id with a dash")
        << Relay + u"/s/sess_4f8Kq2LmN7pX-9RtV3wY1a#"_s + t << QString(P::ErrorBadSessionId);
    QTest::newRow("session id encoded slash")
        << Relay + u"/s/sess_4f8Kq2LmN7pXz9RtV3wY1a%2F..#"_s + t << QString(P::ErrorBadSessionId);
    QTest::newRow("empty session id") << Relay + u"/s/#"_s + t << QString(P::ErrorBadSessionId);
    QTest::newRow("extra segment") << Relay + u"/s/"_s + Id + u"/admin#"_s + t << QString(P::ErrorUnexpectedPath);
    QTest::newRow("trailing slash") << Relay + u"/s/"_s + Id + u"/#"_s + t << QString(P::ErrorUnexpectedPath);
    QTest::newRow("dot-dot in prefix") << Relay + u"/a/../s/"_s + Id + u"#"_s + t << QString(P::ErrorUnexpectedPath);
    QTest::newRow("encoded dot-dot in prefix")
        << Relay + u"/a/%2e%2E/s/"_s + Id + u"#"_s + t << QString(P::ErrorUnexpectedPath);
    QTest::newRow("empty segment in prefix") << Relay + u"//s/"_s + Id + u"#"_s + t << QString(P::ErrorUnexpectedPath);
    QTest::newRow("query on a web link") << Relay + u"/s/"_s + Id + u"?server=https://evil.example#"_s + t
                                         << QString(P::ErrorUnexpectedQuery);

    // Fragment.
    QTest::newRow("no fragment") << Relay + u"/s/"_s + Id << QString(P::ErrorMissingFragment);
    QTest::newRow("empty fragment") << Relay + u"/s/"_s + Id + u"#"_s << QString(P::ErrorMissingFragment);
    QTest::newRow("token in the query instead")
        << Relay + u"/s/"_s + Id + u"?t="_s + Token << QString(P::ErrorUnexpectedQuery);
    QTest::newRow("no t") << web(u"k="_s + K) << QString(P::ErrorMissingToken);
    QTest::newRow("T in upper case") << web(u"T="_s + Token) << QString(P::ErrorMissingToken);
    QTest::newRow("empty t") << web(u"t=&k="_s + K) << QString(P::ErrorBadToken);
    QTest::newRow("t without =") << web(u"t"_s) << QString(P::ErrorBadToken);
    QTest::newRow("token 15 chars") << web(u"t=SeCrEt123456789"_s) << QString(P::ErrorBadToken);
    QTest::newRow("token 257 chars") << web(u"t="_s + Marker + QString(251, u'x')) << QString(P::ErrorBadToken);
    QTest::newRow("token with +") << web(u"t=SeCrEt+tok/0123456789AB"_s) << QString(P::ErrorBadToken);
    QTest::newRow("token with padding") << web(u"t="_s + Token + u"=="_s) << QString(P::ErrorBadToken);
    QTest::newRow("token with an encoded +") << web(u"t=SeCrEt%2Btok_0123456789AB"_s) << QString(P::ErrorBadToken);
    QTest::newRow("token with an encoded space") << web(u"t=SeCrEt%20tok_0123456789AB"_s) << QString(P::ErrorBadToken);
    QTest::newRow("token with a second #") << web(u"t="_s + Token + u"#x"_s) << QString(P::ErrorBadToken);
    QTest::newRow("t twice") << web(u"t="_s + Token + u"&t=SeCrEtOtherToken0123"_s)
                             << QString(P::ErrorDuplicateParameter);
    QTest::newRow("k twice") << web(t + u"&k="_s + K + u"&k="_s + K2) << QString(P::ErrorDuplicateParameter);
    QTest::newRow("k 21 chars") << web(t + u"&k="_s + K.left(21)) << QString(P::ErrorBadKeyFingerprint);
    QTest::newRow("k 23 chars") << web(t + u"&k="_s + K + u"A"_s) << QString(P::ErrorBadKeyFingerprint);
    QTest::newRow("k standard base64") << web(t + u"&k=+/+/AAECAwQFBgcICQoLDA"_s) << QString(P::ErrorBadKeyFingerprint);
    QTest::newRow("k not canonical") << web(t + u"&k=AAECAwQFBgcICQoLDA0ODx"_s) << QString(P::ErrorBadKeyFingerprint);
    QTest::newRow("k empty") << web(t + u"&k="_s) << QString(P::ErrorBadKeyFingerprint);
    QTest::newRow("k hex") << web(t + u"&k=000102030405060708090a0b0c0d0e0f"_s) << QString(P::ErrorBadKeyFingerprint);
    // The viewer secret has the same spelling rules as k; its messages never hold it.
    QTest::newRow("s 21 chars") << web(t + u"&s=SeCrEtAwQFBgcICQoLDA0"_s) << QString(P::ErrorBadViewerSecret);
    QTest::newRow("s 23 chars") << web(t + u"&s=SeCrEtAwQFBgcICQoLDA0AA"_s) << QString(P::ErrorBadViewerSecret);
    QTest::newRow("s padded") << web(t + u"&s=SeCrEtAwQFBgcICQoLDA0A=="_s) << QString(P::ErrorBadViewerSecret);
    QTest::newRow("s not canonical") << web(t + u"&s=SeCrEtAwQFBgcICQoLDA0B"_s) << QString(P::ErrorBadViewerSecret);
    QTest::newRow("s standard base64") << web(t + u"&s=SeCrEt+/BgcICQoLDA0ODw"_s) << QString(P::ErrorBadViewerSecret);
    QTest::newRow("s empty") << web(t + u"&s="_s) << QString(P::ErrorBadViewerSecret);
    QTest::newRow("s twice") << web(t + u"&s=SeCrEtAwQFBgcICQoLDA0A&s=SeCrEtAwQFBgcICQoLDA0A"_s)
                             << QString(P::ErrorDuplicateParameter);
    QTest::newRow("handoff, bad s") << deep(u"server="_s + encoded(Relay), t + u"&k="_s + K + u"&s=SeCrEt"_s)
                                    << QString(P::ErrorBadViewerSecret);

    // handoff:// form.
    QTest::newRow("handoff without server") << u"handoff://s/"_s + Id + u"#"_s + t << QString(P::ErrorMissingServer);
    QTest::newRow("handoff with empty query") << u"handoff://s/"_s + Id + u"?#"_s + t << QString(P::ErrorMissingServer);
    QTest::newRow("handoff, other host") << u"handoff://session/"_s + Id + u"?"_s + server + u"#"_s + t
                                         << QString(P::ErrorBadHandoffHost);
    QTest::newRow("handoff, relay as host")
        << u"handoff://relay.example.com/s/"_s + Id + u"#"_s + t << QString(P::ErrorBadHandoffHost);
    QTest::newRow("handoff, no host") << u"handoff:///s/"_s + Id + u"?"_s + server + u"#"_s + t
                                      << QString(P::ErrorBadHandoffHost);
    QTest::newRow("handoff, no slashes") << u"handoff:s/"_s + Id + u"?"_s + server + u"#"_s + t
                                         << QString(P::ErrorBadHandoffHost);
    QTest::newRow("handoff, port") << u"handoff://s:8080/"_s + Id + u"?"_s + server + u"#"_s + t
                                   << QString(P::ErrorBadHandoffHost);
    QTest::newRow("handoff, user info") << u"handoff://x@s/"_s + Id + u"?"_s + server + u"#"_s + t
                                        << QString(P::ErrorUserInfo);
    QTest::newRow("handoff, no session") << u"handoff://s/?"_s + server + u"#"_s + t << QString(P::ErrorNotSessionLink);
    QTest::newRow("handoff, extra segment")
        << u"handoff://s/"_s + Id + u"/x?"_s + server + u"#"_s + t << QString(P::ErrorUnexpectedPath);
    QTest::newRow("handoff, bad session id")
        << u"handoff://s/sess_short?"_s + server + u"#"_s + t << QString(P::ErrorBadSessionId);
    QTest::newRow("handoff, server twice")
        << deep(server + u"&server="_s + encoded(u"https://evil.example"_s)) << QString(P::ErrorDuplicateParameter);
    QTest::newRow("handoff, unknown parameter") << deep(server + u"&redirect=x"_s) << QString(P::ErrorUnexpectedQuery);
    QTest::newRow("handoff, empty server") << deep(u"server="_s) << QString(P::ErrorBadServer);
    QTest::newRow("handoff, server javascript")
        << deep(u"server="_s + encoded(u"javascript:alert(1)"_s)) << QString(P::ErrorBadServerScheme);
    QTest::newRow("handoff, server file")
        << deep(u"server="_s + encoded(u"file:///etc/passwd"_s)) << QString(P::ErrorBadServerScheme);
    QTest::newRow("handoff, server ws") << deep(u"server="_s + encoded(u"ws://relay.example.com"_s))
                                        << QString(P::ErrorBadServerScheme);
    QTest::newRow("handoff, server ftp") << deep(u"server=ftp://relay.example.com"_s)
                                         << QString(P::ErrorBadServerScheme);
    QTest::newRow("handoff, server without scheme")
        << deep(u"server=relay.example.com"_s) << QString(P::ErrorBadServerScheme);
    QTest::newRow("handoff, server double-encoded")
        << deep(u"server="_s + encoded(encoded(Relay))) << QString(P::ErrorBadServerScheme);
    QTest::newRow("handoff, server user info")
        << deep(u"server="_s + encoded(u"https://relay.example.com@evil.example"_s)) << QString(P::ErrorUserInfo);
    QTest::newRow("handoff, server without host")
        << deep(u"server="_s + encoded(u"https:///x"_s)) << QString(P::ErrorMissingHost);
    QTest::newRow("handoff, server with query")
        << deep(u"server="_s + encoded(u"https://relay.example.com/?a=b"_s)) << QString(P::ErrorBadServer);
    QTest::newRow("handoff, server with fragment")
        << deep(u"server="_s + encoded(u"https://relay.example.com/#x"_s)) << QString(P::ErrorBadServer);
    QTest::newRow("handoff, server with dot-dot")
        << deep(u"server="_s + encoded(u"https://relay.example.com/a/.."_s)) << QString(P::ErrorBadServer);
    QTest::newRow("handoff, server with encoded newline")
        << deep(u"server="_s + encoded(u"https://relay.example.com\n"_s)) << QString(P::ErrorWhitespace);
    QTest::newRow("handoff, server with encoded control")
        << deep(u"server="_s + encoded(u"https://relay.example.com\u0000"_s)) << QString(P::ErrorControlCharacter);
    QTest::newRow("handoff, server fine but no fragment")
        << u"handoff://s/"_s + Id + u"?"_s + server << QString(P::ErrorMissingFragment);
    QTest::newRow("handoff, bad token") << deep(server, u"t=SeCrEt!"_s) << QString(P::ErrorBadToken);
}

void TestSessionLinkParser::bad()
{
    QFETCH(QString, link);
    QFETCH(QString, code);
    handoff::testutil::recordFuzzSeed("session_link", link);

    const auto parsed = SessionLinkParser::parse(link);
    QVERIFY2(!parsed.ok(), "accepted a bad link");
    QCOMPARE(parsed.error().code, code);
    const QString message = parsed.error().message;
    QVERIFY(!message.isEmpty());
    QVERIFY2(!message.contains(Marker, Qt::CaseInsensitive), qPrintable(message));
    QVERIFY2(!message.contains(Id), qPrintable(message));
}

// ---------------------------------------------------------------- built URLs

void TestSessionLinkParser::streamUrl_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("stream");

    const QString tk = u"t="_s + Token + u"&k="_s + K;
    QTest::newRow("https") << web(tk) << u"wss://relay.example.com/stream/"_s + Id + u"?role=viewer&token="_s + Token;
    QTest::newRow("http with port") << u"http://localhost:8080/s/"_s + Id + u"#"_s + tk
                                    << u"ws://localhost:8080/stream/"_s + Id + u"?role=viewer&token="_s + Token;
    QTest::newRow("prefix") << u"https://relay.example.com:8443/handoff/s/"_s + Id + u"#"_s
            + tk << u"wss://relay.example.com:8443/handoff/stream/"_s + Id + u"?role=viewer&token="_s + Token;
    QTest::newRow("deep link") << deep(u"server="_s + encoded(u"https://relay.example.com/h"_s), tk)
                               << u"wss://relay.example.com/h/stream/"_s + Id + u"?role=viewer&token="_s + Token;
}

void TestSessionLinkParser::streamUrl()
{
    QFETCH(QString, link);
    QFETCH(QString, stream);

    const auto parsed = SessionLinkParser::parse(link);
    QVERIFY(parsed.ok());
    const QUrl url = parsed->streamUrl();
    QVERIFY(url.isValid());
    QCOMPARE(url.toString(QUrl::FullyEncoded), stream);
    const QUrlQuery query(url);
    QCOMPARE(query.queryItemValue(u"role"_s), u"viewer"_s);
    QCOMPARE(query.queryItemValue(u"token"_s, QUrl::FullyDecoded), Token);
    QVERIFY(!url.hasFragment());
}

void TestSessionLinkParser::builtLinks()
{
    const auto parsed = SessionLinkParser::parse(u"https://relay.example.com:8443/handoff/s/"_s + Id + u"#t="_s + Token
                                                 + u"&k="_s + K2);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->toWebUrl().toString(QUrl::FullyEncoded),
             u"https://relay.example.com:8443/handoff/s/"_s + Id + u"#t="_s + Token + u"&k="_s + K2);
    QCOMPARE(parsed->toHandoffUrl().toString(QUrl::FullyEncoded),
             u"handoff://s/"_s + Id + u"?server=https%3A%2F%2Frelay.example.com%3A8443%2Fhandoff#t="_s + Token
                 + u"&k="_s + K2);

    const auto bare = SessionLinkParser::parse(web());
    QVERIFY(bare.ok());
    QCOMPARE(bare->toHandoffUrl().toString(QUrl::FullyEncoded),
             u"handoff://s/"_s + Id + u"?server=https%3A%2F%2Frelay.example.com#t="_s + Token);
    QVERIFY(!bare->keyFingerprint().has_value());
}

void TestSessionLinkParser::viewerSecret()
{
    // s: 16 bytes, with or without k, in either form, kept through both built forms.
    const QString s = u"SeCrEtAwQFBgcICQoLDA0A"_s; // canonical: the last character's spare bits are zero
    const QByteArray raw = QByteArray::fromBase64(s.toLatin1(), QByteArray::Base64UrlEncoding);
    const auto withBoth = SessionLinkParser::parse(web(u"t="_s + Token + u"&k="_s + K + u"&s="_s + s));
    QVERIFY2(withBoth.ok(), qPrintable(withBoth.ok() ? QString() : withBoth.error().code));
    QCOMPARE(*withBoth->viewerSecret(), raw);
    QCOMPARE(withBoth->viewerSecret()->size(), SessionLinkParser::ViewerSecretSize);
    QCOMPARE(*withBoth->keyFingerprint(), KBytes);
    QCOMPARE(withBoth->toHandoffUrl().toString(QUrl::FullyEncoded),
             u"handoff://s/"_s + Id + u"?server=https%3A%2F%2Frelay.example.com#t="_s + Token + u"&k="_s + K + u"&s="_s
                 + s);
    QCOMPARE(withBoth->toWebUrl().toString(QUrl::FullyEncoded), web(u"t="_s + Token + u"&k="_s + K + u"&s="_s + s));
    QVERIFY(*SessionLinkParser::parse(withBoth->toHandoffUrl().toString(QUrl::FullyEncoded)) == *withBoth);
    QVERIFY(!withBoth->describe().contains(s));

    const auto secretFirst = SessionLinkParser::parse(deep(u"server="_s + encoded(Relay), u"s="_s + s + u"&t="_s + Token));
    QVERIFY(secretFirst.ok());
    QCOMPARE(*secretFirst->viewerSecret(), raw);
    QVERIFY(!secretFirst->hasKeyFingerprint());

    const auto without = SessionLinkParser::parse(web());
    QVERIFY(!without->viewerSecret().has_value());
}

void TestSessionLinkParser::describeHidesSecretsRepeatedInThePath()
{
    // Found by the session_link fuzz target: a server path that spells the token
    // put it in the loggable form.
    const QString s = u"SeCrEtAwQFBgcICQoLDA0A"_s;
    const auto link = SessionLinkParser::parse(u"https://relay.example.com/"_s + Token + u"/"_s + s + u"/s/"_s + Id
                                               + u"#t="_s + Token + u"&k="_s + K + u"&s="_s + s);
    QVERIFY2(link.ok(), qPrintable(link.ok() ? QString() : link.error().code));
    QVERIFY(link->serverBase().toString().contains(Token));
    QVERIFY(!link->describe().contains(Token));
    QVERIFY(!link->describe().contains(s));
    QCOMPARE(link->describe(), u"https://relay.example.com/[secret]/[secret]/s/"_s + Id);
}

void TestSessionLinkParser::fromQUrl()
{
    const auto parsed = SessionLinkParser::parse(QUrl(deep(u"server="_s + encoded(Relay))));
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->serverBase(), QUrl(Relay));
    QCOMPARE(parsed->sessionId(), Id);

    const auto invalid = SessionLinkParser::parse(QUrl());
    QVERIFY(!invalid.ok());
    QCOMPARE(invalid.error().code, QString(SessionLinkParser::ErrorUnparseable));
}

void TestSessionLinkParser::validators()
{
    QVERIFY(SessionLinkParser::isValidSessionId(Id));
    QVERIFY(!SessionLinkParser::isValidSessionId(u"sess_"_s));
    QVERIFY(!SessionLinkParser::isValidSessionId(u"SESS_4f8Kq2LmN7pXz9RtV3wY1a"_s));
    QVERIFY(SessionLinkParser::isValidToken(Token));
    QVERIFY(!SessionLinkParser::isValidToken(u"short"_s));
    QVERIFY(!SessionLinkParser::isValidToken(Token + u"."_s));
}

QTEST_GUILESS_MAIN(TestSessionLinkParser)
#include "tst_SessionLinkParser.moc"
