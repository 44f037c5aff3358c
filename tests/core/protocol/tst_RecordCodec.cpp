// The v2 record layout 0x02 | kind | seq (u64 BE) | ciphertext | tag(16), its nonce
// and AAD, and the frame plaintext layout. Each malformed input has its own row.

#include "core/protocol/RecordCodec.h"
#include "tests/support/FuzzSeed.h"

#include <QTest>

#include <limits>

using handoff::protocol::RecordCodec;
using handoff::protocol::RecordKind;

namespace {

QByteArray record(quint8 version, quint8 kind, quint64 seq, qsizetype ciphertextSize)
{
    QByteArray bytes = RecordCodec::encodeHeader(RecordKind::Input, seq == 0 ? 1 : seq);
    bytes[0] = char(version);
    bytes[1] = char(kind);
    if (seq == 0)
        bytes.replace(2, 8, QByteArray(8, '\0'));
    return bytes + QByteArray(ciphertextSize, 'c') + QByteArray(RecordCodec::TagSize, 't');
}

} // namespace

class tst_RecordCodec : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void headerLayout()
    {
        QCOMPARE(RecordCodec::encodeHeader(RecordKind::Input, 1), QByteArray::fromHex("02010000000000000001"));
        QCOMPARE(RecordCodec::encodeHeader(RecordKind::Frame, 0x0102030405060708ULL),
                 QByteArray::fromHex("02020102030405060708"));
        QCOMPARE(RecordCodec::encodeHeader(RecordKind::Control, std::numeric_limits<quint64>::max()),
                 QByteArray::fromHex("0203ffffffffffffffff"));
    }

    void headerRoundTrip_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<quint64>("seq");
        QTest::newRow("input 1") << int(RecordKind::Input) << quint64(1);
        QTest::newRow("frame 2^32") << int(RecordKind::Frame) << (quint64(1) << 32);
        QTest::newRow("control max") << int(RecordKind::Control) << std::numeric_limits<quint64>::max();
    }

    void headerRoundTrip()
    {
        QFETCH(int, kind);
        QFETCH(quint64, seq);
        const auto header = RecordCodec::decodeHeader(RecordCodec::encodeHeader(RecordKind(kind), seq));
        QVERIFY(header.ok());
        QCOMPARE(int(header->kind), kind);
        QCOMPARE(header->seq, seq);
    }

    void splitValid()
    {
        const QByteArray bytes
            = RecordCodec::encodeHeader(RecordKind::Frame, 7) + QByteArray("cipher") + QByteArray(16, 'T');
        const auto parts = RecordCodec::split(bytes);
        QVERIFY(parts.ok());
        QCOMPARE(parts->header.kind, RecordKind::Frame);
        QCOMPARE(parts->header.seq, quint64(7));
        QCOMPARE(parts->headerBytes.toByteArray(), bytes.first(10));
        QCOMPARE(parts->ciphertext.toByteArray(), QByteArray("cipher"));
        QCOMPARE(parts->tag.toByteArray(), QByteArray(16, 'T'));
        QCOMPARE(RecordCodec::assemble(parts->headerBytes, parts->ciphertext, parts->tag), bytes);
    }

    void splitSmallest() { QVERIFY(RecordCodec::split(record(2, 1, 1, 1)).ok()); }

    void splitRejects_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("short_record");
        QTest::newRow("header only") << QByteArray::fromHex("02010000000000000001") << QStringLiteral("short_record");
        QTest::newRow("no ciphertext") << record(2, 1, 1, 0) << QStringLiteral("short_record");
        QTest::newRow("tag cut short") << record(2, 1, 1, 1).chopped(1) << QStringLiteral("short_record");
        QTest::newRow("version 0x01") << record(1, 1, 1, 4) << QStringLiteral("bad_version");
        QTest::newRow("version 0x00") << record(0, 1, 1, 4) << QStringLiteral("bad_version");
        QTest::newRow("version 0x03") << record(3, 1, 1, 4) << QStringLiteral("bad_version");
        QTest::newRow("JSON text") << QByteArray("{\"type\":\"encrypted\",\"payload\":{}}")
                                   << QStringLiteral("bad_version");
        QTest::newRow("kind 0x00") << record(2, 0, 1, 4) << QStringLiteral("unknown_kind");
        QTest::newRow("kind 0x04") << record(2, 4, 1, 4) << QStringLiteral("unknown_kind");
        QTest::newRow("kind 0xff") << record(2, 0xff, 1, 4) << QStringLiteral("unknown_kind");
        QTest::newRow("seq 0") << record(2, 1, 0, 4) << QStringLiteral("bad_seq");
        QTest::newRow("over 4 MiB") << record(2, 2, 1, RecordCodec::MaxRecordSize) << QStringLiteral("too_large");
    }

    void splitRejects()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, code);
        handoff::testutil::recordFuzzSeed("v2_record", bytes, QByteArrayView("\0", 1));
        const auto parts = RecordCodec::split(bytes);
        QVERIFY(!parts.ok());
        QCOMPARE(parts.error().code, code);
        QVERIFY(!parts.error().message.isEmpty());
    }

    void decodeHeaderNeedsTenBytes()
    {
        const auto header = RecordCodec::decodeHeader(QByteArray::fromHex("020100000000000001"));
        QVERIFY(!header.ok());
        QCOMPARE(header.error().code, QStringLiteral("short_record"));
    }

    void nonceAndAad()
    {
        QCOMPARE(RecordCodec::nonce("v2a ", 1), QByteArray("v2a ") + QByteArray::fromHex("0000000000000001"));
        QCOMPARE(RecordCodec::nonce("a2v ", 0x0a0b0c0d0e0f1011ULL),
                 QByteArray("a2v ") + QByteArray::fromHex("0a0b0c0d0e0f1011"));
        QCOMPARE(RecordCodec::nonce("a2v ", 5).size(), 12);
        const QByteArray header = RecordCodec::encodeHeader(RecordKind::Control, 3);
        QCOMPARE(RecordCodec::aad(header, "sess_abc"), header + QByteArray("sess_abc"));
    }

    void frameRoundTrip()
    {
        const QByteArray meta = "{\"deviceWidth\":800}";
        const QByteArray image = QByteArray::fromHex("ffd8ffe000104a464946");
        const auto packed = RecordCodec::packFrame(meta, image);
        QVERIFY(packed.ok());
        QCOMPARE(packed->first(4), QByteArray::fromHex("00000013"));
        const auto parts = RecordCodec::unpackFrame(*packed);
        QVERIFY(parts.ok());
        QCOMPARE(parts->metaJson.toByteArray(), meta);
        QCOMPARE(parts->image.toByteArray(), image);
    }

    void packFrameRejects_data()
    {
        QTest::addColumn<QByteArray>("meta");
        QTest::addColumn<QByteArray>("image");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty meta") << QByteArray() << QByteArray("img") << QStringLiteral("bad_frame_meta_length");
        QTest::newRow("meta over 4 KiB") << QByteArray(4097, 'm') << QByteArray("img")
                                         << QStringLiteral("bad_frame_meta_length");
        QTest::newRow("empty image") << QByteArray("{}") << QByteArray() << QStringLiteral("empty_image");
        QTest::newRow("image too big") << QByteArray("{}") << QByteArray(RecordCodec::MaxRecordSize, 'i')
                                       << QStringLiteral("too_large");
    }

    void packFrameRejects()
    {
        QFETCH(QByteArray, meta);
        QFETCH(QByteArray, image);
        QFETCH(QString, code);
        const auto packed = RecordCodec::packFrame(meta, image);
        QVERIFY(!packed.ok());
        QCOMPARE(packed.error().code, code);
    }

    void packFrameAtLimits()
    {
        QVERIFY(RecordCodec::packFrame(QByteArray(4096, 'm'), "i").ok());
        const qsizetype largest = RecordCodec::MaxRecordSize - RecordCodec::HeaderSize - RecordCodec::TagSize - 4 - 2;
        QVERIFY(RecordCodec::packFrame("{}", QByteArray(largest, 'i')).ok());
    }

    void unpackFrameRejects_data()
    {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("truncated_frame");
        QTest::newRow("three bytes") << QByteArray::fromHex("000000") << QStringLiteral("truncated_frame");
        QTest::newRow("zero meta length")
            << QByteArray::fromHex("00000000ffd8") << QStringLiteral("bad_frame_meta_length");
        QTest::newRow("meta length 4097")
            << (QByteArray::fromHex("00001001") + QByteArray(5000, 'x')) << QStringLiteral("bad_frame_meta_length");
        QTest::newRow("meta length 2^32-1")
            << (QByteArray::fromHex("ffffffff") + QByteArray(10, 'x')) << QStringLiteral("bad_frame_meta_length");
        QTest::newRow("meta longer than record")
            << (QByteArray::fromHex("00000010") + QByteArray("{}")) << QStringLiteral("truncated_frame");
        QTest::newRow("no image") << (QByteArray::fromHex("00000002") + QByteArray("{}"))
                                  << QStringLiteral("empty_image");
    }

    void unpackFrameRejects()
    {
        QFETCH(QByteArray, plaintext);
        QFETCH(QString, code);
        handoff::testutil::recordFuzzSeed("v2_record", plaintext, QByteArrayView("\0", 1));
        const auto parts = RecordCodec::unpackFrame(plaintext);
        QVERIFY(!parts.ok());
        QCOMPARE(parts.error().code, code);
    }
};

QTEST_GUILESS_MAIN(tst_RecordCodec)
#include "tst_RecordCodec.moc"
