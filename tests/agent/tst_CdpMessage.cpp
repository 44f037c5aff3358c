// CdpMessage: one DevTools message as CdpClient reads it. Table-driven: answers
// (with their command id), CDP errors, events, and what is neither; ids that no
// command can have (not whole, out of range, beyond 2^53) read as 0, so they
// answer nothing, and converting them is never undefined behaviour (the
// cdp_message fuzz target found 1e300).

#include "agent/cdp/CdpMessage.h"
#include "tests/support/FuzzSeed.h"

#include <QTest>

using namespace handoff::agent;

Q_DECLARE_METATYPE(CdpMessage::Kind)

class TestCdpMessage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reads_data();
    void reads();
    void refuses_data();
    void refuses();
};

void TestCdpMessage::reads_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<CdpMessage::Kind>("kind");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("text"); // the method of an event, the message of an error

    using K = CdpMessage::Kind;
    QTest::newRow("result") << QByteArray(R"({"id":7,"result":{"frameId":"A"}})") << K::Result << qint64(7)
                            << QString();
    QTest::newRow("result missing") << QByteArray(R"({"id":3})") << K::Result << qint64(3) << QString();
    QTest::newRow("error") << QByteArray(R"({"id":2,"error":{"code":-32601,"message":"'Foo.bar' wasn't found"}})")
                           << K::Error << qint64(2) << QStringLiteral("'Foo.bar' wasn't found");
    QTest::newRow("error not an object") << QByteArray(R"({"id":2,"error":"boom"})") << K::Error << qint64(2)
                                         << QString();
    QTest::newRow("event") << QByteArray(R"({"method":"Page.loadEventFired","params":{"timestamp":1}})") << K::Event
                           << qint64(0) << QStringLiteral("Page.loadEventFired");
    QTest::newRow("event with a string id") << QByteArray(R"({"id":"x","method":"Page.frameNavigated"})") << K::Event
                                            << qint64(0) << QStringLiteral("Page.frameNavigated");
    QTest::newRow("largest id") << QByteArray(R"({"id":9007199254740992,"result":{}})") << K::Result
                                << qint64(9007199254740992) << QString();
    QTest::newRow("id beyond 2^53") << QByteArray(R"({"id":9007199254740994,"result":{}})") << K::Result << qint64(0)
                                    << QString();
    QTest::newRow("id 1e300") << QByteArray(R"({"id":1e300,"result":{}})") << K::Result << qint64(0) << QString();
    QTest::newRow("id -1e300") << QByteArray(R"({"id":-1e300,"error":{}})") << K::Error << qint64(0) << QString();
    QTest::newRow("id not whole") << QByteArray(R"({"id":1.5,"result":{}})") << K::Result << qint64(0) << QString();
    QTest::newRow("id 0") << QByteArray(R"({"id":0,"result":{}})") << K::Result << qint64(0) << QString();
    QTest::newRow("id negative") << QByteArray(R"({"id":-4,"result":{}})") << K::Result << qint64(0) << QString();
}

void TestCdpMessage::reads()
{
    QFETCH(QByteArray, json);
    QFETCH(CdpMessage::Kind, kind);
    QFETCH(qint64, id);
    QFETCH(QString, text);
    handoff::testutil::recordFuzzSeed("cdp_message", json);

    const auto message = CdpMessage::parse(json);
    QVERIFY2(message.ok(), qPrintable(message.ok() ? QString() : message.error().message));
    QCOMPARE(message->kind, kind);
    QCOMPARE(message->id, id);
    if (kind == CdpMessage::Kind::Event) {
        QCOMPARE(message->method, text);
    } else if (kind == CdpMessage::Kind::Error) {
        QCOMPARE(message->errorMessage, text);
    }
}

void TestCdpMessage::refuses_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("code");

    QTest::newRow("empty") << QByteArray() << QStringLiteral("not_json");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not_json");
    QTest::newRow("truncated") << QByteArray(R"({"id":1,"result":)") << QStringLiteral("not_json");
    QTest::newRow("neither id nor method") << QByteArray(R"({"result":{}})") << QStringLiteral("not_cdp");
    QTest::newRow("empty method") << QByteArray(R"({"method":""})") << QStringLiteral("not_cdp");
    QTest::newRow("method not a string") << QByteArray(R"({"method":7})") << QStringLiteral("not_cdp");
}

void TestCdpMessage::refuses()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, code);
    handoff::testutil::recordFuzzSeed("cdp_message", json);

    const auto message = CdpMessage::parse(json);
    QVERIFY(!message.ok());
    QCOMPARE(message.error().code, code);
    QVERIFY(!message.error().message.isEmpty());
}

QTEST_GUILESS_MAIN(TestCdpMessage)
#include "tst_CdpMessage.moc"
