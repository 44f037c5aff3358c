// RetrySchedule, the backoff of notification retries: the base delay doubles from
// the initial one up to the cap; the delay drawn lies in [base/2, base]; there is
// no next attempt past the period after queueing.

#include "server/ciba/RetrySchedule.h"

#include <QTest>

using namespace handoff::server;

class tst_RetrySchedule final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void baseDelayDoublesToTheCap_data()
    {
        QTest::addColumn<int>("failures");
        QTest::addColumn<qint64>("base");
        QTest::newRow("first failure") << 1 << qint64(1000);
        QTest::newRow("second") << 2 << qint64(2000);
        QTest::newRow("third") << 3 << qint64(4000);
        QTest::newRow("ninth") << 9 << qint64(256'000);
        QTest::newRow("tenth reaches the cap") << 10 << qint64(300'000);
        QTest::newRow("far past the cap") << 10'000 << qint64(300'000);
        QTest::newRow("no failure counts as one") << 0 << qint64(1000);
    }
    void baseDelayDoublesToTheCap()
    {
        QFETCH(int, failures);
        QFETCH(qint64, base);
        const RetrySchedule schedule(1000, 300'000, 24LL * 3600 * 1000);
        QCOMPARE(schedule.baseDelayMs(failures), base);
    }

    void jitterStaysWithinHalfAndWhole_data()
    {
        QTest::addColumn<double>("draw");
        QTest::addColumn<qint64>("delay");
        QTest::newRow("lowest") << 0.0 << qint64(2000);
        QTest::newRow("middle") << 0.5 << qint64(3000);
        QTest::newRow("almost highest") << 0.999999 << qint64(3999);
        QTest::newRow("out of range low") << -3.0 << qint64(2000);
        QTest::newRow("out of range high") << 7.0 << qint64(4000);
    }
    void jitterStaysWithinHalfAndWhole()
    {
        QFETCH(double, draw);
        QFETCH(qint64, delay);
        const RetrySchedule schedule(1000, 300'000, 24LL * 3600 * 1000);
        QCOMPARE(schedule.delayMs(3, draw), delay); // base 4000
    }

    void neverZeroNorOverTheCap()
    {
        const RetrySchedule tiny(1, 1, 1000);
        QCOMPARE(tiny.delayMs(1, 0.0), qint64(1));
        const RetrySchedule schedule(1000, 300'000, 24LL * 3600 * 1000);
        for (int failures = 1; failures < 40; ++failures) {
            for (double draw : {0.0, 0.25, 0.75, 0.9999}) {
                const qint64 delay = schedule.delayMs(failures, draw);
                QVERIFY(delay >= 500);
                QVERIFY(delay <= 300'000);
            }
        }
    }

    void givesUpAfterThePeriod()
    {
        const qint64 queued = 1'000'000;
        const RetrySchedule schedule(1000, 300'000, 10'000);
        // Within the period: now + delay.
        QCOMPARE(schedule.nextAttemptAt(1, queued, queued + 100, 0.0), std::optional<qint64>(queued + 600));
        QCOMPARE(schedule.nextAttemptAt(3, queued, queued + 5000, 1.0), std::optional<qint64>(queued + 9000));
        // Exactly at the end of the period is still allowed; past it, not.
        QCOMPARE(schedule.nextAttemptAt(3, queued, queued + 6000, 1.0), std::optional<qint64>(queued + 10'000));
        QCOMPARE(schedule.nextAttemptAt(3, queued, queued + 6001, 1.0), std::nullopt);
        QCOMPARE(schedule.nextAttemptAt(1, queued, queued + 20'000, 0.0), std::nullopt);
        // A zero period never retries.
        const RetrySchedule once(1000, 1000, 0);
        QCOMPARE(once.nextAttemptAt(1, queued, queued, 0.0), std::nullopt);
    }

    void defaultsMatchTheDocumentedSchedule()
    {
        // 1 s doubling to 5 min over 24 h: how many attempts at most (all at the longest draw).
        const RetrySchedule schedule(1000, 5 * 60 * 1000, 24LL * 3600 * 1000);
        qint64 now = 0;
        int attempts = 1;
        while (const std::optional<qint64> next = schedule.nextAttemptAt(attempts, 0, now, 1.0)) {
            now = *next;
            ++attempts;
        }
        QVERIFY(now <= 24LL * 3600 * 1000);
        QVERIFY(now > 24LL * 3600 * 1000 - 5 * 60 * 1000);
        QVERIFY(attempts > 280 && attempts < 300);
    }
};

QTEST_GUILESS_MAIN(tst_RetrySchedule)
#include "tst_RetrySchedule.moc"
