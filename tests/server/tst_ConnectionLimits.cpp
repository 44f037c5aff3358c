// The connection caps on a real handoff-server (issue 13): sockets count from
// accept to close, WebSockets included (an upgrade does not take a socket out of
// the count, and a /device socket that never authenticates counts too). Over the
// per-source cap a new connection from that source is answered 429, over the
// total cap anyone's is answered 503; other sources are still served, a closed
// socket makes room again, and /metrics counts the refusals.

#include "server/http/ConnectionLimiter.h"
#include "tests/server/HttpTestClient.h"
#include "tests/server/RawHttp.h"
#include "tests/support/TestServer.h"

#include <QJsonDocument>
#include <QTest>

#include <memory>
#include <vector>

using namespace handoff;
using namespace handoff::test;

namespace {

constexpr int perSource = 4;
constexpr int total = 7;

const QHostAddress first(QStringLiteral("127.0.0.1"));
const QHostAddress second(QStringLiteral("127.0.0.2"));
const QHostAddress third(QStringLiteral("127.0.0.3"));

QByteArray healthz()
{
    return "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

// The status of GET /healthz on a new connection from `source`, and the answer.
int healthStatus(quint16 port, const QHostAddress& source, QByteArray* answer = nullptr)
{
    RawConnection connection(port, 0, source);
    connection.send(healthz());
    if (!connection.readResponse()) {
        return 0;
    }
    const QByteArray response = connection.takeResponse();
    if (answer) {
        *answer = response;
    }
    return RawConnection::statusOf(response);
}

QJsonObject bodyOf(const QByteArray& response)
{
    return QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
}

// A device channel that is opened and never authenticates.
std::unique_ptr<RawConnection> silentDevice(quint16 port, const QHostAddress& source)
{
    auto connection = std::make_unique<RawConnection>(port, 0, source);
    if (!connection->upgrade(QStringLiteral("/device"))) {
        return nullptr;
    }
    return connection;
}

} // namespace

class tst_ConnectionLimits final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;

    qint64 refusals(const QByteArray& limit, const QHostAddress& source)
    {
        RawConnection connection(m_server.port(), 0, source);
        connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        if (!connection.readResponse()) {
            return -1;
        }
        const QByteArray sample = "handoff_connections_refused_total{limit=\"" + limit + "\"} ";
        for (const QByteArray& line : connection.takeResponse().split('\n')) {
            if (line.startsWith(sample)) {
                return line.mid(sample.size()).toLongLong();
            }
        }
        return -1;
    }

    // Waits until the server has seen every earlier socket close: only the one
    // asking is open.
    bool allClosed()
    {
        return QTest::qWaitFor(
            [&] {
                RawConnection connection(m_server.port(), 0, third);
                connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                return connection.readResponse() && connection.takeResponse().contains("\nhandoff_http_connections 1\n");
            },
            10'000);
    }

private Q_SLOTS:
    void init() { QVERIFY(allClosed()); }

    void initTestCase()
    {
        QVERIFY2(m_server.start({QStringLiteral("--max-connections"), QString::number(total),
                                 QStringLiteral("--max-connections-per-source"), QString::number(perSource)}),
                 qPrintable(m_server.errorString()));
        QCOMPARE(healthStatus(m_server.port(), second), 200); // 127.0.0.2 reaches the server here
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void sourceKeys()
    {
        using server::ConnectionLimiter;
        QCOMPARE(ConnectionLimiter::sourceKey(QHostAddress(QStringLiteral("192.0.2.7"))),
                 ConnectionLimiter::sourceKey(QHostAddress(QStringLiteral("::ffff:192.0.2.7"))));
        QVERIFY(ConnectionLimiter::sourceKey(QHostAddress(QStringLiteral("192.0.2.7")))
                != ConnectionLimiter::sourceKey(QHostAddress(QStringLiteral("192.0.2.8"))));
        // One IPv6 host holds a whole /64.
        QCOMPARE(ConnectionLimiter::sourceKey(QHostAddress(QStringLiteral("2001:db8:1:2::1"))),
                 ConnectionLimiter::sourceKey(QHostAddress(QStringLiteral("2001:db8:1:2:ffff::9"))));
        QVERIFY(ConnectionLimiter::sourceKey(QHostAddress(QStringLiteral("2001:db8:1:2::1")))
                != ConnectionLimiter::sourceKey(QHostAddress(QStringLiteral("2001:db8:1:3::1"))));

        ConnectionLimiter limiter(3, 2);
        const QHostAddress a(QStringLiteral("192.0.2.1"));
        const QHostAddress b(QStringLiteral("192.0.2.2"));
        QCOMPARE(limiter.admit(a), ConnectionLimiter::Verdict::Admitted);
        QCOMPARE(limiter.admit(a), ConnectionLimiter::Verdict::Admitted);
        QCOMPARE(limiter.admit(a), ConnectionLimiter::Verdict::TooManyFromSource);
        QCOMPARE(limiter.admit(b), ConnectionLimiter::Verdict::Admitted);
        QCOMPARE(limiter.admit(b), ConnectionLimiter::Verdict::TooManyInTotal);
        limiter.release(a);
        QCOMPARE(limiter.openFrom(a), 1);
        QCOMPARE(limiter.admit(b), ConnectionLimiter::Verdict::Admitted);
        QCOMPARE(limiter.open(), 3);
        QCOMPARE(limiter.refused(ConnectionLimiter::Verdict::TooManyFromSource), 1);
        QCOMPARE(limiter.refused(ConnectionLimiter::Verdict::TooManyInTotal), 1);
    }

    void upgradedSocketsStayCountedPerSource()
    {
        // Device channels that never authenticate fill the source's share...
        std::vector<std::unique_ptr<RawConnection>> devices;
        for (int i = 0; i < perSource; ++i) {
            devices.push_back(silentDevice(m_server.port(), first));
            QVERIFY2(devices.back(), qPrintable(QStringLiteral("device channel %1 was not upgraded").arg(i)));
        }
        // ...so the next connection from there is refused, with a clear answer.
        QByteArray answer;
        QCOMPARE(healthStatus(m_server.port(), first, &answer), 429);
        QCOMPARE(bodyOf(answer).value(QStringLiteral("error")).toString(), QStringLiteral("too_many_connections"));
        QVERIFY(answer.contains("Retry-After: "));
        QVERIFY(!silentDevice(m_server.port(), first));
        // Another source is still served.
        QCOMPARE(healthStatus(m_server.port(), second), 200);
        QVERIFY(refusals("per_source", second) >= 2);
        // A closed channel makes room again.
        devices.back()->socket.abort();
        devices.pop_back();
        QVERIFY(QTest::qWaitFor([&] { return healthStatus(m_server.port(), first) == 200; }, 10'000));
    }

    void totalCapCountsEverySource()
    {
        // Four sockets from one source, three from another: the server is full.
        std::vector<std::unique_ptr<RawConnection>> open;
        for (int i = 0; i < perSource; ++i) {
            open.push_back(silentDevice(m_server.port(), first));
            QVERIFY(open.back());
        }
        for (int i = 0; i < total - perSource; ++i) {
            open.push_back(std::make_unique<RawConnection>(m_server.port(), 0, second));
            open.back()->send(healthz());
            QVERIFY(open.back()->readResponse());
            QCOMPARE(RawConnection::statusOf(open.back()->takeResponse()), 200);
        }
        QByteArray answer;
        QCOMPARE(healthStatus(m_server.port(), third, &answer), 503);
        QCOMPARE(bodyOf(answer).value(QStringLiteral("error")).toString(), QStringLiteral("server_busy"));
        // Once one keep-alive connection closes, the next one is served.
        open.back()->socket.abort();
        open.pop_back();
        QVERIFY(QTest::qWaitFor([&] { return healthStatus(m_server.port(), third) == 200; }, 10'000));
        // The probe just served may not have been seen closing yet, so the
        // server can still be full for a moment: ask until /metrics answers.
        QVERIFY(QTest::qWaitFor([&] { return refusals("total", third) >= 1; }, 10'000));
    }
};

QTEST_GUILESS_MAIN(tst_ConnectionLimits)
#include "tst_ConnectionLimits.moc"
