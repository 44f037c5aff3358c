// CdpClient: target discovery rules (pure, table-driven) and a real headless
// Chromium: commands, events, CDP errors, timeouts, target selection.

#include "agent/cdp/CdpClient.h"
#include "agent/cdp/CdpTarget.h"
#include "tests/agent/CdpTestUtil.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/FuzzSeed.h"
#include "tests/support/TestPageServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace handoff::agent;
using handoff::test::ChromiumProcess;
using handoff::test::TestPageServer;

namespace {

QByteArray targetJson(const QString& id, const QString& type, const QString& url)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("id"), id},
                                     {QStringLiteral("type"), type},
                                     {QStringLiteral("title"), QStringLiteral("t")},
                                     {QStringLiteral("url"), url},
                                     {QStringLiteral("webSocketDebuggerUrl"),
                                      QStringLiteral("ws://127.0.0.1:9222/devtools/page/") + id}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestCdpClient final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void parseList_data();
    void parseList();
    void choose_data();
    void choose();
    void discoveryBase_data();
    void discoveryBase();

    void commandAndResult();
    void cdpErrorCarriesMessage();
    void commandTimeout();
    void eventsArrive();
    void selectTargetByUrlAndId();
    void waitsForATargetThatOpensLate();
    void connectThroughBrowserSocketUrl();
    void connectThroughPageSocketUrl();
    void connectFailureIsReported();
    void pendingCommandsFailOnClose();
    void sendWhileClosedFailsAsynchronously();

private:
    std::unique_ptr<ChromiumProcess> m_chromium;
    TestPageServer m_pages;
};

void TestCdpClient::initTestCase()
{
    QVERIFY(m_pages.listen());
    m_pages.setPage("/login", "<html><head><title>login</title></head><body><input id=u></body></html>");
    m_pages.setPage("/other", "<html><head><title>other</title></head><body>other</body></html>");
    m_pages.setPage("/late", "<html><head><title>late</title></head><body>late</body></html>");
    if (ChromiumProcess::executable().isEmpty()) {
        return; // the browser tests QSKIP
    }
    m_chromium = std::make_unique<ChromiumProcess>();
    QVERIFY2(m_chromium->start(m_pages.url(QStringLiteral("/login"))), qPrintable(m_chromium->errorString()));
}

void TestCdpClient::cleanupTestCase()
{
    m_chromium.reset();
}

void TestCdpClient::parseList_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("count");

    const QByteArray page = targetJson(QStringLiteral("A"), QStringLiteral("page"), QStringLiteral("https://x/"));
    QTest::newRow("one page") << QByteArray("[" + page + "]") << true << 1;
    QTest::newRow("empty array") << QByteArray("[]") << true << 0;
    QTest::newRow("attached target without socket url")
        << QByteArray(R"([{"id":"B","type":"page","url":"https://y/"}])") << true << 0;
    QTest::newRow("http debugger url is skipped")
        << QByteArray(R"([{"id":"B","type":"page","url":"u","webSocketDebuggerUrl":"http://h/x"}])") << true << 0;
    QTest::newRow("entry without id is skipped")
        << QByteArray(R"([{"type":"page","url":"u","webSocketDebuggerUrl":"ws://h/devtools/page/x"}])") << true << 0;
    QTest::newRow("non-object entries are skipped") << QByteArray("[1,\"x\",null," + page + "]") << true << 1;
    QTest::newRow("object instead of array") << QByteArray("{}") << false << 0;
    QTest::newRow("garbage") << QByteArray("not json") << false << 0;
    QTest::newRow("empty") << QByteArray() << false << 0;
    QTest::newRow("truncated") << QByteArray("[" + page) << false << 0;
    QTest::newRow("too large") << QByteArray(CdpTargets::MaxListBytes + 1, ' ') << false << 0;
}

void TestCdpClient::parseList()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(int, count);
    handoff::testutil::recordFuzzSeed("cdp_message", json);
    const auto result = CdpTargets::parseList(json);
    QCOMPARE(result.ok(), ok);
    if (ok) {
        QCOMPARE(result->size(), count);
    } else {
        QCOMPARE(result.error().code, QStringLiteral("cdp_discovery"));
    }
}

void TestCdpClient::choose_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QString>("expectedId"); // empty: no target

    const QByteArray list = "["
        + targetJson(QStringLiteral("SW"), QStringLiteral("service_worker"), QStringLiteral("https://bank/sw.js")) + ","
        + targetJson(QStringLiteral("BLANK"), QStringLiteral("page"), QStringLiteral("about:blank")) + ","
        + targetJson(QStringLiteral("UI"), QStringLiteral("browser_ui"), QStringLiteral("chrome://omnibox/")) + ","
        + targetJson(QStringLiteral("BANK"), QStringLiteral("page"), QStringLiteral("https://bank.example/login")) + ","
        + targetJson(QStringLiteral("MAIL"), QStringLiteral("page"), QStringLiteral("http://mail.example/inbox"))
        + "]";
    QTest::newRow("first http(s) page wins over about:blank") << list << QString() << QStringLiteral("BANK");
    QTest::newRow("by exact id") << list << QStringLiteral("MAIL") << QStringLiteral("MAIL");
    QTest::newRow("by url substring") << list << QStringLiteral("mail.example") << QStringLiteral("MAIL");
    QTest::newRow("id of a non-page target") << list << QStringLiteral("SW") << QStringLiteral("SW");
    QTest::newRow("url substring ignores non-pages") << list << QStringLiteral("sw.js") << QString();
    QTest::newRow("no match") << list << QStringLiteral("nowhere") << QString();
    QTest::newRow("only blank page")
        << QByteArray("[" + targetJson(QStringLiteral("B"), QStringLiteral("page"), QStringLiteral("about:blank")) + "]")
        << QString() << QStringLiteral("B");
    QTest::newRow("no page at all")
        << QByteArray("[" + targetJson(QStringLiteral("W"), QStringLiteral("worker"), QStringLiteral("https://w/")) + "]")
        << QString() << QString();
    QTest::newRow("empty list") << QByteArray("[]") << QString() << QString();
}

void TestCdpClient::choose()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, selector);
    QFETCH(QString, expectedId);
    const auto targets = CdpTargets::parseList(json);
    QVERIFY(targets.ok());
    const auto chosen = CdpTargets::choose(*targets, selector);
    if (expectedId.isEmpty()) {
        QVERIFY(!chosen.ok());
        QCOMPARE(chosen.error().code, QStringLiteral("cdp_no_target"));
    } else {
        QVERIFY(chosen.ok());
        QCOMPARE(chosen->id, expectedId);
    }
}

void TestCdpClient::discoveryBase_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: error

    QTest::newRow("http") << QStringLiteral("http://127.0.0.1:9222") << QStringLiteral("http://127.0.0.1:9222/");
    QTest::newRow("http with path") << QStringLiteral("http://localhost:9222/json/version")
                                    << QStringLiteral("http://localhost:9222/");
    QTest::newRow("https") << QStringLiteral("https://cdp.example:443/") << QStringLiteral("https://cdp.example:443/");
    QTest::newRow("browser ws") << QStringLiteral("ws://127.0.0.1:9333/devtools/browser/abc")
                                << QStringLiteral("http://127.0.0.1:9333/");
    QTest::newRow("wss") << QStringLiteral("wss://h:1/devtools/browser/x") << QStringLiteral("https://h:1/");
    QTest::newRow("ftp") << QStringLiteral("ftp://h:1/") << QString();
    QTest::newRow("no scheme") << QStringLiteral("127.0.0.1:9222") << QString();
    QTest::newRow("no host") << QStringLiteral("http:///json") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestCdpClient::discoveryBase()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const auto base = CdpTargets::discoveryBase(QUrl(input));
    if (expected.isEmpty()) {
        QVERIFY(!base.ok());
        QCOMPARE(base.error().code, QStringLiteral("cdp_bad_url"));
    } else {
        QVERIFY(base.ok());
        QCOMPARE(base->toString(), expected);
    }
}

#define REQUIRE_CHROMIUM()                                                                                             \
    if (!m_chromium) {                                                                                                 \
        QSKIP("no Chromium executable on this machine");                                                               \
    }

void TestCdpClient::commandAndResult()
{
    REQUIRE_CHROMIUM();
    CdpClient client;
    QVERIFY(testutil::connectClient(client, m_chromium->httpEndpoint()));
    QVERIFY(client.isConnected());
    QCOMPARE(client.target().type, QStringLiteral("page"));
    QVERIFY(client.target().url.contains(QStringLiteral("/login")));

    QSignalSpy written(&client, &CdpClient::commandWritten);
    const auto result = testutil::call(client, QStringLiteral("Runtime.evaluate"),
                                       QJsonObject{{QStringLiteral("expression"), QStringLiteral("20 + 22")},
                                                   {QStringLiteral("returnByValue"), true}});
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toInt(), 42);
    QCOMPARE(written.size(), 1);
    QCOMPARE(written.at(0).at(1).toString(), QStringLiteral("Runtime.evaluate"));
    // The first page may still be loading.
    QVERIFY(testutil::waitForTrue(client, QStringLiteral("document.title === 'login'")));
}

void TestCdpClient::cdpErrorCarriesMessage()
{
    REQUIRE_CHROMIUM();
    CdpClient client;
    QVERIFY(testutil::connectClient(client, m_chromium->httpEndpoint()));
    const auto unknown = testutil::call(client, QStringLiteral("Nothing.here"));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().code, QStringLiteral("cdp_error"));
    QVERIFY2(unknown.error().message.contains(QStringLiteral("Nothing.here")), qPrintable(unknown.error().message));
    QVERIFY2(unknown.error().message.contains(QStringLiteral("wasn't found")), qPrintable(unknown.error().message));

    const auto badParams = testutil::call(client, QStringLiteral("Page.navigate"),
                                          QJsonObject{{QStringLiteral("url"), 12}});
    QVERIFY(!badParams.ok());
    QCOMPARE(badParams.error().code, QStringLiteral("cdp_error"));
    QVERIFY2(badParams.error().message.contains(QStringLiteral("Invalid parameters")),
             qPrintable(badParams.error().message));
}

void TestCdpClient::commandTimeout()
{
    REQUIRE_CHROMIUM();
    CdpClient client;
    QVERIFY(testutil::connectClient(client, m_chromium->httpEndpoint()));
    const auto result = testutil::call(client, QStringLiteral("Runtime.evaluate"),
                                       QJsonObject{{QStringLiteral("expression"), QStringLiteral("new Promise(() => {})")},
                                                   {QStringLiteral("awaitPromise"), true}},
                                       300);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("cdp_timeout"));
    QVERIFY(result.error().message.contains(QStringLiteral("Runtime.evaluate")));
    // The connection still works after a timeout.
    QCOMPARE(testutil::evaluate(client, QStringLiteral("1 + 1")).toInt(), 2);
}

void TestCdpClient::eventsArrive()
{
    REQUIRE_CHROMIUM();
    CdpClient client;
    QVERIFY(testutil::connectClient(client, m_chromium->httpEndpoint()));
    QVERIFY(testutil::call(client, QStringLiteral("Runtime.enable")).ok());
    QSignalSpy events(&client, &CdpClient::eventReceived);
    QVERIFY(testutil::call(client, QStringLiteral("Runtime.evaluate"),
                           QJsonObject{{QStringLiteral("expression"), QStringLiteral("console.log('hello-event')")}})
                .ok());
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(events.cbegin(), events.cend(),
                    [](const QList<QVariant>& args) {
                        if (args.at(0).toString() != QLatin1String("Runtime.consoleAPICalled")) {
                            return false;
                        }
                        const QJsonObject params = args.at(1).toJsonObject();
                        return params.value(QLatin1String("args")).toArray().at(0).toObject().value(QLatin1String("value"))
                            == QJsonValue(QStringLiteral("hello-event"));
                    }),
        5000);
    QVERIFY(testutil::navigate(client, m_pages.url(QStringLiteral("/login"))));
}

void TestCdpClient::selectTargetByUrlAndId()
{
    REQUIRE_CHROMIUM();
    const QString otherId = m_chromium->openPage(m_pages.url(QStringLiteral("/other")));
    QVERIFY(!otherId.isEmpty());

    CdpClient byUrl;
    QVERIFY(testutil::connectClient(byUrl, m_chromium->httpEndpoint(), QStringLiteral("/other")));
    QCOMPARE(byUrl.target().id, otherId);
    QVERIFY(testutil::waitForTrue(byUrl, QStringLiteral("document.title === 'other'")));

    CdpClient byId;
    QVERIFY(testutil::connectClient(byId, m_chromium->httpEndpoint(), otherId));
    QCOMPARE(byId.target().id, otherId);

    CdpClient none;
    none.setTargetWait(1000);
    QSignalSpy failed(&none, &CdpClient::connectFailed);
    none.connectTo(m_chromium->httpEndpoint(), QStringLiteral("no-such-page"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QCOMPARE(failed.at(0).at(0).value<handoff::Error>().code, QStringLiteral("cdp_no_target"));
}

void TestCdpClient::waitsForATargetThatOpensLate()
{
    // An agent started together with its browser asks before the page is listed.
    REQUIRE_CHROMIUM();
    CdpClient client;
    QSignalSpy connected(&client, &CdpClient::connected);
    QSignalSpy failed(&client, &CdpClient::connectFailed);
    client.connectTo(m_chromium->httpEndpoint(), QStringLiteral("/late"));
    QTest::qWait(3 * CdpClient::TargetRetryMs); // it has looked, found nothing, and keeps looking
    QVERIFY(connected.isEmpty() && failed.isEmpty());
    const QString lateId = m_chromium->openPage(m_pages.url(QStringLiteral("/late")));
    QVERIFY(!lateId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
    QVERIFY(failed.isEmpty());
    QCOMPARE(client.target().id, lateId);
}

void TestCdpClient::connectThroughBrowserSocketUrl()
{
    REQUIRE_CHROMIUM();
    CdpClient client;
    QVERIFY(testutil::connectClient(client, m_chromium->browserWebSocketUrl(), QStringLiteral("/login")));
    QCOMPARE(testutil::evaluate(client, QStringLiteral("document.title")).toString(), QStringLiteral("login"));
}

void TestCdpClient::connectThroughPageSocketUrl()
{
    REQUIRE_CHROMIUM();
    CdpClient discover;
    QVERIFY(testutil::connectClient(discover, m_chromium->httpEndpoint(), QStringLiteral("/login")));
    const QUrl pageUrl = discover.target().webSocketDebuggerUrl;
    QVERIFY(CdpTargets::isPageSocketUrl(pageUrl));

    CdpClient direct;
    QVERIFY(testutil::connectClient(direct, pageUrl));
    QCOMPARE(direct.target().id, discover.target().id);
    QCOMPARE(testutil::evaluate(direct, QStringLiteral("document.title")).toString(), QStringLiteral("login"));
}

void TestCdpClient::connectFailureIsReported()
{
    // A port nobody listens on: take one from a server we close again.
    quint16 port = 0;
    {
        TestPageServer closed;
        QVERIFY(closed.listen());
        port = closed.port();
    }

    CdpClient client;
    QSignalSpy failed(&client, &CdpClient::connectFailed);
    client.connectTo(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);

    CdpClient badUrl;
    QSignalSpy badFailed(&badUrl, &CdpClient::connectFailed);
    badUrl.connectTo(QUrl(QStringLiteral("file:///tmp/x")));
    QCOMPARE(badFailed.size(), 1);
    QCOMPARE(badFailed.at(0).at(0).value<handoff::Error>().code, QStringLiteral("cdp_bad_url"));

    // A server that is not a DevTools endpoint.
    TestPageServer notCdp;
    QVERIFY(notCdp.listen());
    notCdp.setPage("/json/list", "{\"not\":\"a list\"}", "application/json");
    CdpClient wrong;
    QSignalSpy wrongFailed(&wrong, &CdpClient::connectFailed);
    wrong.connectTo(notCdp.url(QStringLiteral("/")));
    QTRY_COMPARE_WITH_TIMEOUT(wrongFailed.size(), 1, 10000);
    QCOMPARE(wrongFailed.at(0).at(0).value<handoff::Error>().code, QStringLiteral("cdp_discovery"));
}

void TestCdpClient::pendingCommandsFailOnClose()
{
    REQUIRE_CHROMIUM();
    CdpClient client;
    QVERIFY(testutil::connectClient(client, m_chromium->httpEndpoint()));
    std::optional<handoff::Result<QJsonObject>> result;
    client.send(QStringLiteral("Runtime.evaluate"),
                QJsonObject{{QStringLiteral("expression"), QStringLiteral("new Promise(() => {})")},
                            {QStringLiteral("awaitPromise"), true}},
                [&](const handoff::Result<QJsonObject>& r) { result = r; });
    QSignalSpy disconnected(&client, &CdpClient::disconnected);
    client.disconnectFromTarget();
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY(!result->ok());
    QCOMPARE(result->error().code, QStringLiteral("cdp_closed"));
    QCOMPARE(disconnected.size(), 1);
    QVERIFY(!client.isConnected());
}

void TestCdpClient::sendWhileClosedFailsAsynchronously()
{
    CdpClient client;
    bool called = false;
    QString code;
    const qint64 id = client.send(QStringLiteral("Page.reload"), {}, [&](const handoff::Result<QJsonObject>& r) {
        called = true;
        code = r.ok() ? QString() : r.error().code;
    });
    QCOMPARE(id, qint64(-1));
    QVERIFY(!called); // never re-entrant
    QTRY_VERIFY(called);
    QCOMPARE(code, QStringLiteral("cdp_closed"));
}

QTEST_GUILESS_MAIN(TestCdpClient)
#include "tst_CdpClient.moc"
