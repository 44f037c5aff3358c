// ECDSA P-256 / SHA-256 against RFC 6979 appendix A.2.5, r || s signatures and
// PKCS#8 import and export.

#include "core/crypto/SigningKey.h"

#include <QTest>

using handoff::crypto::SigningKey;

namespace {

// RFC 6979 appendix A.2.5: private key x and public key U = (Ux, Uy).
const QByteArray rfcX = QByteArray::fromHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
const QByteArray rfcU = QByteArray::fromHex("04"
                                            "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
                                            "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
// With SHA-256, message "sample": r || s.
const QByteArray rfcSample = QByteArray::fromHex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                                                 "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
// With SHA-256, message "test": r || s (s has a leading zero nibble: padding matters).
const QByteArray rfcTest = QByteArray::fromHex("f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
                                               "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083");

const QByteArray groupOrder = QByteArray::fromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

// Made with `openssl genpkey` + `openssl pkcs8 -topk8 -nocrypt -outform DER`: throwaway test keys.
const QByteArray opensslP256Pkcs8 = QByteArray::fromHex(
    "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420a766b7154b4ca955877cbd50f96bd203fc86cc"
    "bab57403f9ae26c0451fbfc635a1440342000441e060c97eb3b86bd0efd3be650920039b558130c40042f30e338679cd0db0b250b0fd63"
    "75ceee29473fc3c2b0f13cb18060f140d6644130e2981acea206717f");
const QByteArray p384Pkcs8 = QByteArray::fromHex(
    "3081b6020100301006072a8648ce3d020106052b8104002204819e30819b0201010430fab72e21aa6c98a868e25c8c7da2dbf15bd3b981"
    "07f9c9fb9f9de9bb089dd5245527a1019f6463ce4260c6878216301ca16403620004e969443959a2a1dc92340673662ffd5e609f9be493"
    "f19995071294587baccf3cc3891a6327326c820fec50bfb901bb03fdf0bf4e1003fa3d7b442fba31df7a0de593d8d5bf4343903cf263a8"
    "460c50214ee89ca2465d680663cfd8840571a20e");
const QByteArray secp256k1Pkcs8 = QByteArray::fromHex(
    "308184020100301006072a8648ce3d020106052b8104000a046d306b02010104209824df4b13a37c4dcf9282fa9c04b9dd4b4a044d6636"
    "70951c08e07057d871e7a14403420004296cdb7c6e3e5248440f94a7d8d3224dc4b5d89e46089cad3a3585f3ccc8f5b1dd4beff030fc21"
    "4da85215d24547c4dc1fff8acbfa02d72f5c792170945003cb");
const QByteArray ed25519Pkcs8 = QByteArray::fromHex(
    "302e020100300506032b657004220420533aa2feb3d0e1839e41693dc079cb3784cfdd2219b377371a0cb0474279a9e6");
// SEC 1 ECPrivateKey (`openssl ec -outform DER`): a P-256 key, but not PKCS#8.
const QByteArray p256Sec1 = QByteArray::fromHex(
    "30770201010420ad4a661194b0766e27f27e5b6c676bd96f186e77a2b49840131570b0ec9280fea00a06082a8648ce3d030107a144034200"
    "04c930c0c3ace2a0b5d162dcd4ed31e26b7cabaf0b7b3b305ada8d67fc69c4853a3fb4d1467fd45376cbc3997341626919e79c93d871cb05"
    "5c72ee1c9be38838fd");

SigningKey generated()
{
    auto key = SigningKey::generate();
    if (!key.ok()) {
        qFatal("SigningKey::generate failed");
    }
    return std::move(key).value();
}

} // namespace

class TestSigningKey final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rfc6979_data();
    void rfc6979();
    void rfc6979PublicKey();
    void flippedBits_data();
    void flippedBits();
    void malformedSignatures_data();
    void malformedSignatures();
    void verifyRejectsBadPublicPoints();
    void signVerifyRoundTrip();
    void signaturesAreRandomised();
    void pkcs8RoundTrip();
    void pkcs8FromScalarKey();
    void pkcs8FromOpenssl();
    void pkcs8Rejected_data();
    void pkcs8Rejected();
    void pkcs8MismatchedPublicKey();
    void movedFrom();
};

void TestSigningKey::rfc6979_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("signature");
    QTest::newRow("sample") << QByteArray("sample") << rfcSample;
    QTest::newRow("test") << QByteArray("test") << rfcTest;
}

void TestSigningKey::rfc6979()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, signature);
    QVERIFY(SigningKey::verify(rfcU, message, signature));
}

void TestSigningKey::rfc6979PublicKey()
{
    auto key = SigningKey::fromPrivateScalar(rfcX);
    QVERIFY(key.ok());
    QCOMPARE(key->publicPoint().toHex(), rfcU.toHex());
    // OpenSSL 3.0 signs with a random k, so its signature differs from RFC 6979's
    // deterministic one but must verify under the same public key.
    const auto signature = key->sign("sample");
    QVERIFY(signature.ok());
    QVERIFY(SigningKey::verify(rfcU, "sample", *signature));
}

void TestSigningKey::flippedBits_data()
{
    QTest::addColumn<int>("byteIndex");
    QTest::addColumn<int>("bit");
    for (const int index : { 0, 17, 31, 32, 50, 63 }) {
        for (const int bit : { 0, 7 }) {
            QTest::addRow("byte %d bit %d", index, bit) << index << bit;
        }
    }
}

void TestSigningKey::flippedBits()
{
    QFETCH(int, byteIndex);
    QFETCH(int, bit);
    QByteArray signature = rfcSample;
    signature[byteIndex] = static_cast<char>(signature[byteIndex] ^ (1 << bit));
    QVERIFY(!SigningKey::verify(rfcU, "sample", signature));
}

void TestSigningKey::malformedSignatures_data()
{
    QTest::addColumn<QByteArray>("signature");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("63 bytes") << rfcSample.left(63);
    QTest::newRow("65 bytes") << rfcSample + '\x00';
    QTest::newRow("DER instead of r || s")
        << QByteArray::fromHex("3046022100") + rfcSample.left(32) + QByteArray::fromHex("022100") + rfcSample.mid(32);
    QTest::newRow("r = 0") << QByteArray(32, '\0') + rfcSample.mid(32);
    QTest::newRow("s = 0") << rfcSample.left(32) + QByteArray(32, '\0');
    QTest::newRow("all zero") << QByteArray(64, '\0');
    QTest::newRow("r = n") << groupOrder + rfcSample.mid(32);
    QTest::newRow("s = n") << rfcSample.left(32) + groupOrder;
    QTest::newRow("all ones") << QByteArray(64, '\xff');
    QTest::newRow("r and s swapped") << rfcSample.mid(32) + rfcSample.left(32);
    QTest::newRow("signature of another message") << rfcTest;
}

void TestSigningKey::malformedSignatures()
{
    QFETCH(QByteArray, signature);
    QVERIFY(!SigningKey::verify(rfcU, "sample", signature));
}

void TestSigningKey::verifyRejectsBadPublicPoints()
{
    QByteArray offCurve = rfcU;
    offCurve[64] = static_cast<char>(offCurve[64] ^ 0x01);
    QVERIFY(!SigningKey::verify(offCurve, "sample", rfcSample));
    QVERIFY(!SigningKey::verify(rfcU.mid(1), "sample", rfcSample));
    QVERIFY(!SigningKey::verify(QByteArray(65, '\0'), "sample", rfcSample));
    QVERIFY(!SigningKey::verify(QByteArray(), "sample", rfcSample));
}

void TestSigningKey::signVerifyRoundTrip()
{
    const SigningKey key = generated();
    const QByteArray point = key.publicPoint();
    QCOMPARE(point.size(), 65);
    for (const QByteArray& message :
         { QByteArray(), QByteArray("approve: transfer 10 EUR"), QByteArray(100000, 'x') }) {
        const auto signature = key.sign(message);
        QVERIFY(signature.ok());
        QCOMPARE(signature->size(), SigningKey::SignatureSize);
        QVERIFY(SigningKey::verify(point, message, *signature));
        QVERIFY(!SigningKey::verify(point, message + 'x', *signature));
        QVERIFY(!SigningKey::verify(generated().publicPoint(), message, *signature));
    }
}

void TestSigningKey::signaturesAreRandomised()
{
    const SigningKey key = generated();
    const auto a = key.sign("same message");
    const auto b = key.sign("same message");
    QVERIFY(a.ok());
    QVERIFY(b.ok());
    QVERIFY(*a != *b);
    QVERIFY(SigningKey::verify(key.publicPoint(), "same message", *a));
    QVERIFY(SigningKey::verify(key.publicPoint(), "same message", *b));
}

void TestSigningKey::pkcs8RoundTrip()
{
    const SigningKey key = generated();
    const auto der = key.exportPkcs8();
    QVERIFY(der.ok());
    QVERIFY(der->size() > 100);
    QCOMPARE(der->bytes().at(0), '\x30');

    auto imported = SigningKey::importPkcs8(der->bytes());
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    QCOMPARE(imported->publicPoint(), key.publicPoint());

    // The imported key signs for the original public key, and vice versa.
    const auto signature = imported->sign("hello");
    QVERIFY(signature.ok());
    QVERIFY(SigningKey::verify(key.publicPoint(), "hello", *signature));

    // Export is stable: the same key exports to the same bytes.
    const auto again = imported->exportPkcs8();
    QVERIFY(again.ok());
    QCOMPARE(again->bytes(), der->bytes());
}

void TestSigningKey::pkcs8FromScalarKey()
{
    auto key = SigningKey::fromPrivateScalar(rfcX);
    QVERIFY(key.ok());
    const auto der = key->exportPkcs8();
    QVERIFY(der.ok());
    auto imported = SigningKey::importPkcs8(der->bytes());
    QVERIFY(imported.ok());
    QCOMPARE(imported->publicPoint().toHex(), rfcU.toHex());
    // The private scalar is inside the encoding (OCTET STRING of 32 bytes).
    QVERIFY(der->bytes().contains(QByteArray::fromHex("0420") + rfcX));

    for (const QByteArray& bad : { QByteArray(), QByteArray(32, '\0'), groupOrder, rfcX.left(31) }) {
        QVERIFY(!SigningKey::fromPrivateScalar(bad).ok());
    }
}

void TestSigningKey::pkcs8FromOpenssl()
{
    auto key = SigningKey::importPkcs8(opensslP256Pkcs8);
    QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.error().message));
    // The public key sits at the end of OpenSSL's PKCS#8 encoding.
    QCOMPARE(key->publicPoint().toHex(), opensslP256Pkcs8.right(65).toHex());
}

void TestSigningKey::pkcs8Rejected_data()
{
    QTest::addColumn<QByteArray>("der");
    QTest::addColumn<QString>("code");
    const QString invalid = QStringLiteral("invalid_key");
    const QString unsupported = QStringLiteral("unsupported_key");
    QTest::newRow("empty") << QByteArray() << invalid;
    QTest::newRow("garbage") << QByteArray("this is not a key at all") << invalid;
    QTest::newRow("single byte") << QByteArray(1, '\x30') << invalid;
    QTest::newRow("truncated") << opensslP256Pkcs8.left(opensslP256Pkcs8.size() - 10) << invalid;
    QTest::newRow("trailing byte") << opensslP256Pkcs8 + '\x00' << invalid;
    QTest::newRow("SEC 1 instead of PKCS#8") << p256Sec1 << invalid;
    QTest::newRow("raw scalar") << rfcX << invalid;
    QTest::newRow("P-384") << p384Pkcs8 << unsupported;
    QTest::newRow("secp256k1") << secp256k1Pkcs8 << unsupported;
    QTest::newRow("Ed25519") << ed25519Pkcs8 << unsupported;
}

void TestSigningKey::pkcs8Rejected()
{
    QFETCH(QByteArray, der);
    QFETCH(QString, code);
    const auto key = SigningKey::importPkcs8(der);
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, code);
    QVERIFY(!key.error().message.isEmpty());
}

void TestSigningKey::pkcs8MismatchedPublicKey()
{
    // Key A's private scalar with key B's public point spliced in.
    const auto a = generated().exportPkcs8();
    const auto b = generated().exportPkcs8();
    QVERIFY(a.ok());
    QVERIFY(b.ok());
    QByteArray spliced = a->bytes();
    spliced.replace(spliced.size() - 65, 65, b->bytes().right(65));
    QVERIFY(SigningKey::importPkcs8(a->bytes()).ok());
    const auto key = SigningKey::importPkcs8(spliced);
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, QStringLiteral("invalid_key"));
}

void TestSigningKey::movedFrom()
{
    SigningKey a = generated();
    const QByteArray point = a.publicPoint();
    SigningKey b = std::move(a);
    QCOMPARE(b.publicPoint(), point);
    QVERIFY(a.publicPoint().isEmpty()); // NOLINT(bugprone-use-after-move)
    const auto signature = a.sign("x"); // NOLINT(bugprone-use-after-move)
    QVERIFY(!signature.ok());
    QCOMPARE(signature.error().code, QStringLiteral("invalid_state"));
    QVERIFY(!a.exportPkcs8().ok()); // NOLINT(bugprone-use-after-move)
}

QTEST_GUILESS_MAIN(TestSigningKey)
#include "tst_SigningKey.moc"
