// AES-256-GCM against the McGrew-Viega GCM specification (test cases 13-16),
// and every way a message can be altered or misaddressed.

#include "core/crypto/AeadCipher.h"

#include <QTest>

using handoff::crypto::AeadCipher;

namespace {

const QByteArray caseKey = QByteArray::fromHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
const QByteArray caseNonce = QByteArray::fromHex("cafebabefacedbaddecaf888");

AeadCipher cipherFor(const QByteArray& key)
{
    auto cipher = AeadCipher::create(key);
    if (!cipher.ok()) {
        qFatal("AeadCipher::create failed");
    }
    return std::move(cipher).value();
}

} // namespace

class TestAeadCipher final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gcmSpec_data();
    void gcmSpec();
    void tampering_data();
    void tampering();
    void wrongKey();
    void keySizes_data();
    void keySizes();
    void nonceAndTagSizes();
    void roundTripSizes();
};

void TestAeadCipher::gcmSpec_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("nonce");
    QTest::addColumn<QByteArray>("aad");
    QTest::addColumn<QByteArray>("plaintext");
    QTest::addColumn<QByteArray>("ciphertext");
    QTest::addColumn<QByteArray>("tag");

    const QByteArray zeroKey(32, '\0');
    const QByteArray zeroNonce(12, '\0');
    QTest::newRow("13: zero key, empty plaintext")
        << zeroKey << zeroNonce << QByteArray() << QByteArray() << QByteArray()
        << QByteArray::fromHex("530f8afbc74536b9a963b4f1c4cb738b");
    QTest::newRow("14: zero key, one zero block") << zeroKey << zeroNonce << QByteArray() << QByteArray(16, '\0')
                                                  << QByteArray::fromHex("cea7403d4d606b6e074ec5d3baf39d18")
                                                  << QByteArray::fromHex("d0d1c8a799996bf0265b98b5d48ab919");
    QTest::newRow("15: 64-byte plaintext, no AAD")
        << caseKey << caseNonce << QByteArray()
        << QByteArray::fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                               "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
        << QByteArray::fromHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                               "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad")
        << QByteArray::fromHex("b094dac5d93471bdec1a502270e3cc6c");
    QTest::newRow("16: 60-byte plaintext, 20-byte AAD")
        << caseKey << caseNonce << QByteArray::fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        << QByteArray::fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                               "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        << QByteArray::fromHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                               "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
        << QByteArray::fromHex("76fc6ece0f4e1768cddf8853bb2d551b");
}

void TestAeadCipher::gcmSpec()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, nonce);
    QFETCH(QByteArray, aad);
    QFETCH(QByteArray, plaintext);
    QFETCH(QByteArray, ciphertext);
    QFETCH(QByteArray, tag);

    const AeadCipher cipher = cipherFor(key);
    const auto sealed = cipher.encrypt(nonce, aad, plaintext);
    QVERIFY(sealed.ok());
    QCOMPARE(sealed->ciphertext.toHex(), ciphertext.toHex());
    QCOMPARE(sealed->tag.toHex(), tag.toHex());

    const auto opened = cipher.decrypt(nonce, aad, ciphertext, tag);
    QVERIFY(opened.ok());
    QCOMPARE(opened->toHex(), plaintext.toHex());
}

void TestAeadCipher::tampering_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<int>("index");
    QTest::newRow("ciphertext first byte") << QStringLiteral("ciphertext") << 0;
    QTest::newRow("ciphertext last byte") << QStringLiteral("ciphertext") << 59;
    QTest::newRow("ciphertext truncated") << QStringLiteral("truncate") << 0;
    QTest::newRow("tag first byte") << QStringLiteral("tag") << 0;
    QTest::newRow("tag last byte") << QStringLiteral("tag") << 15;
    QTest::newRow("aad first byte") << QStringLiteral("aad") << 0;
    QTest::newRow("aad dropped") << QStringLiteral("noaad") << 0;
    QTest::newRow("nonce first byte") << QStringLiteral("nonce") << 0;
    QTest::newRow("nonce last byte") << QStringLiteral("nonce") << 11;
}

void TestAeadCipher::tampering()
{
    QFETCH(QString, what);
    QFETCH(int, index);

    const AeadCipher cipher = cipherFor(caseKey);
    QByteArray nonce = caseNonce;
    QByteArray aad = QByteArray::fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    const QByteArray plaintext = QByteArray::fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                                     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    const auto sealed = cipher.encrypt(nonce, aad, plaintext);
    QVERIFY(sealed.ok());
    QByteArray ciphertext = sealed->ciphertext;
    QByteArray tag = sealed->tag;

    const auto flip = [index](QByteArray& bytes) { bytes[index] = static_cast<char>(bytes[index] ^ 0x01); };
    if (what == QLatin1String("ciphertext")) {
        flip(ciphertext);
    } else if (what == QLatin1String("truncate")) {
        ciphertext.chop(1);
    } else if (what == QLatin1String("tag")) {
        flip(tag);
    } else if (what == QLatin1String("aad")) {
        flip(aad);
    } else if (what == QLatin1String("noaad")) {
        aad.clear();
    } else if (what == QLatin1String("nonce")) {
        flip(nonce);
    }

    const auto opened = cipher.decrypt(nonce, aad, ciphertext, tag);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QStringLiteral("bad_tag"));
    QVERIFY(!opened.error().message.isEmpty());
}

void TestAeadCipher::wrongKey()
{
    const auto sealed = cipherFor(caseKey).encrypt(caseNonce, "aad", "attack at dawn");
    QVERIFY(sealed.ok());
    QByteArray otherKey = caseKey;
    otherKey[31] = static_cast<char>(otherKey[31] ^ 0x80);
    const auto opened = cipherFor(otherKey).decrypt(caseNonce, "aad", sealed->ciphertext, sealed->tag);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QStringLiteral("bad_tag"));
}

void TestAeadCipher::keySizes_data()
{
    QTest::addColumn<int>("size");
    QTest::newRow("empty") << 0;
    QTest::newRow("AES-128 size") << 16;
    QTest::newRow("31") << 31;
    QTest::newRow("33") << 33;
    QTest::newRow("64") << 64;
}

void TestAeadCipher::keySizes()
{
    QFETCH(int, size);
    const auto cipher = AeadCipher::create(QByteArray(size, 'k'));
    QVERIFY(!cipher.ok());
    QCOMPARE(cipher.error().code, QStringLiteral("invalid_length"));
    QVERIFY(cipher.error().message.contains(QString::number(size)));
}

void TestAeadCipher::nonceAndTagSizes()
{
    const AeadCipher cipher = cipherFor(caseKey);
    for (const int size : { 0, 8, 11, 13, 16 }) {
        const auto sealed = cipher.encrypt(QByteArray(size, 'n'), "", "text");
        QVERIFY(!sealed.ok());
        QCOMPARE(sealed.error().code, QStringLiteral("invalid_length"));
        const auto opened = cipher.decrypt(QByteArray(size, 'n'), "", "text", QByteArray(16, 't'));
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, QStringLiteral("invalid_length"));
    }
    const auto sealed = cipher.encrypt(caseNonce, "", "text");
    QVERIFY(sealed.ok());
    for (const int size : { 0, 12, 15, 17 }) {
        const auto opened
            = cipher.decrypt(caseNonce, "", sealed->ciphertext, sealed->tag.left(size).leftJustified(size, 'x'));
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, QStringLiteral("invalid_length"));
    }
}

void TestAeadCipher::roundTripSizes()
{
    const AeadCipher cipher = cipherFor(QByteArray(32, '\x42'));
    for (const int size : { 0, 1, 15, 16, 17, 1000, 70000 }) {
        QByteArray plaintext(size, '\0');
        for (int i = 0; i < size; ++i) {
            plaintext[i] = static_cast<char>(i * 7);
        }
        const auto sealed = cipher.encrypt(caseNonce, "header", plaintext);
        QVERIFY(sealed.ok());
        QCOMPARE(sealed->ciphertext.size(), size);
        QCOMPARE(sealed->tag.size(), AeadCipher::TagSize);
        const auto opened = cipher.decrypt(caseNonce, "header", sealed->ciphertext, sealed->tag);
        QVERIFY(opened.ok());
        QCOMPARE(*opened, plaintext);
    }
}

QTEST_GUILESS_MAIN(TestAeadCipher)
#include "tst_AeadCipher.moc"
