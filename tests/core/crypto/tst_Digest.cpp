// SHA-256 (FIPS 180-2 examples) and HMAC-SHA256 (RFC 4231).

#include "core/crypto/Digest.h"

#include <QTest>

using handoff::crypto::Digest;

class TestDigest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sha256_data();
    void sha256();
    void hmacSha256_data();
    void hmacSha256();
    void hmacKeyMatters();
};

void TestDigest::sha256_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("digest");
    QTest::newRow("empty") << QByteArray()
                           << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("abc") << QByteArray("abc")
                         << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                              << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

void TestDigest::sha256()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, digest);
    const QByteArray result = Digest::sha256(input);
    QCOMPARE(result.size(), Digest::Sha256Size);
    QCOMPARE(result.toHex(), digest);
}

void TestDigest::hmacSha256_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("mac");
    QTest::newRow("RFC 4231 case 1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                                     << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    QTest::newRow("RFC 4231 case 2") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
                                     << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    QTest::newRow("RFC 4231 case 6: key longer than a block")
        << QByteArray(131, '\xaa') << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
        << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    QTest::newRow("empty key and data") << QByteArray() << QByteArray()
                                        << QByteArray(
                                               "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

void TestDigest::hmacSha256()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, mac);
    const QByteArray result = Digest::hmacSha256(key, data);
    QCOMPARE(result.size(), Digest::Sha256Size);
    QCOMPARE(result.toHex(), mac);
}

void TestDigest::hmacKeyMatters()
{
    QVERIFY(Digest::hmacSha256("key one", "data") != Digest::hmacSha256("key two", "data"));
    QVERIFY(Digest::hmacSha256("key", "data one") != Digest::hmacSha256("key", "data two"));
}

QTEST_GUILESS_MAIN(TestDigest)
#include "tst_Digest.moc"
