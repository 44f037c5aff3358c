// HKDF-SHA256 against RFC 5869 appendix A.1-A.3, and its length limits.

#include "core/crypto/Hkdf.h"

#include <QTest>

using handoff::crypto::Hkdf;

class TestHkdf final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rfc5869_data();
    void rfc5869();
    void lengthLimits_data();
    void lengthLimits();
    void maximumLength();
    void longInfoRejected();
    void emptyIkmAllowed();
};

void TestHkdf::rfc5869_data()
{
    QTest::addColumn<QByteArray>("ikm");
    QTest::addColumn<QByteArray>("salt");
    QTest::addColumn<QByteArray>("info");
    QTest::addColumn<int>("length");
    QTest::addColumn<QByteArray>("okm");

    QTest::newRow("A.1 basic") << QByteArray::fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b")
                               << QByteArray::fromHex("000102030405060708090a0b0c")
                               << QByteArray::fromHex("f0f1f2f3f4f5f6f7f8f9") << 42
                               << QByteArray::fromHex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                                                      "34007208d5b887185865");
    QTest::newRow("A.2 long inputs and outputs")
        << QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                               "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                               "404142434445464748494a4b4c4d4e4f")
        << QByteArray::fromHex("606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                               "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
                               "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
        << QByteArray::fromHex("b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
                               "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
                               "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
        << 82
        << QByteArray::fromHex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                               "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                               "cc30c58179ec3e87c14c01d5c1f3434f1d87");
    QTest::newRow("A.3 empty salt and info")
        << QByteArray::fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b") << QByteArray() << QByteArray() << 42
        << QByteArray::fromHex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                               "9d201395faa4b61a96c8");
}

void TestHkdf::rfc5869()
{
    QFETCH(QByteArray, ikm);
    QFETCH(QByteArray, salt);
    QFETCH(QByteArray, info);
    QFETCH(int, length);
    QFETCH(QByteArray, okm);

    const auto result = Hkdf::sha256(ikm, salt, info, length);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result->toHex(), okm.toHex());
}

void TestHkdf::lengthLimits_data()
{
    QTest::addColumn<qsizetype>("length");
    QTest::newRow("zero") << qsizetype(0);
    QTest::newRow("negative") << qsizetype(-1);
    QTest::newRow("one over 255 * 32") << qsizetype(255 * 32 + 1);
    QTest::newRow("huge") << (qsizetype(1) << 40);
}

void TestHkdf::lengthLimits()
{
    QFETCH(qsizetype, length);
    const auto result = Hkdf::sha256("ikm", "salt", "info", length);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("invalid_length"));
    QVERIFY(!result.error().message.isEmpty());
}

void TestHkdf::maximumLength()
{
    const auto result = Hkdf::sha256("ikm", "salt", "info", qsizetype(255) * 32);
    QVERIFY(result.ok());
    QCOMPARE(result->size(), 255 * 32);
    // HKDF output is a prefix-stable stream: a shorter request is a prefix of a longer one.
    const auto shorter = Hkdf::sha256("ikm", "salt", "info", 33);
    QVERIFY(shorter.ok());
    QCOMPARE(*shorter, result->first(33));
}

void TestHkdf::longInfoRejected()
{
    const auto result = Hkdf::sha256("ikm", "salt", QByteArray(1025, 'i'), 32);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("invalid_length"));
    QVERIFY(Hkdf::sha256("ikm", "salt", QByteArray(1024, 'i'), 32).ok());
}

void TestHkdf::emptyIkmAllowed()
{
    // RFC 5869 does not forbid an empty IKM; the result must still be well defined.
    const auto a = Hkdf::sha256(QByteArray(), "salt", "info", 32);
    const auto b = Hkdf::sha256(QByteArray(), "salt", "info", 32);
    QVERIFY(a.ok());
    QVERIFY(b.ok());
    QCOMPARE(*a, *b);
}

QTEST_GUILESS_MAIN(TestHkdf)
#include "tst_Hkdf.moc"
