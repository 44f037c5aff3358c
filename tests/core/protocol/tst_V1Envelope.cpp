// The text messages of PROTOCOL 3: pubkey (v1 and v2), encrypted, frame. The
// builders produce AuthLoop's exact bytes; the parsers refuse each kind of
// malformed input with its own code.

#include "core/protocol/V1Envelope.h"
#include "tests/support/FuzzSeed.h"

#include <QTest>

using handoff::protocol::V1Envelope;

namespace {

QByteArray point()
{
    QByteArray p(65, '\x11');
    p[0] = '\x04';
    return p;
}

QByteArray b64(const QByteArray& bytes)
{
    return bytes.toBase64();
}

QByteArray encrypted(const QByteArray& iv, const QByteArray& ciphertext, const QByteArray& tag)
{
    return "{\"type\":\"encrypted\",\"payload\":{\"iv\":\"" + iv + "\",\"ciphertext\":\"" + ciphertext + "\",\"tag\":\""
        + tag + "\"}}";
}

const QByteArray Iv = QByteArray(12, 'i').toBase64();
const QByteArray Ct = QByteArray("ciphertext").toBase64();
const QByteArray Tag = QByteArray(16, 't').toBase64();

} // namespace

class tst_V1Envelope : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pubkeyMessageShape()
    {
        QCOMPARE(V1Envelope::pubkeyMessage(point(), 1), "{\"type\":\"pubkey\",\"key\":\"" + b64(point()) + "\"}");
        QCOMPARE(V1Envelope::pubkeyMessage(point(), 2),
                 "{\"type\":\"pubkey\",\"key\":\"" + b64(point()) + "\",\"v\":2}");
    }

    void parsePubkey_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("version");
        QTest::newRow("v1 (AuthLoop)") << V1Envelope::pubkeyMessage(point(), 1) << 1;
        QTest::newRow("v2") << V1Envelope::pubkeyMessage(point(), 2) << 2;
        QTest::newRow("explicit v1") << ("{\"v\":1,\"key\":\"" + b64(point()) + "\",\"type\":\"pubkey\"}") << 1;
        QTest::newRow("spaces") << ("{ \"type\" : \"pubkey\" , \"key\" : \"" + b64(point()) + "\" , \"v\" : 2 }") << 2;
    }

    void parsePubkey()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, version);
        handoff::testutil::recordFuzzSeed("v1_envelope", text);
        const auto pubkey = V1Envelope::parsePubkey(text);
        QVERIFY(pubkey.ok());
        QCOMPARE(pubkey->publicPoint, point());
        QCOMPARE(pubkey->version, version);
    }

    void pubkeyRejects_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        const QByteArray key = b64(point());
        QTest::newRow("not JSON") << QByteArray("pubkey") << QStringLiteral("bad_json");
        QTest::newRow("JSON string") << QByteArray("\"pubkey\"") << QStringLiteral("bad_json");
        QTest::newRow("over 64 KiB") << ("{\"type\":\"pubkey\",\"key\":\"" + key + "\",\"pad\":\""
                                         + QByteArray(65536, 'p') + "\"}")
                                     << QStringLiteral("too_large");
        QTest::newRow("wrong type") << ("{\"type\":\"frame\",\"key\":\"" + key + "\"}") << QStringLiteral("wrong_type");
        QTest::newRow("type number") << ("{\"type\":1,\"key\":\"" + key + "\"}") << QStringLiteral("wrong_type");
        QTest::newRow("key missing") << QByteArray("{\"type\":\"pubkey\"}") << QStringLiteral("bad_field");
        QTest::newRow("key number") << QByteArray("{\"type\":\"pubkey\",\"key\":4}") << QStringLiteral("bad_field");
        QTest::newRow("key array") << QByteArray("{\"type\":\"pubkey\",\"key\":[4]}") << QStringLiteral("bad_field");
        QTest::newRow("key bad chars") << ("{\"type\":\"pubkey\",\"key\":\"" + key.left(80) + "!!!!\"}")
                                       << QStringLiteral("bad_base64");
        QByteArray slashes(65, '\xff'); // standard base64 "////...", base64url "____..."
        slashes[0] = '\x04';
        QTest::newRow("key base64url") << ("{\"type\":\"pubkey\",\"key\":\""
                                           + slashes.toBase64(QByteArray::Base64UrlEncoding) + "\"}")
                                       << QStringLiteral("bad_base64");
        QTest::newRow("key no padding") << ("{\"type\":\"pubkey\",\"key\":\"" + key.chopped(1) + "\"}")
                                        << QStringLiteral("bad_base64");
        QTest::newRow("key with newline")
            << ("{\"type\":\"pubkey\",\"key\":\"" + key.left(40) + "\\n" + key.mid(40) + "\"}")
            << QStringLiteral("bad_base64");
        QTest::newRow("key 64 bytes") << ("{\"type\":\"pubkey\",\"key\":\"" + b64(point().chopped(1)) + "\"}")
                                      << QStringLiteral("bad_key_length");
        QTest::newRow("key 66 bytes") << ("{\"type\":\"pubkey\",\"key\":\"" + b64(point() + 'x') + "\"}")
                                      << QStringLiteral("bad_key_length");
        QTest::newRow("compressed key") << ("{\"type\":\"pubkey\",\"key\":\"" + b64(point().left(33)) + "\"}")
                                        << QStringLiteral("bad_key_length");
        QTest::newRow("empty key") << QByteArray("{\"type\":\"pubkey\",\"key\":\"\"}")
                                   << QStringLiteral("bad_key_length");
        QTest::newRow("v 3") << ("{\"type\":\"pubkey\",\"key\":\"" + key + "\",\"v\":3}")
                             << QStringLiteral("unsupported_version");
        QTest::newRow("v 0") << ("{\"type\":\"pubkey\",\"key\":\"" + key + "\",\"v\":0}")
                             << QStringLiteral("unsupported_version");
        QTest::newRow("v string") << ("{\"type\":\"pubkey\",\"key\":\"" + key + "\",\"v\":\"2\"}")
                                  << QStringLiteral("unsupported_version");
        QTest::newRow("v 2.5") << ("{\"type\":\"pubkey\",\"key\":\"" + key + "\",\"v\":2.5}")
                               << QStringLiteral("unsupported_version");
        QTest::newRow("v true") << ("{\"type\":\"pubkey\",\"key\":\"" + key + "\",\"v\":true}")
                                << QStringLiteral("unsupported_version");
        QTest::newRow("v null") << ("{\"type\":\"pubkey\",\"key\":\"" + key + "\",\"v\":null}")
                                << QStringLiteral("unsupported_version");
    }

    void pubkeyRejects()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        handoff::testutil::recordFuzzSeed("v1_envelope", text);
        const auto pubkey = V1Envelope::parsePubkey(text);
        QVERIFY(!pubkey.ok());
        QCOMPARE(pubkey.error().code, code);
        QVERIFY(!pubkey.error().message.isEmpty());
    }

    void encryptedMessageShape()
    {
        const V1Envelope::Encrypted payload { QByteArray(12, 'i'), QByteArray("ciphertext"), QByteArray(16, 't') };
        QCOMPARE(V1Envelope::encryptedMessage(payload), encrypted(Iv, Ct, Tag));
        const auto parsed = V1Envelope::parseEncrypted(V1Envelope::encryptedMessage(payload));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->iv, payload.iv);
        QCOMPARE(parsed->ciphertext, payload.ciphertext);
        QCOMPARE(parsed->tag, payload.tag);
    }

    void encryptedRejects_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::newRow("not JSON") << QByteArray("{\"type\":\"encrypted\"") << QStringLiteral("bad_json");
        QTest::newRow("wrong type") << QByteArray(encrypted(Iv, Ct, Tag)).replace("encrypted", "plaintext")
                                    << QStringLiteral("wrong_type");
        QTest::newRow("payload missing") << QByteArray("{\"type\":\"encrypted\"}") << QStringLiteral("bad_field");
        QTest::newRow("payload string") << QByteArray("{\"type\":\"encrypted\",\"payload\":\"abc\"}")
                                        << QStringLiteral("bad_field");
        QTest::newRow("payload array") << QByteArray("{\"type\":\"encrypted\",\"payload\":[]}")
                                       << QStringLiteral("bad_field");
        QTest::newRow("iv missing") << QByteArray(encrypted(Iv, Ct, Tag)).replace("\"iv\"", "\"IV\"")
                                    << QStringLiteral("bad_field");
        QTest::newRow("iv 11 bytes") << encrypted(b64(QByteArray(11, 'i')), Ct, Tag) << QStringLiteral("bad_iv_length");
        QTest::newRow("iv 13 bytes") << encrypted(b64(QByteArray(13, 'i')), Ct, Tag) << QStringLiteral("bad_iv_length");
        QTest::newRow("iv 16 bytes") << encrypted(b64(QByteArray(16, 'i')), Ct, Tag) << QStringLiteral("bad_iv_length");
        QTest::newRow("iv bad base64") << encrypted("aWlpaWlpaWlpaW*p", Ct, Tag) << QStringLiteral("bad_base64");
        QTest::newRow("ciphertext bad base64") << encrypted(Iv, "Y2lw%GVy", Tag) << QStringLiteral("bad_base64");
        QTest::newRow("ciphertext empty") << encrypted(Iv, "", Tag) << QStringLiteral("bad_field");
        QTest::newRow("tag 15 bytes") << encrypted(Iv, Ct, b64(QByteArray(15, 't')))
                                      << QStringLiteral("bad_tag_length");
        QTest::newRow("tag 17 bytes") << encrypted(Iv, Ct, b64(QByteArray(17, 't')))
                                      << QStringLiteral("bad_tag_length");
        QTest::newRow("tag empty") << encrypted(Iv, Ct, "") << QStringLiteral("bad_tag_length");
        QTest::newRow("tag bad base64") << encrypted(Iv, Ct, Tag.chopped(2)) << QStringLiteral("bad_base64");
        QTest::newRow("iv number") << QByteArray("{\"type\":\"encrypted\",\"payload\":{\"iv\":12,\"ciphertext\":\"" + Ct
                                                 + "\",\"tag\":\"" + Tag + "\"}}")
                                   << QStringLiteral("bad_field");
        QTest::newRow("over 64 KiB") << encrypted(Iv, b64(QByteArray(50000, 'c')), Tag) << QStringLiteral("too_large");
    }

    void encryptedRejects()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        handoff::testutil::recordFuzzSeed("v1_envelope", text);
        const auto payload = V1Envelope::parseEncrypted(text);
        QVERIFY(!payload.ok());
        QCOMPARE(payload.error().code, code);
        QVERIFY(!payload.error().message.isEmpty());
    }

    void messageType()
    {
        QCOMPARE(*V1Envelope::messageType(V1Envelope::pubkeyMessage(point(), 2)), QStringLiteral("pubkey"));
        QCOMPARE(*V1Envelope::messageType("{\"type\":\"session_info\",\"session_id\":\"s\"}"),
                 QStringLiteral("session_info"));
        QCOMPARE(V1Envelope::messageType("not json").error().code, QStringLiteral("bad_json"));
        QCOMPARE(V1Envelope::messageType("{\"kind\":\"pubkey\"}").error().code, QStringLiteral("bad_field"));
    }

    void frameMessage()
    {
        const QByteArray text = "{\"type\":\"frame\",\"deviceWidth\":800,\"deviceHeight\":600,\"offsetTop\":0,"
                                "\"pageScaleFactor\":1,\"scrollOffsetX\":0,\"scrollOffsetY\":0,\"jpegSize\":1000}";
        const auto meta = V1Envelope::parseFrame(text);
        QVERIFY(meta.ok());
        QCOMPARE(*V1Envelope::frameMessage(*meta), text);
        QCOMPARE(V1Envelope::parseFrame(QByteArray(text).replace("\"frame\"", "\"frames\"")).error().code,
                 QStringLiteral("wrong_type"));
    }
};

QTEST_GUILESS_MAIN(tst_V1Envelope)
#include "tst_V1Envelope.moc"
