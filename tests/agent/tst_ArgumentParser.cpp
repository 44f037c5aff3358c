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
    void approveGood();
    void approveEnvironment();
    void approveBad_data();
    void approveBad();
    void mcpClientCredentials();
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

namespace {
QStringList approveBase()
{
    return {QStringLiteral("approve"), QStringLiteral("--server"), QStringLiteral("https://handoff.example.com"),
            QStringLiteral("--client-id"), QStringLiteral("cl_1"), QStringLiteral("--client-secret"),
            QStringLiteral("s3cret"), QStringLiteral("--binding-message"),
            QStringLiteral("Refund $120.00 to ACME Corp, order 1234"), QStringLiteral("--login-hint"),
            QStringLiteral("alex@example.com")};
}
} // namespace

void TestArgumentParser::approveGood()
{
    const auto o = ArgumentParser::parse(approveBase() + QStringList{QStringLiteral("--scope"), QStringLiteral("openid payments"),
                                                                     QStringLiteral("--user-code=4711"), QStringLiteral("--expiry"),
                                                                     QStringLiteral("120"), QStringLiteral("--json")},
                                         {});
    QVERIFY2(o.ok(), qPrintable(o.ok() ? QString() : o.error().message));
    QCOMPARE(o->command, CliOptions::Command::Approve);
    QCOMPARE(o->server, QUrl(QStringLiteral("https://handoff.example.com")));
    QCOMPARE(o->clientId, QStringLiteral("cl_1"));
    QCOMPARE(o->clientSecret, QByteArray("s3cret"));
    QCOMPARE(o->scope, QStringLiteral("openid payments"));
    QCOMPARE(o->bindingMessage, QStringLiteral("Refund $120.00 to ACME Corp, order 1234"));
    QCOMPARE(o->loginHint, QStringLiteral("alex@example.com"));
    QCOMPARE(o->userCode, QStringLiteral("4711"));
    QCOMPARE(o->expiry, 120);
    QVERIFY(o->json);

    const auto defaults = ArgumentParser::parse(approveBase(), {});
    QVERIFY(defaults.ok());
    QVERIFY(defaults->scope.isEmpty()); // CibaClient sends just openid
    QCOMPARE(defaults->expiry, 0);
    QVERIFY(defaults->userCode.isEmpty());
    QVERIFY(!defaults->json);
    // A 140-character message (code points, not UTF-16 units) is fine; loopback http too.
    QStringList longest = approveBase();
    longest[8] = QString(139, u'x') + QString::fromUcs4(U"😀", 1);
    longest[2] = QStringLiteral("http://127.0.0.1:8080/");
    QVERIFY(ArgumentParser::parse(longest, {}).ok());
}

void TestArgumentParser::approveEnvironment()
{
    const Env env{{QStringLiteral("HANDOFF_SERVER"), QStringLiteral("https://env.example")},
                  {QStringLiteral("HANDOFF_CLIENT_ID"), QStringLiteral("cl_env")},
                  {QStringLiteral("HANDOFF_CLIENT_SECRET"), QStringLiteral("env-secret")}};
    const QStringList minimal{QStringLiteral("approve"), QStringLiteral("--binding-message"), QStringLiteral("Pay"),
                              QStringLiteral("--login-hint"), QStringLiteral("a@example.com")};
    const auto o = ArgumentParser::parse(minimal, env);
    QVERIFY(o.ok());
    QCOMPARE(o->server.host(), QStringLiteral("env.example"));
    QCOMPARE(o->clientId, QStringLiteral("cl_env"));
    QCOMPARE(o->clientSecret, QByteArray("env-secret"));
    const auto flags = ArgumentParser::parse(approveBase(), env);
    QVERIFY(flags.ok());
    QCOMPARE(flags->clientId, QStringLiteral("cl_1"));
    QCOMPARE(flags->clientSecret, QByteArray("s3cret"));
}

void TestArgumentParser::approveBad_data()
{
    QTest::addColumn<QStringList>("arguments");
    const auto without = [](const QString& flag) {
        QStringList a = approveBase();
        a.remove(a.indexOf(flag), 2);
        return a;
    };
    const auto with = [](const QStringList& extra) { return approveBase() + extra; };
    QTest::newRow("no server") << without(QStringLiteral("--server"));
    QTest::newRow("no client id") << without(QStringLiteral("--client-id"));
    QTest::newRow("no client secret") << without(QStringLiteral("--client-secret"));
    QTest::newRow("no binding message") << without(QStringLiteral("--binding-message"));
    QTest::newRow("no login hint") << without(QStringLiteral("--login-hint"));
    QTest::newRow("blank binding message") << with({QStringLiteral("--binding-message"), QStringLiteral(" \t ")});
    QTest::newRow("binding message 141") << with({QStringLiteral("--binding-message"), QString(141, u'x')});
    QTest::newRow("blank login hint") << with({QStringLiteral("--login-hint"), QStringLiteral("  ")});
    QTest::newRow("login hint too long") << with({QStringLiteral("--login-hint"), QString(321, u'a')});
    QTest::newRow("server http remote") << with({QStringLiteral("--server"), QStringLiteral("http://handoff.example.com")});
    QTest::newRow("server http lan") << with({QStringLiteral("--server"), QStringLiteral("http://10.0.0.5:8080")});
    QTest::newRow("server ftp") << with({QStringLiteral("--server"), QStringLiteral("ftp://handoff.example.com")});
    QTest::newRow("server with query") << with({QStringLiteral("--server"), QStringLiteral("https://h.example.com/?x=1")});
    QTest::newRow("server with fragment") << with({QStringLiteral("--server"), QStringLiteral("https://h.example.com/#x")});
    QTest::newRow("server with user") << with({QStringLiteral("--server"), QStringLiteral("https://u:p@h.example.com")});
    QTest::newRow("server garbage") << with({QStringLiteral("--server"), QStringLiteral("not a url")});
    QTest::newRow("empty scope") << with({QStringLiteral("--scope"), QStringLiteral(" ")});
    QTest::newRow("scope with quote") << with({QStringLiteral("--scope"), QStringLiteral("openid \"x\"")});
    QTest::newRow("scope with backslash") << with({QStringLiteral("--scope"), QStringLiteral("openid a\\b")});
    QTest::newRow("scope not ascii") << with({QStringLiteral("--scope"), QStringLiteral("openid zahlung\u00e9")});
    QTest::newRow("scope too long") << with({QStringLiteral("--scope"), QStringLiteral("openid ") + QString(1000, u's')});
    QTest::newRow("user code too long") << with({QStringLiteral("--user-code"), QString(257, u'1')});
    QTest::newRow("expiry zero") << with({QStringLiteral("--expiry"), QStringLiteral("0")});
    QTest::newRow("expiry negative") << with({QStringLiteral("--expiry"), QStringLiteral("-5")});
    QTest::newRow("expiry text") << with({QStringLiteral("--expiry"), QStringLiteral("soon")});
    QTest::newRow("expiry over a day") << with({QStringLiteral("--expiry"), QStringLiteral("86401")});
    QTest::newRow("missing value") << with({QStringLiteral("--expiry")});
    QTest::newRow("api key is not for approve") << with({QStringLiteral("--api-key"), QStringLiteral("hk_x")});
    QTest::newRow("cdp url is not for approve") << with({QStringLiteral("--cdp-url"), QStringLiteral("http://127.0.0.1:9222")});
    QTest::newRow("service is not for approve") << with({QStringLiteral("--service"), QStringLiteral("Bank")});
    QTest::newRow("unknown flag") << with({QStringLiteral("--verbose")});
    QTest::newRow("positional") << with({QStringLiteral("extra")});
    QTest::newRow("approve flag on to-human") << (base() + QStringList{QStringLiteral("--client-secret"), QStringLiteral("x")});
    QTest::newRow("binding message on detect")
        << QStringList{QStringLiteral("detect"), QStringLiteral("--cdp-url"), QStringLiteral("http://127.0.0.1:9222"),
                       QStringLiteral("--binding-message"), QStringLiteral("x")};
}

void TestArgumentParser::approveBad()
{
    QFETCH(QStringList, arguments);
    const auto o = ArgumentParser::parse(arguments, {});
    QVERIFY(!o.ok());
    QCOMPARE(o.error().code, QStringLiteral("usage"));
    QVERIFY(!o.error().message.isEmpty());
    QVERIFY2(!o.error().message.contains(QStringLiteral("s3cret")), qPrintable(o.error().message));
}

void TestArgumentParser::mcpClientCredentials()
{
    const auto fromFlags = ArgumentParser::parse({QStringLiteral("mcp"), QStringLiteral("--client-id"), QStringLiteral("cl_m"),
                                                  QStringLiteral("--client-secret=flag-secret")},
                                                 {});
    QVERIFY(fromFlags.ok());
    QCOMPARE(fromFlags->clientId, QStringLiteral("cl_m"));
    QCOMPARE(fromFlags->clientSecret, QByteArray("flag-secret"));
    const auto fromEnv = ArgumentParser::parse({QStringLiteral("mcp")}, {{QStringLiteral("HANDOFF_CLIENT_ID"), QStringLiteral("cl_e")},
                                                                         {QStringLiteral("HANDOFF_CLIENT_SECRET"), QStringLiteral("e")}});
    QVERIFY(fromEnv.ok());
    QCOMPARE(fromEnv->clientId, QStringLiteral("cl_e"));
    QCOMPARE(fromEnv->clientSecret, QByteArray("e"));
    // A secret given with = to a flag that is wrong here is not echoed either.
    const auto wrong = ArgumentParser::parse(base() + QStringList{QStringLiteral("--client-secret=very-secret")}, {});
    QVERIFY(!wrong.ok());
    QVERIFY(!wrong.error().message.contains(QStringLiteral("very-secret")));
    QVERIFY(ArgumentParser::usage().contains(QStringLiteral("6 denied")));
}

QTEST_GUILESS_MAIN(TestArgumentParser)
#include "tst_ArgumentParser.moc"
