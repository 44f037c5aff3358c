// ServerConfig and ConfigSources: flags over HANDOFF_* environment over config file,
// value syntax, and refusal of anything malformed.

#include "server/config/ConfigSources.h"
#include "server/config/ServerConfig.h"
#include "tests/support/FuzzSeed.h"

#include <QTest>

using namespace handoff::server;

class tst_ServerConfig final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsWorkWithNoSource()
    {
        const auto config = ServerConfig::resolve({}, {}, {});
        QVERIFY(config.ok());
        QCOMPARE(config->listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config->listenPort, quint16(8420));
        QVERIFY(config->publicUrl.isEmpty());
        QCOMPARE(config->maxBodyBytes, 64 * 1024);
        QCOMPARE(config->maxHeaderBytes, 16 * 1024);
        QCOMPARE(config->maxTextMessageBytes, 64 * 1024);
        QCOMPARE(config->maxBinaryMessageBytes, 4 * 1024 * 1024);
        QCOMPARE(config->viewerMessagesPerSecond, 200);
        QCOMPARE(config->pingIntervalMs, 15'000);
        QCOMPARE(config->pongTimeoutMs, 45'000);
        QCOMPARE(config->resolvedAgentGraceMs, 10'000);
        QCOMPARE(config->minTtlSeconds, 30);
        QCOMPARE(config->maxTtlSeconds, 3600);
        QCOMPARE(config->defaultTtlSeconds, 600);
        QCOMPARE(config->notificationRetryInitialMs, 1000);
        QCOMPARE(config->notificationRetryMaxMs, 5 * 60 * 1000);
        QCOMPARE(config->notificationRetryPeriodMs, 24 * 3600 * 1000);
        QVERIFY(!config->tlsEnabled());
        QCOMPARE(config->denialBlock.denials, 3);
        QCOMPARE(config->denialBlock.windowMs, 10 * 60 * 1000);
        QCOMPARE(config->denialBlock.blockMs, 30 * 60 * 1000);
    }

    void denialBlockKnobs()
    {
        const auto config = ServerConfig::resolve({{QStringLiteral("denial-block-count"), QStringLiteral("5")},
                                                   {QStringLiteral("denial-block-window"), QStringLiteral("2m")},
                                                   {QStringLiteral("denial-block-duration"), QStringLiteral("3s")}},
                                                  {}, {});
        QVERIFY(config.ok());
        QCOMPARE(config->denialBlock.denials, 5);
        QCOMPARE(config->denialBlock.windowMs, 120'000);
        QCOMPARE(config->denialBlock.blockMs, 3000);
    }

    void abuseLimitKnobs()
    {
        auto config = ServerConfig::resolve({}, {}, {});
        QVERIFY(config.ok());
        QCOMPARE(config->maxConnections, 4096);
        QCOMPARE(config->maxConnectionsPerSource, 256);
        QCOMPARE(config->userCodeLock.perUser, 5);
        QCOMPARE(config->userCodeLock.perClient, 10);
        QCOMPARE(config->userCodeLock.windowMs, 15 * 60 * 1000);
        QCOMPARE(config->userCodeLock.lockMs, 30 * 60 * 1000);
        QCOMPARE(config->cibaRequestsPerMinute, 60);
        config = ServerConfig::resolve({{QStringLiteral("max-connections-per-source"), QStringLiteral("8")},
                                        {QStringLiteral("user-code-attempts"), QStringLiteral("3")},
                                        {QStringLiteral("user-code-client-attempts"), QStringLiteral("7")},
                                        {QStringLiteral("user-code-window"), QStringLiteral("1m")},
                                        {QStringLiteral("user-code-lock-duration"), QStringLiteral("2s")},
                                        {QStringLiteral("ciba-request-rate"), QStringLiteral("12")}},
                                       {}, {});
        QVERIFY(config.ok());
        QCOMPARE(config->maxConnectionsPerSource, 8);
        QCOMPARE(config->cibaLimits().userCodeLock.perUser, 3);
        QCOMPARE(config->cibaLimits().userCodeLock.perClient, 7);
        QCOMPARE(config->cibaLimits().userCodeLock.windowMs, 60'000);
        QCOMPARE(config->cibaLimits().userCodeLock.lockMs, 2000);
        QCOMPARE(config->cibaLimits().requestsPerMinute, 12);
        for (const auto& [name, value] : {std::pair{"max-connections-per-source", "0"}, std::pair{"user-code-attempts", "0"},
                                          std::pair{"user-code-window", "5ms"}, std::pair{"ciba-request-rate", "many"}}) {
            QVERIFY2(!ServerConfig::resolve({{QString::fromLatin1(name), QString::fromLatin1(value)}}, {}, {}).ok(), name);
        }
    }

    void flagsOverEnvironmentOverFile()
    {
        const QMap<QString, QString> file{{QStringLiteral("listen"), QStringLiteral("127.0.0.1:1000")},
                                          {QStringLiteral("data-dir"), QStringLiteral("/from/file")},
                                          {QStringLiteral("ping-interval"), QStringLiteral("1s")}};
        const QMap<QString, QString> env{{QStringLiteral("listen"), QStringLiteral("127.0.0.1:2000")},
                                         {QStringLiteral("data-dir"), QStringLiteral("/from/env")}};
        const QMap<QString, QString> flags{{QStringLiteral("listen"), QStringLiteral("127.0.0.1:3000")}};
        const auto config = ServerConfig::resolve(flags, env, file);
        QVERIFY(config.ok());
        QCOMPARE(config->listenPort, quint16(3000));
        QCOMPARE(config->dataDir, QStringLiteral("/from/env"));
        QCOMPARE(config->pingIntervalMs, 1000);
    }

    void environmentNames()
    {
        QCOMPARE(ServerConfig::envName(QStringLiteral("public-url")), QStringLiteral("HANDOFF_PUBLIC_URL"));
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("HANDOFF_PUBLIC_URL"), QStringLiteral("https://h.example"));
        environment.insert(QStringLiteral("HANDOFF_UNRELATED"), QStringLiteral("x"));
        environment.insert(QStringLiteral("PATH"), QStringLiteral("/bin"));
        const auto values = ConfigSources::fromEnvironment(environment);
        QCOMPARE(values.size(), 1);
        QCOMPARE(values.value(QStringLiteral("public-url")), QStringLiteral("https://h.example"));
    }

    void flagSyntax()
    {
        const auto flags = ConfigSources::parseFlags({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"),
                                                      QStringLiteral("ci"), QStringLiteral("--listen=[::1]:0")},
                                                     {QStringLiteral("name")});
        QVERIFY(flags.ok());
        QCOMPARE(flags->positional, (QStringList{QStringLiteral("keys"), QStringLiteral("create")}));
        QCOMPARE(flags->options.value(QStringLiteral("name")), QStringLiteral("ci"));
        const auto config = ServerConfig::resolve({{QStringLiteral("listen"), flags->options.value(QStringLiteral("listen"))}}, {}, {});
        QVERIFY(config.ok());
        QCOMPARE(config->listenAddress, QHostAddress(QHostAddress::LocalHostIPv6));
        QCOMPARE(config->listenPort, quint16(0));

        QVERIFY(!ConfigSources::parseFlags({QStringLiteral("--no-such-flag"), QStringLiteral("1")}).ok());
        QVERIFY(!ConfigSources::parseFlags({QStringLiteral("--listen")}).ok());
        QVERIFY(ConfigSources::parseFlags({QStringLiteral("--help")})->help);
    }

    void configFile()
    {
        const auto values = ConfigSources::parseFile(QStringLiteral("# comment\n\nlisten = 0.0.0.0:8420  # all\n"
                                                                    "public-url=https://handoff.example.com/\n"));
        QVERIFY(values.ok());
        QCOMPARE(values->value(QStringLiteral("listen")), QStringLiteral("0.0.0.0:8420"));
        const auto config = ServerConfig::resolve({}, {}, *values);
        QVERIFY(config.ok());
        QCOMPARE(config->publicUrl.toString(), QStringLiteral("https://handoff.example.com"));
        QVERIFY(!ConfigSources::parseFile(QStringLiteral("listen 1")).ok());
        QVERIFY(!ConfigSources::parseFile(QStringLiteral("nonsense = 1")).ok());
        QVERIFY(!ConfigSources::parseFile(QStringLiteral("config = /other")).ok());
    }

    void values_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("valid");
        const auto row = [](const char* label, const char* name, const char* value, bool valid) {
            QTest::newRow(label) << QString::fromLatin1(name) << QString::fromLatin1(value) << valid;
        };
        row("listen ipv4", "listen", "127.0.0.1:8420", true);
        row("listen localhost", "listen", "localhost:80", true);
        row("listen any", "listen", "0.0.0.0:0", true);
        row("listen ipv6", "listen", "[::]:8420", true);
        row("listen without port", "listen", "127.0.0.1", false);
        row("listen port too big", "listen", "127.0.0.1:65536", false);
        row("listen host name", "listen", "example.com:80", false);
        row("listen garbage", "listen", ":::", false);
        row("public url https", "public-url", "https://h.example/prefix", true);
        row("public url ftp", "public-url", "ftp://h.example", false);
        row("public url with query", "public-url", "https://h.example/?a=1", false);
        row("public url no host", "public-url", "https://", false);
        row("duration ms", "ping-interval", "250ms", true);
        row("duration seconds", "ping-interval", "15", true);
        row("duration fraction", "pong-timeout", "1.5s", true);
        row("duration minutes", "idle-timeout", "2m", true);
        row("duration too small", "ping-interval", "1ms", false);
        row("duration negative", "ping-interval", "-5s", false);
        row("duration words", "ping-interval", "soon", false);
        row("resolve grace", "resolve-grace", "2s", true);
        row("resolve grace too small", "resolve-grace", "10ms", false);
        row("bytes plain", "max-body", "65536", true);
        row("bytes KiB", "max-body", "64KiB", true);
        row("bytes MiB", "max-binary", "4MiB", true);
        row("bytes too small", "max-body", "10", false);
        row("bytes words", "max-body", "lots", false);
        row("int", "viewer-rate", "200", true);
        row("int zero", "viewer-rate", "0", false);
        row("int words", "session-rate", "many", false);
        row("ttl", "min-ttl", "1", true);
        row("duration hours", "notification-retry-period", "24h", true);
        row("duration over a day", "notification-retry-period", "25h", false);
        row("retry initial", "notification-retry-initial", "200ms", true);
        row("retry initial too small", "notification-retry-initial", "5ms", false);
        row("notification timeout", "notification-timeout", "2s", true);
        row("notification concurrency zero", "notification-concurrency", "0", false);
        row("denial count", "denial-block-count", "1", true);
        row("denial count zero", "denial-block-count", "0", false);
        row("denial count words", "denial-block-count", "three", false);
        row("denial window", "denial-block-window", "10m", true);
        row("denial window too small", "denial-block-window", "5ms", false);
        row("block duration", "denial-block-duration", "1.5s", true);
        row("block duration words", "denial-block-duration", "forever", false);
    }

    void values()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(bool, valid);
        handoff::testutil::recordFuzzSeed("config_file", name + QStringLiteral(" = ") + value + QLatin1Char('\n'));
        const auto config = ServerConfig::resolve({{name, value}}, {}, {});
        QCOMPARE(config.ok(), valid);
        if (!valid) {
            QVERIFY(config.error().message.contains(name));
        }
    }

    void consistency()
    {
        QVERIFY(!ServerConfig::resolve({{QStringLiteral("tls-cert"), QStringLiteral("/c.pem")}}, {}, {}).ok());
        QVERIFY(ServerConfig::resolve({{QStringLiteral("tls-cert"), QStringLiteral("/c.pem")},
                                       {QStringLiteral("tls-key"), QStringLiteral("/k.pem")}},
                                      {}, {})
                    ->tlsEnabled());
        QVERIFY(!ServerConfig::resolve({{QStringLiteral("min-ttl"), QStringLiteral("700")}}, {}, {}).ok());
        QVERIFY(!ServerConfig::resolve({{QStringLiteral("unknown"), QStringLiteral("1")}}, {}, {}).ok());
        // Backoff starts at most at its cap.
        QVERIFY(!ServerConfig::resolve({{QStringLiteral("notification-retry-initial"), QStringLiteral("10m")}}, {}, {}).ok());
        const auto retries = ServerConfig::resolve({{QStringLiteral("notification-retry-initial"), QStringLiteral("10m")},
                                                    {QStringLiteral("notification-retry-max"), QStringLiteral("1h")}},
                                                   {}, {});
        QVERIFY(retries.ok());
        QCOMPARE(retries->notificationRetryInitialMs, 600'000);
        QCOMPARE(retries->notificationRetryMaxMs, 3'600'000);
    }
};

QTEST_GUILESS_MAIN(tst_ServerConfig)
#include "tst_ServerConfig.moc"
