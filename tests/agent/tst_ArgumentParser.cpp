// ArgumentParser: the handoff-agent command line, table-driven, with the bad
// cases as numerous as the good ones; an error never echoes a secret.

#include "agent/cli/ArgumentParser.h"

#include <QTest>

using namespace handoff::agent;

using Env = QHash<QString, QString>;

class TestArgumentParser final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void good();
    void environmentFallback();
    void flagsBeatEnvironment();
    void bad_data();
    void bad();
    void errorsNeverEchoSecrets();
    void detectAndMcp();
};

namespace {
QStringList base()
{
    return {QStringLiteral("to-human"), QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:8080"),
            QStringLiteral("--api-key"), QStringLiteral("hk_secret"), QStringLiteral("--cdp-url"),
            QStringLiteral("http://127.0.0.1:9222"), QStringLiteral("--service"), QStringLiteral("Bank")};
}
} // namespace

void TestArgumentParser::good()
{
    QStringList args = base();
    args << QStringLiteral("--blocker") << QStringLiteral("otp") << QStringLiteral("--hint")
         << QStringLiteral("Code sent by SMS") << QStringLiteral("--ttl=120") << QStringLiteral("--login-hint")
         << QStringLiteral("alice@example.com") << QStringLiteral("--protocol") << QStringLiteral("1")
         << QStringLiteral("--quality") << QStringLiteral("90") << QStringLiteral("--target") << QStringLiteral("bank")
         << QStringLiteral("--json");
    const auto o = ArgumentParser::parse(args, {});
    QVERIFY2(o.ok(), qPrintable(o.ok() ? QString() : o.error().message));
    QCOMPARE(o->command, CliOptions::Command::ToHuman);
    QCOMPARE(o->server, QUrl(QStringLiteral("http://127.0.0.1:8080")));
    QCOMPARE(o->apiKey, QByteArray("hk_secret"));
    QCOMPARE(o->cdpUrl, QUrl(QStringLiteral("http://127.0.0.1:9222")));
    QCOMPARE(o->service, QStringLiteral("Bank"));
    QCOMPARE(o->blocker, QStringLiteral("otp"));
    QCOMPARE(o->hint, QStringLiteral("Code sent by SMS"));
    QCOMPARE(o->ttl, 120);
    QCOMPARE(o->loginHint, QStringLiteral("alice@example.com"));
    QCOMPARE(o->protocol, 1);
    QCOMPARE(o->quality, 90);
    QCOMPARE(o->target, QStringLiteral("bank"));
    QVERIFY(o->json);

    const auto defaults = ArgumentParser::parse(base(), {});
    QVERIFY(defaults.ok());
    QCOMPARE(defaults->protocol, 2);
    QCOMPARE(defaults->quality, 75);
    QCOMPARE(defaults->ttl, 0);
    QVERIFY(!defaults->json);
}

void TestArgumentParser::environmentFallback()
{
    const Env env{{QStringLiteral("HANDOFF_SERVER"), QStringLiteral("https://relay.example")},
                  {QStringLiteral("HANDOFF_API_KEY"), QStringLiteral("hk_env")},
                  {QStringLiteral("HANDOFF_CDP_URL"), QStringLiteral("ws://127.0.0.1:9222/devtools/browser/x")}};
    const auto o = ArgumentParser::parse({QStringLiteral("to-human"), QStringLiteral("--service"), QStringLiteral("S")}, env);
    QVERIFY(o.ok());
    QCOMPARE(o->server, QUrl(QStringLiteral("https://relay.example")));
    QCOMPARE(o->apiKey, QByteArray("hk_env"));
    QCOMPARE(o->cdpUrl.scheme(), QStringLiteral("ws"));
}

void TestArgumentParser::flagsBeatEnvironment()
{
    const Env env{{QStringLiteral("HANDOFF_SERVER"), QStringLiteral("https://env.example")},
                  {QStringLiteral("HANDOFF_API_KEY"), QStringLiteral("hk_env")}};
    const auto o = ArgumentParser::parse(base(), env);
    QVERIFY(o.ok());
    QCOMPARE(o->server.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(o->apiKey, QByteArray("hk_secret"));
}

void TestArgumentParser::bad_data()
{
    QTest::addColumn<QStringList>("arguments");
    const auto without = [](const QString& flag) {
        QStringList a = base();
        const qsizetype i = a.indexOf(flag);
        a.remove(i, 2);
        return a;
    };
    const auto with = [](QStringList extra) { return base() + extra; };
    QTest::newRow("nothing") << QStringList();
    QTest::newRow("unknown command") << QStringList{QStringLiteral("fly")};
    QTest::newRow("no server") << without(QStringLiteral("--server"));
    QTest::newRow("no api key") << without(QStringLiteral("--api-key"));
    QTest::newRow("no cdp url") << without(QStringLiteral("--cdp-url"));
    QTest::newRow("no service") << without(QStringLiteral("--service"));
    QTest::newRow("server not http") << with({QStringLiteral("--server"), QStringLiteral("ftp://x")});
    QTest::newRow("server garbage") << with({QStringLiteral("--server"), QStringLiteral("not a url")});
    QTest::newRow("cdp url file") << with({QStringLiteral("--cdp-url"), QStringLiteral("file:///tmp/x")});
    QTest::newRow("cdp url no host") << with({QStringLiteral("--cdp-url"), QStringLiteral("9222")});
    QTest::newRow("bad blocker") << with({QStringLiteral("--blocker"), QStringLiteral("fingerprint")});
    QTest::newRow("ttl too small") << with({QStringLiteral("--ttl"), QStringLiteral("5")});
    QTest::newRow("ttl too large") << with({QStringLiteral("--ttl"), QStringLiteral("99999")});
    QTest::newRow("ttl not a number") << with({QStringLiteral("--ttl"), QStringLiteral("ten")});
    QTest::newRow("protocol 3") << with({QStringLiteral("--protocol"), QStringLiteral("3")});
    QTest::newRow("quality 80") << with({QStringLiteral("--quality"), QStringLiteral("80")});
    QTest::newRow("hint too long") << with({QStringLiteral("--hint"), QString(201, u'x')});
    QTest::newRow("service too long") << with({QStringLiteral("--service"), QString(101, u's')});
    QTest::newRow("empty service") << with({QStringLiteral("--service"), QString()});
    QTest::newRow("missing value") << with({QStringLiteral("--hint")});
    QTest::newRow("unknown flag") << with({QStringLiteral("--verbose")});
    QTest::newRow("positional") << with({QStringLiteral("extra")});
}

void TestArgumentParser::bad()
{
    QFETCH(QStringList, arguments);
    const auto o = ArgumentParser::parse(arguments, {});
    QVERIFY(!o.ok());
    QCOMPARE(o.error().code, QStringLiteral("usage"));
    QVERIFY(!o.error().message.isEmpty());
}

void TestArgumentParser::errorsNeverEchoSecrets()
{
    // A key given where a flag name belongs is not repeated back.
    QStringList args = base();
    args << QStringLiteral("hk_misplaced_secret");
    const auto o = ArgumentParser::parse(args, {});
    QVERIFY(!o.ok());
    QVERIFY(!o.error().message.contains(QStringLiteral("hk_misplaced_secret")));
    QVERIFY(!ArgumentParser::usage().contains(QStringLiteral("hk_")));
}

void TestArgumentParser::detectAndMcp()
{
    const auto d = ArgumentParser::parse({QStringLiteral("detect"), QStringLiteral("--cdp-url"),
                                          QStringLiteral("http://127.0.0.1:9222"), QStringLiteral("--json")},
                                         {});
    QVERIFY(d.ok());
    QCOMPARE(d->command, CliOptions::Command::Detect);
    QVERIFY(d->json);
    QVERIFY(!ArgumentParser::parse({QStringLiteral("detect")}, {}).ok());
    const auto m = ArgumentParser::parse({QStringLiteral("mcp")}, {{QStringLiteral("HANDOFF_SERVER"), QStringLiteral("http://s")}});
    QVERIFY(m.ok());
    QCOMPARE(m->command, CliOptions::Command::Mcp);
    const auto h = ArgumentParser::parse({QStringLiteral("--help")}, {});
    QVERIFY(h.ok());
    QCOMPARE(h->command, CliOptions::Command::Help);
}

QTEST_GUILESS_MAIN(TestArgumentParser)
#include "tst_ArgumentParser.moc"
