// The start-up known-answer self-test passes on this build of OpenSSL.

#include "core/crypto/SelfTest.h"

#include <QTest>

using handoff::crypto::SelfTest;

class TestSelfTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runPasses();
};

void TestSelfTest::runPasses()
{
    const auto result = SelfTest::run();
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    // Running it again gives the same answer (no state left behind).
    QVERIFY(SelfTest::run().ok());
}

QTEST_GUILESS_MAIN(TestSelfTest)
#include "tst_SelfTest.moc"
