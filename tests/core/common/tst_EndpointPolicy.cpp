// EndpointPolicy::isAcceptable, where the agent sends its client secret and the
// server its ping and push notifications: https anywhere, plain http only to
// this machine, never a URL with user info or a fragment.

#include "core/common/EndpointPolicy.h"

#include <QTest>
#include <QUrl>

using handoff::EndpointPolicy;

class tst_EndpointPolicy final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void isAcceptable_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("acceptable");
        QTest::newRow("https") << QStringLiteral("https://example.com/token") << true;
        QTest::newRow("https with port") << QStringLiteral("https://example.com:8443/ping") << true;
        QTest::newRow("http loopback v4") << QStringLiteral("http://127.0.0.1:8080/token") << true;
        QTest::newRow("http loopback 127/8") << QStringLiteral("http://127.1.2.3/token") << true;
        QTest::newRow("http loopback v6") << QStringLiteral("http://[::1]:8080/token") << true;
        QTest::newRow("http localhost") << QStringLiteral("http://localhost:8080/token") << true;
        QTest::newRow("http LOCALHOST") << QStringLiteral("http://LOCALHOST:8080/token") << true;
        QTest::newRow("http remote") << QStringLiteral("http://example.com/token") << false;
        QTest::newRow("http lan") << QStringLiteral("http://192.168.1.10/token") << false;
        QTest::newRow("http localhost lookalike") << QStringLiteral("http://localhost.example.com/token") << false;
        QTest::newRow("https with user info") << QStringLiteral("https://user:pw@example.com/token") << false;
        QTest::newRow("https with fragment") << QStringLiteral("https://example.com/token#x") << false;
        QTest::newRow("https without host") << QStringLiteral("https:///token") << false;
        QTest::newRow("ws") << QStringLiteral("ws://127.0.0.1/token") << false;
        QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << false;
        QTest::newRow("empty") << QString() << false;
    }

    void isAcceptable()
    {
        QFETCH(QString, url);
        QFETCH(bool, acceptable);
        QCOMPARE(EndpointPolicy::isAcceptable(QUrl(url, QUrl::StrictMode)), acceptable);
    }
};

QTEST_GUILESS_MAIN(tst_EndpointPolicy)
#include "tst_EndpointPolicy.moc"
