// PollSchedule: when a CIBA poll-mode client asks the token endpoint next. The
// default interval, slow_down's +5 s (CIBA Core 11, RFC 8628 3.5) for every
// later poll, at most a minute in all, the last poll at the deadline, the bounds,
// and the transient failure budget; table-driven.

#include "agent/approval/PollSchedule.h"

#include <QTest>

using namespace handoff::agent;

class TestPollSchedule final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void interval_data();
    void interval();
    void delays_data();
    void delays();
    void slowDownAddsFiveSecondsEachTime();
    void slowDownIsBounded();
    void slowDownPenaltyIsBounded();
    void expiry();
    void transientFailures();
};

void TestPollSchedule::interval_data()
{
    QTest::addColumn<int>("given");
    QTest::addColumn<int>("expected");
    QTest::newRow("server's interval") << 2 << 2;
    QTest::newRow("none: the default 5 s") << 0 << 5;
    QTest::newRow("negative: the default") << -3 << 5;
    QTest::newRow("one second") << 1 << 1;
    QTest::newRow("capped at an hour") << 100000 << 3600;
}

void TestPollSchedule::interval()
{
    QFETCH(int, given);
    QFETCH(int, expected);
    const PollSchedule schedule(given, 300, 0);
    QCOMPARE(schedule.intervalSeconds(), expected);
    QCOMPARE(schedule.deadlineMs(), qint64(300'000));
}

void TestPollSchedule::delays_data()
{
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("expiresIn");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("first poll after one interval") << 5 << 300 << qint64(0) << qint64(0) << qint64(5000);
    QTest::newRow("mid-way: still the interval") << 5 << 300 << qint64(0) << qint64(100'000) << qint64(5000);
    QTest::newRow("close to the deadline: the deadline") << 5 << 300 << qint64(0) << qint64(297'500) << qint64(2500);
    QTest::newRow("exactly at the deadline") << 5 << 300 << qint64(0) << qint64(300'000) << qint64(0);
    QTest::newRow("past the deadline: at once") << 5 << 300 << qint64(0) << qint64(400'000) << qint64(0);
    QTest::newRow("interval longer than the request") << 10 << 3 << qint64(0) << qint64(0) << qint64(3000);
    QTest::newRow("started later") << 2 << 60 << qint64(10'000) << qint64(10'500) << qint64(2000);
    QTest::newRow("no expiry left at all") << 5 << 0 << qint64(0) << qint64(0) << qint64(0);
}

void TestPollSchedule::delays()
{
    QFETCH(int, interval);
    QFETCH(int, expiresIn);
    QFETCH(qint64, start);
    QFETCH(qint64, now);
    QFETCH(qint64, expected);
    const PollSchedule schedule(interval, expiresIn, start);
    QCOMPARE(schedule.nextDelayMs(now), expected);
}

void TestPollSchedule::slowDownAddsFiveSecondsEachTime()
{
    PollSchedule schedule(1, 600, 0);
    schedule.slowDown();
    QCOMPARE(schedule.intervalSeconds(), 6);
    QCOMPARE(schedule.nextDelayMs(0), qint64(6000));
    schedule.slowDown();
    QCOMPARE(schedule.intervalSeconds(), 11);
    // It stays longer for every later poll: a pending answer does not undo it.
    schedule.answered();
    QCOMPARE(schedule.intervalSeconds(), 11);
    QCOMPARE(schedule.nextDelayMs(1000), qint64(11'000));

    PollSchedule byDefault(0, 600, 0);
    byDefault.slowDown();
    QCOMPARE(byDefault.intervalSeconds(), 10);
}

void TestPollSchedule::slowDownIsBounded()
{
    PollSchedule schedule(3598, 86400, 0);
    schedule.slowDown();
    QCOMPARE(schedule.intervalSeconds(), PollSchedule::MaxIntervalSeconds);
    schedule.slowDown();
    QCOMPARE(schedule.intervalSeconds(), PollSchedule::MaxIntervalSeconds);
}

void TestPollSchedule::slowDownPenaltyIsBounded()
{
    // A server that answers every poll with slow_down slows the client down by a
    // minute at most, not until its deadline.
    PollSchedule schedule(5, 1800, 0);
    for (int i = 0; i < 100; ++i) {
        schedule.slowDown();
    }
    QCOMPARE(schedule.intervalSeconds(), 5 + PollSchedule::MaxSlowDownSeconds);
    QCOMPARE(schedule.nextDelayMs(0), qint64(5 + PollSchedule::MaxSlowDownSeconds) * 1000);
    // The bound counts from the server's own interval.
    PollSchedule slow(600, 86400, 0);
    for (int i = 0; i < 100; ++i) {
        slow.slowDown();
    }
    QCOMPARE(slow.intervalSeconds(), 600 + PollSchedule::MaxSlowDownSeconds);
}

void TestPollSchedule::expiry()
{
    const PollSchedule schedule(5, 2, 1000);
    QCOMPARE(schedule.deadlineMs(), qint64(3000));
    QVERIFY(!schedule.isExpired(1000));
    QVERIFY(!schedule.isExpired(2999));
    QVERIFY(schedule.isExpired(3000));
    QVERIFY(schedule.isExpired(10'000));
}

void TestPollSchedule::transientFailures()
{
    PollSchedule schedule(5, 300, 0);
    for (int i = 1; i < PollSchedule::MaxTransientFailures; ++i) {
        QVERIFY2(schedule.failedTransiently(), qPrintable(QString::number(i)));
        QCOMPARE(schedule.failuresInARow(), i);
    }
    QVERIFY(!schedule.failedTransiently());

    // A real answer in between starts the count again.
    PollSchedule again(5, 300, 0);
    for (int round = 0; round < 5; ++round) {
        QVERIFY(again.failedTransiently());
        QVERIFY(again.failedTransiently());
        again.answered();
        QCOMPARE(again.failuresInARow(), 0);
    }
    // Failures do not stretch the interval; only slow_down does.
    QCOMPARE(again.intervalSeconds(), 5);
}

QTEST_GUILESS_MAIN(TestPollSchedule)
#include "tst_PollSchedule.moc"
