// The six-digit SAS: big-endian u32 of the 4 HKDF "sas" bytes, mod 1,000,000, zero-padded.

#include "core/protocol/Sas.h"

#include <QTest>

using handoff::protocol::Sas;

class tst_Sas : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void digits_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("sas");
        QTest::newRow("zero") << QByteArray::fromHex("00000000") << QStringLiteral("000000");
        QTest::newRow("one, padded") << QByteArray::fromHex("00000001") << QStringLiteral("000001");
        QTest::newRow("exactly one million") << QByteArray::fromHex("000f4240") << QStringLiteral("000000");
        QTest::newRow("one million minus one") << QByteArray::fromHex("000f423f") << QStringLiteral("999999");
        QTest::newRow("big-endian, not little") << QByteArray::fromHex("01000000") << QStringLiteral("777216");
        QTest::newRow("max u32") << QByteArray::fromHex("ffffffff") << QStringLiteral("967295");
        // From the v2 known-answer vector computed with Node's crypto (tst_SecureChannelV2).
        QTest::newRow("vector") << QByteArray::fromHex("d8595d8c") << QStringLiteral("735308");
    }

    void digits()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, sas);
        const auto result = Sas::fromBytes(bytes);
        QVERIFY(result.ok());
        QCOMPARE(*result, sas);
        QCOMPARE(result->size(), 6);
    }

    void wrongLength_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("three") << QByteArray::fromHex("010203");
        QTest::newRow("five") << QByteArray::fromHex("0102030405");
        QTest::newRow("thirty-two") << QByteArray(32, 'x');
    }

    void wrongLength()
    {
        QFETCH(QByteArray, bytes);
        const auto result = Sas::fromBytes(bytes);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("bad_sas_input"));
    }
};

QTEST_GUILESS_MAIN(tst_Sas)
#include "tst_Sas.moc"
