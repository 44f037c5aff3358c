// Constant-time comparison: the answers (timing is not measured here).

#include "core/crypto/ConstantTime.h"

#include <QTest>

using handoff::crypto::ConstantTime;

class TestConstantTime final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void equal_data();
    void equal();
};

void TestConstantTime::equal_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("expected");

    const QByteArray token("0123456789abcdef0123456789abcdef");
    QByteArray lastDiffers = token;
    lastDiffers[31] = 'g';
    QByteArray firstDiffers = token;
    firstDiffers[0] = '1';
    QByteArray oneBit = token;
    oneBit[16] = static_cast<char>(oneBit[16] ^ 0x01);

    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("null and empty") << QByteArray() << QByteArray("") << true;
    QTest::newRow("same bytes") << token << QByteArray(token.constData(), token.size()) << true;
    QTest::newRow("embedded zero bytes") << QByteArray("a\0b", 3) << QByteArray("a\0b", 3) << true;
    QTest::newRow("first byte differs") << token << firstDiffers << false;
    QTest::newRow("last byte differs") << token << lastDiffers << false;
    QTest::newRow("one bit differs") << token << oneBit << false;
    QTest::newRow("prefix") << token << token.left(31) << false;
    QTest::newRow("longer") << token << token + 'x' << false;
    QTest::newRow("empty vs non-empty") << QByteArray() << QByteArray("x") << false;
    QTest::newRow("zero bytes differ in length") << QByteArray(3, '\0') << QByteArray(4, '\0') << false;
}

void TestConstantTime::equal()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, expected);
    QCOMPARE(ConstantTime::equal(a, b), expected);
    QCOMPARE(ConstantTime::equal(b, a), expected);
}

QTEST_GUILESS_MAIN(TestConstantTime)
#include "tst_ConstantTime.moc"
