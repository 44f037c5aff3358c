// P-256 ECDH against RFC 5903 section 8.1, and validation of untrusted public points.

#include "core/crypto/EcdhKeyPair.h"

#include <QSet>
#include <QTest>

using handoff::crypto::EcdhKeyPair;

namespace {

// RFC 5903 section 8.1, 256-bit random ECP group.
const QByteArray rfcI = QByteArray::fromHex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433");
const QByteArray rfcGi = QByteArray::fromHex("04"
                                             "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
                                             "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3");
const QByteArray rfcR = QByteArray::fromHex("c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53");
const QByteArray rfcGr = QByteArray::fromHex("04"
                                             "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
                                             "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab");
const QByteArray rfcGirx = QByteArray::fromHex("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");

// The P-256 field prime p.
const QByteArray fieldPrime = QByteArray::fromHex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
// The P-256 group order n.
const QByteArray groupOrder = QByteArray::fromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

EcdhKeyPair fromScalar(const QByteArray& scalar)
{
    auto pair = EcdhKeyPair::fromPrivateScalar(scalar);
    if (!pair.ok()) {
        qFatal("EcdhKeyPair::fromPrivateScalar failed");
    }
    return std::move(pair).value();
}

} // namespace

class TestEcdhKeyPair final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rfc5903();
    void invalidPoints_data();
    void invalidPoints();
    void reasonsAreDistinct();
    void deriveRejectsInvalidPeer();
    void randomPairsAgree();
    void generatedPointsAreValid();
    void invalidScalars_data();
    void invalidScalars();
    void movedFrom();
};

void TestEcdhKeyPair::rfc5903()
{
    const EcdhKeyPair initiator = fromScalar(rfcI);
    const EcdhKeyPair responder = fromScalar(rfcR);
    QCOMPARE(initiator.publicPoint().toHex(), rfcGi.toHex());
    QCOMPARE(responder.publicPoint().toHex(), rfcGr.toHex());

    const auto z1 = initiator.deriveSharedSecret(rfcGr);
    const auto z2 = responder.deriveSharedSecret(rfcGi);
    QVERIFY(z1.ok());
    QVERIFY(z2.ok());
    QCOMPARE(z1->size(), EcdhKeyPair::SharedSecretSize);
    QCOMPARE(z1->bytes().toHex(), rfcGirx.toHex());
    QCOMPARE(z2->bytes().toHex(), rfcGirx.toHex());

    QVERIFY(EcdhKeyPair::validatePublicPoint(rfcGi).ok());
    QVERIFY(EcdhKeyPair::validatePublicPoint(rfcGr).ok());
}

void TestEcdhKeyPair::invalidPoints_data()
{
    QTest::addColumn<QByteArray>("point");
    QTest::addColumn<QString>("reason"); // a phrase the message must contain

    const QString length = QStringLiteral("must be 65 bytes");
    const QString prefix = QStringLiteral("must start with 0x04");
    const QString offCurve = QStringLiteral("not on the P-256 curve");
    const QString infinity = QStringLiteral("point at infinity");
    const QString range = QStringLiteral("not below the P-256 field prime");

    QTest::newRow("empty") << QByteArray() << length;
    QTest::newRow("64 bytes, prefix dropped") << rfcGr.mid(1) << length;
    QTest::newRow("66 bytes, trailing byte") << rfcGr + '\x00' << length;
    QTest::newRow("compressed form 0x02 || X") << QByteArray(1, '\x02') + rfcGr.mid(1, 32) << length;
    QTest::newRow("65 bytes with 0x02 prefix") << QByteArray(1, '\x02') + rfcGr.mid(1) << prefix;
    QTest::newRow("65 bytes with 0x03 prefix") << QByteArray(1, '\x03') + rfcGr.mid(1) << prefix;
    QTest::newRow("65 bytes with 0x06 hybrid prefix") << QByteArray(1, '\x06') + rfcGr.mid(1) << prefix;
    QByteArray flippedY = rfcGr;
    flippedY[64] = static_cast<char>(flippedY[64] ^ 0x01);
    QTest::newRow("off curve: last bit of Y flipped") << flippedY << offCurve;
    QByteArray flippedX = rfcGr;
    flippedX[1] = static_cast<char>(flippedX[1] ^ 0x80);
    QTest::newRow("off curve: first bit of X flipped") << flippedX << offCurve;
    QTest::newRow("off curve: X = 1, Y = 1")
        << QByteArray(1, '\x04') + QByteArray(31, '\0') + '\x01' + QByteArray(31, '\0') + '\x01' << offCurve;
    QTest::newRow("X equals the field prime") << QByteArray(1, '\x04') + fieldPrime + rfcGr.mid(33) << range;
    QTest::newRow("Y all ones") << QByteArray(1, '\x04') + rfcGr.mid(1, 32) + QByteArray(32, '\xff') << range;
    QTest::newRow("infinity: SEC 1 single 0x00") << QByteArray(1, '\0') << infinity;
    QTest::newRow("infinity: 65 zero bytes") << QByteArray(65, '\0') << infinity;
    QTest::newRow("infinity: 0x04 then zero coordinates") << QByteArray(1, '\x04') + QByteArray(64, '\0') << infinity;
}

void TestEcdhKeyPair::invalidPoints()
{
    QFETCH(QByteArray, point);
    QFETCH(QString, reason);

    const auto result = EcdhKeyPair::validatePublicPoint(point);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("invalid_point"));
    QVERIFY2(result.error().message.contains(reason), qPrintable(result.error().message));
}

void TestEcdhKeyPair::reasonsAreDistinct()
{
    QByteArray offCurve = rfcGr;
    offCurve[64] = static_cast<char>(offCurve[64] ^ 0x01);
    const QList<QByteArray> points { rfcGr.mid(1), QByteArray(1, '\x05') + rfcGr.mid(1), offCurve,
                                     QByteArray(1, '\x04') + QByteArray(64, '\0') };
    QSet<QString> messages;
    for (const QByteArray& point : points) {
        const auto result = EcdhKeyPair::validatePublicPoint(point);
        QVERIFY(!result.ok());
        messages.insert(result.error().message);
    }
    QCOMPARE(messages.size(), points.size());
}

void TestEcdhKeyPair::deriveRejectsInvalidPeer()
{
    const EcdhKeyPair pair = fromScalar(rfcI);
    QByteArray offCurve = rfcGr;
    offCurve[64] = static_cast<char>(offCurve[64] ^ 0x01);
    for (const QByteArray& peer : { offCurve, QByteArray(65, '\0'), rfcGr.left(33), QByteArray() }) {
        const auto secret = pair.deriveSharedSecret(peer);
        QVERIFY(!secret.ok());
        QCOMPARE(secret.error().code, QStringLiteral("invalid_point"));
    }
}

void TestEcdhKeyPair::randomPairsAgree()
{
    for (int i = 0; i < 8; ++i) {
        auto a = EcdhKeyPair::generate();
        auto b = EcdhKeyPair::generate();
        QVERIFY(a.ok());
        QVERIFY(b.ok());
        QVERIFY(a->publicPoint() != b->publicPoint());
        const auto ab = a->deriveSharedSecret(b->publicPoint());
        const auto ba = b->deriveSharedSecret(a->publicPoint());
        QVERIFY(ab.ok());
        QVERIFY(ba.ok());
        QCOMPARE(ab->size(), 32);
        QCOMPARE(ab->bytes(), ba->bytes());
        // A third party gets a different secret.
        auto c = EcdhKeyPair::generate();
        QVERIFY(c.ok());
        const auto ac = a->deriveSharedSecret(c->publicPoint());
        QVERIFY(ac.ok());
        QVERIFY(ac->bytes() != ab->bytes());
    }
}

void TestEcdhKeyPair::generatedPointsAreValid()
{
    auto pair = EcdhKeyPair::generate();
    QVERIFY(pair.ok());
    const QByteArray point = pair->publicPoint();
    QCOMPARE(point.size(), EcdhKeyPair::PublicPointSize);
    QCOMPARE(point.at(0), '\x04');
    QVERIFY(EcdhKeyPair::validatePublicPoint(point).ok());
}

void TestEcdhKeyPair::invalidScalars_data()
{
    QTest::addColumn<QByteArray>("scalar");
    QTest::addColumn<QString>("code");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("invalid_length");
    QTest::newRow("31 bytes") << rfcI.left(31) << QStringLiteral("invalid_length");
    QTest::newRow("33 bytes") << rfcI + '\x01' << QStringLiteral("invalid_length");
    QTest::newRow("zero") << QByteArray(32, '\0') << QStringLiteral("invalid_key");
    QTest::newRow("group order") << groupOrder << QStringLiteral("invalid_key");
    QTest::newRow("all ones") << QByteArray(32, '\xff') << QStringLiteral("invalid_key");
}

void TestEcdhKeyPair::invalidScalars()
{
    QFETCH(QByteArray, scalar);
    QFETCH(QString, code);
    const auto pair = EcdhKeyPair::fromPrivateScalar(scalar);
    QVERIFY(!pair.ok());
    QCOMPARE(pair.error().code, code);
}

void TestEcdhKeyPair::movedFrom()
{
    EcdhKeyPair a = fromScalar(rfcI);
    EcdhKeyPair b = std::move(a);
    QCOMPARE(b.publicPoint(), rfcGi);
    // NOLINTNEXTLINE(bugprone-use-after-move): a moved-from pair must fail cleanly
    QVERIFY(a.publicPoint().isEmpty());
    const auto secret = a.deriveSharedSecret(rfcGr); // NOLINT(bugprone-use-after-move)
    QVERIFY(!secret.ok());
    QCOMPARE(secret.error().code, QStringLiteral("invalid_state"));
}

QTEST_GUILESS_MAIN(TestEcdhKeyPair)
#include "tst_EcdhKeyPair.moc"
