// HttpRequestParser: table-driven, with the bad cases as numerous as the good.

#include "server/http/HttpRequestParser.h"
#include "tests/support/FuzzSeed.h"

#include <QTest>

using namespace handoff::server;
using Status = HttpParseResult::Status;

Q_DECLARE_METATYPE(HttpParseResult::Status)

class tst_HttpRequestParser final : public QObject {
    Q_OBJECT

private:
    HttpRequestParser parser() const { return HttpRequestParser({/*maxHeaderBytes*/ 1024, /*maxBodyBytes*/ 64, 8}); }

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<Status>("status");
        QTest::addColumn<int>("errorStatus");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<qint64>("contentLength");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<bool>("upgrade");

        const QByteArray host = "Host: x\r\n";
        // good
        QTest::newRow("simple get") << QByteArray("GET /healthz HTTP/1.1\r\n" + host + "\r\n") << Status::Complete << 0
                                    << QByteArray("GET") << QByteArray("/healthz") << QByteArray() << qint64(0) << true << false;
        QTest::newRow("query kept apart") << QByteArray("GET /stream/s?role=agent&token=abc HTTP/1.1\r\n" + host + "\r\n")
                                          << Status::Complete << 0 << QByteArray("GET") << QByteArray("/stream/s")
                                          << QByteArray("role=agent&token=abc") << qint64(0) << true << false;
        QTest::newRow("post with body") << QByteArray("POST /session HTTP/1.1\r\n" + host + "Content-Length: 12\r\n\r\n{\"a\":1}")
                                        << Status::Complete << 0 << QByteArray("POST") << QByteArray("/session")
                                        << QByteArray() << qint64(12) << true << false;
        QTest::newRow("body with newlines is not the head") << QByteArray("POST /s HTTP/1.1\r\n" + host + "Content-Length: 5\r\n\r\na\nb\n\0")
                                        << Status::Complete << 0 << QByteArray("POST") << QByteArray("/s")
                                        << QByteArray() << qint64(5) << true << false;
        QTest::newRow("connection close") << QByteArray("GET / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")
                                          << Status::Complete << 0 << QByteArray("GET") << QByteArray("/") << QByteArray()
                                          << qint64(0) << false << false;
        QTest::newRow("http/1.0 closes by default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << Status::Complete << 0
                                                    << QByteArray("GET") << QByteArray("/") << QByteArray() << qint64(0)
                                                    << false << false;
        QTest::newRow("http/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                                             << Status::Complete << 0 << QByteArray("GET") << QByteArray("/")
                                             << QByteArray() << qint64(0) << true << false;
        QTest::newRow("websocket upgrade") << QByteArray("GET /stream/x HTTP/1.1\r\n" + host
                                                         + "Upgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n\r\n")
                                           << Status::Complete << 0 << QByteArray("GET") << QByteArray("/stream/x")
                                           << QByteArray() << qint64(0) << true << true;
        QTest::newRow("upgrade to something else") << QByteArray("GET / HTTP/1.1\r\n" + host + "Upgrade: h2c\r\nConnection: Upgrade\r\n\r\n")
                                                   << Status::Complete << 0 << QByteArray("GET") << QByteArray("/")
                                                   << QByteArray() << qint64(0) << true << false;
        QTest::newRow("leading empty lines ignored") << QByteArray("\r\n\r\nGET / HTTP/1.1\r\n" + host + "\r\n")
                                                     << Status::Complete << 0 << QByteArray("GET") << QByteArray("/")
                                                     << QByteArray() << qint64(0) << true << false;
        QTest::newRow("header value whitespace trimmed") << QByteArray("GET / HTTP/1.1\r\nHost:   x  \r\nContent-Length:\t3\t\r\n\r\nabc")
                                                         << Status::Complete << 0 << QByteArray("GET") << QByteArray("/")
                                                         << QByteArray() << qint64(3) << true << false;
        QTest::newRow("repeated equal content-length") << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 2\r\ncontent-length: 2\r\n\r\nab")
                                                       << Status::Complete << 0 << QByteArray("POST") << QByteArray("/")
                                                       << QByteArray() << qint64(2) << true << false;
        QTest::newRow("body at the limit") << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 64\r\n\r\n")
                                           << Status::Complete << 0 << QByteArray("POST") << QByteArray("/")
                                           << QByteArray() << qint64(64) << true << false;
        QTest::newRow("expect 100-continue") << QByteArray("POST / HTTP/1.1\r\n" + host + "Expect: 100-continue\r\nContent-Length: 1\r\n\r\n")
                                             << Status::Complete << 0 << QByteArray("POST") << QByteArray("/")
                                             << QByteArray() << qint64(1) << true << false;

        // incomplete
        QTest::newRow("empty") << QByteArray() << Status::NeedMore << 0 << QByteArray() << QByteArray() << QByteArray()
                               << qint64(0) << true << false;
        QTest::newRow("partial request line") << QByteArray("GET /heal") << Status::NeedMore << 0 << QByteArray()
                                              << QByteArray() << QByteArray() << qint64(0) << true << false;
        QTest::newRow("partial headers") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n") << Status::NeedMore << 0
                                         << QByteArray() << QByteArray() << QByteArray() << qint64(0) << true << false;
        QTest::newRow("only CR of the end") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r") << Status::NeedMore << 0
                                            << QByteArray() << QByteArray() << QByteArray() << qint64(0) << true << false;

        // bad
        auto bad = [](const char* name, QByteArray input, int status) {
            QTest::newRow(name) << input << Status::Error << status << QByteArray() << QByteArray() << QByteArray()
                                << qint64(0) << true << false;
        };
        bad("garbage", "\x16\x03\x01\x02\x05\x01\x07\x01\xfc\x03\x03\r\n\r\n", 400);
        bad("tls hello on plain port", QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11) + "\r\n", 400);
        bad("bare LF lines", "GET / HTTP/1.1\nHost: x\n\n", 400);
        bad("NUL in head", QByteArray("GET / HTTP/1.1\r\nHost: \0x\r\n\r\n", 27), 400);
        bad("missing version", "GET /\r\nHost: x\r\n\r\n", 400);
        bad("two spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        bad("absolute target", "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        bad("fragment in target", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        bad("space in target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        bad("bad method chars", "G(ET / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        bad("lower-case http", "GET / http/1.1\r\nHost: x\r\n\r\n", 400);
        bad("http/2", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505);
        bad("http/1.1 without host", "GET / HTTP/1.1\r\n\r\n", 400);
        bad("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        bad("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400);
        bad("header without colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400);
        bad("empty header name", "GET / HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n", 400);
        bad("folded header", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  b\r\n\r\n", 400);
        bad("control char in value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01\r\n\r\n", 400);
        bad("negative length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400);
        bad("hex length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n", 400);
        bad("length list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\n", 400);
        bad("conflicting lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400);
        bad("body over limit", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n", 413);
        bad("huge length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999\r\n\r\n", 413);
        bad("overflowing length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999999999999999999\r\n\r\n", 400);
        bad("chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 411);
        bad("unknown expectation", "POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n", 417);
        bad("too many headers", "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\n\r\n", 431);
        bad("head too large", "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + QByteArray(1100, 'a') + "\r\n\r\n", 431);
        bad("unterminated head at the limit", "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + QByteArray(1100, 'a'), 431);
        bad("endless request line", "GET /" + QByteArray(1100, 'a'), 431);
    }

    void parse()
    {
        QFETCH(QByteArray, input);
        QFETCH(Status, status);
        QFETCH(int, errorStatus);
        handoff::testutil::recordFuzzSeed("http_request", input);
        const HttpParseResult result = parser().parse(input);
        QCOMPARE(result.status, status);
        if (status == Status::Error) {
            QCOMPARE(result.errorStatus, errorStatus);
            QVERIFY(!result.errorCode.isEmpty());
            QVERIFY(!result.errorMessage.isEmpty());
            return;
        }
        if (status != Status::Complete) {
            return;
        }
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, query);
        QFETCH(qint64, contentLength);
        QFETCH(bool, keepAlive);
        QFETCH(bool, upgrade);
        QCOMPARE(result.request.method, method);
        QCOMPARE(result.request.path, path);
        QCOMPARE(result.request.query, query);
        QCOMPARE(result.request.contentLength, contentLength);
        QCOMPARE(result.request.keepAlive, keepAlive);
        QCOMPARE(result.request.webSocketUpgrade, upgrade);
        // The head ends right after the empty line; the body starts there.
        QCOMPARE(input.mid(result.headSize - 4, 4), QByteArray("\r\n\r\n"));
    }

    void headersAreLowerCasedAndFound()
    {
        const HttpParseResult result =
            parser().parse("GET / HTTP/1.1\r\nHOST: x\r\nAuthorization: Bearer k\r\nX-Empty:\r\n\r\n");
        QCOMPARE(result.status, Status::Complete);
        QCOMPARE(result.request.header("authorization"), QByteArray("Bearer k"));
        QCOMPARE(result.request.header("host"), QByteArray("x"));
        QVERIFY(result.request.hasHeader("x-empty"));
        QVERIFY(result.request.header("x-empty").isEmpty());
        QVERIFY(result.request.header("missing").isNull());
    }

    void pipelinedRequestsParseOneAtATime()
    {
        const QByteArray first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        const QByteArray second = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
        const HttpParseResult one = parser().parse(first + second);
        QCOMPARE(one.status, Status::Complete);
        QCOMPARE(one.request.path, QByteArray("/a"));
        QCOMPARE(one.headSize, first.size());
        const HttpParseResult two = parser().parse(QByteArray(first + second).mid(one.headSize));
        QCOMPARE(two.request.path, QByteArray("/b"));
    }

    void everyPrefixOfAGoodRequestNeedsMore()
    {
        const QByteArray request = "POST /session?x=1 HTTP/1.1\r\nHost: example\r\nContent-Length: 2\r\n\r\n";
        for (qsizetype n = 0; n < request.size(); ++n) {
            QCOMPARE(parser().parse(request.first(n)).status, Status::NeedMore);
        }
        QCOMPARE(parser().parse(request).status, Status::Complete);
    }
};

QTEST_GUILESS_MAIN(tst_HttpRequestParser)
#include "tst_HttpRequestParser.moc"
