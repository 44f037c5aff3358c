// Pipelined HTTP requests against a real handoff-server (issue 13): a client that
// sends thousands of requests and never reads the answers must not grow the
// server's memory (the server stops reading that connection while its unwritten
// answers are above a bound), other clients are still served meanwhile, and once
// the client reads, every answer arrives, none lost and none out of order. A slow
// but honest reader is served to the end, even past the idle timeout.

#include "tests/server/HttpTestClient.h"
#include "tests/server/RawHttp.h"
#include "tests/support/TestServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace handoff::test;

namespace {

// Resident memory of a process, in KiB; -1 when unknown.
qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    return -1;
}

QByteArray get(const QByteArray& path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

// The size of the complete response that starts at `at` (head and
// Content-Length body), or -1 when it has not all arrived.
qsizetype responseSizeAt(const QByteArray& data, qsizetype at)
{
    const qsizetype end = data.indexOf("\r\n\r\n", at);
    if (end < 0) {
        return -1;
    }
    qint64 length = 0;
    for (const QByteArray& line : data.mid(at, end - at).split('\n')) {
        if (line.toLower().startsWith("content-length:")) {
            length = line.mid(15).trimmed().toLongLong();
        }
    }
    return data.size() < end + 4 + length ? -1 : end + 4 + length - at;
}

// Reads complete responses as they arrive and keeps their status codes, without
// holding the bodies: `rounds` reads of at most `chunk` bytes, `pauseMs` apart
// (0: as fast as they come), until `expected` responses are in or the time is up.
class ResponseCounter final {
public:
    explicit ResponseCounter(RawConnection& connection) : m_connection(connection) {}

    bool readAll(qsizetype expected, qint64 chunk, int pauseMs, int timeoutMs = 120'000)
    {
        return readAtLeast(expected, chunk, pauseMs, timeoutMs) && statuses.size() == expected;
    }

    bool readAtLeast(qsizetype expected, qint64 chunk, int pauseMs, int timeoutMs = 120'000)
    {
        return QTest::qWaitFor(
            [&] {
                QByteArray& buffer = m_connection.buffer;
                buffer += chunk > 0 ? m_connection.socket.read(chunk) : m_connection.socket.readAll();
                qsizetype at = 0;
                for (;;) {
                    const qsizetype size = responseSizeAt(buffer, at);
                    if (size <= 0) {
                        break;
                    }
                    statuses.append(RawConnection::statusOf(buffer.mid(at, 12)));
                    at += size;
                }
                buffer.remove(0, at);
                if (pauseMs > 0 && statuses.size() < expected) {
                    QTest::qWait(pauseMs);
                }
                return statuses.size() >= expected
                       || (m_connection.socket.state() != QAbstractSocket::ConnectedState
                           && m_connection.socket.bytesAvailable() == 0);
            },
            timeoutMs)
               && statuses.size() >= expected;
    }

    QList<int> statuses;

private:
    RawConnection& m_connection;
};

} // namespace

class tst_Pipelining final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    HttpTestClient m_http;

    bool healthy() { return m_http.get(m_server.url(QStringLiteral("/healthz"))).status == 200; }

private Q_SLOTS:
    void initTestCase()
    {
        // The memory measured is the server's own: AddressSanitizer's quarantine of
        // freed blocks would add whatever the answers churned through.
        const QByteArray asan = qgetenv("ASAN_OPTIONS");
        qputenv("ASAN_OPTIONS", asan + (asan.isEmpty() ? "" : ":") + "quarantine_size_mb=0:thread_local_quarantine_size_kb=0");
        QVERIFY2(m_server.start({QStringLiteral("--idle-timeout"), QStringLiteral("3s")}), qPrintable(m_server.errorString()));
        qputenv("ASAN_OPTIONS", asan);
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void unreadAnswersDoNotGrowTheServer()
    {
        constexpr int requests = 20'000;
        // Warm up what every answer needs, then take the baseline.
        {
            RawConnection warm(m_server.port());
            QByteArray some;
            for (int i = 0; i < 200; ++i) {
                some += get("/s/x");
            }
            warm.send(some);
            ResponseCounter counter(warm);
            QVERIFY(counter.readAll(200, 0, 0));
        }
        QVERIFY(healthy());
        const qint64 before = residentKiB(m_server.pid());
        QVERIFY(before > 0);

        RawConnection greedy(m_server.port(), 16 * 1024);
        QByteArray pipeline;
        for (int i = 0; i < requests; ++i) {
            pipeline += get("/s/x");
        }
        greedy.send(pipeline);
        // Until the server stops taking the requests (or has taken them all), and a
        // while longer: the highest resident size in that time counts.
        qint64 highest = before;
        qint64 lastUnsent = -1;
        int steady = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                highest = std::max(highest, residentKiB(m_server.pid()));
                const qint64 unsent = greedy.socket.bytesToWrite();
                steady = unsent == lastUnsent ? steady + 1 : 0;
                lastUnsent = unsent;
                return steady >= 10;
            },
            120'000));
        // Others are served while that client's answers wait.
        QVERIFY(healthy());
        for (int i = 0; i < 10; ++i) {
            QTest::qWait(100);
            highest = std::max(highest, residentKiB(m_server.pid()));
        }
        const qint64 grownKiB = highest - before;
        qInfo("server memory: %lld KiB before, at most %lld KiB with %d unread pipelined answers (+%lld KiB)",
              before, highest, requests, grownKiB);
        QVERIFY2(grownKiB < 8 * 1024, qPrintable(QStringLiteral("the server grew by %1 KiB").arg(grownKiB)));

        // Once the client reads, the server reads on: many times what the bound and
        // the kernel's buffers held arrive (answersKeepTheirOrder checks every one).
        ResponseCounter counter(greedy);
        QVERIFY2(counter.readAtLeast(requests / 4, 0, 0), qPrintable(QStringLiteral("%1 answers").arg(counter.statuses.size())));
        QVERIFY(std::all_of(counter.statuses.cbegin(), counter.statuses.cend(),
                            [&](int status) { return status == counter.statuses.first(); }));
        QVERIFY(greedy.isOpen());
    }

    void answersKeepTheirOrder()
    {
        // Three kinds of answer in a fixed pattern: a lost or reordered one breaks it.
        constexpr int requests = 30'000;
        const QByteArray kinds[] = {get("/healthz"), get("/no-such-path"),
                                    "DELETE /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"};
        const int expected[] = {200, 404, 405};
        QByteArray pipeline;
        for (int i = 0; i < requests; ++i) {
            pipeline += kinds[i % 3];
        }
        RawConnection connection(m_server.port(), 8 * 1024);
        connection.send(pipeline);
        QTest::qWait(500); // let the server run into the bound before anything is read
        ResponseCounter counter(connection);
        QVERIFY2(counter.readAll(requests, 0, 0), qPrintable(QStringLiteral("%1 answers").arg(counter.statuses.size())));
        for (int i = 0; i < requests; ++i) {
            QVERIFY2(counter.statuses.at(i) == expected[i % 3],
                     qPrintable(QStringLiteral("answer %1 is %2").arg(i).arg(counter.statuses.at(i))));
        }
    }

    void slowReaderIsServedToTheEnd()
    {
        // Much more than the bound, read in small sips over longer than the idle
        // timeout (3 s): the connection is busy, not idle, and is not cut off
        // before every answer is out.
        constexpr int requests = 2500;
        QByteArray pipeline;
        for (int i = 0; i < requests; ++i) {
            pipeline += get("/s/x");
        }
        RawConnection connection(m_server.port(), 8 * 1024);
        connection.send(pipeline);
        ResponseCounter counter(connection);
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(counter.readAll(requests, 16 * 1024, 5),
                 qPrintable(QStringLiteral("%1 answers after %2 ms").arg(counter.statuses.size()).arg(clock.elapsed())));
        qInfo("read %d answers in %lld ms", requests, clock.elapsed());
    }
};

QTEST_GUILESS_MAIN(tst_Pipelining)
#include "tst_Pipelining.moc"
