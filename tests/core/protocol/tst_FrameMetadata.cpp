// Frame metadata: the v1 "frame" text message and the v2 meta JSON, parsed with
// bounds on every number and serialized in AuthLoop's exact shape.

#include "core/protocol/FrameMetadata.h"
#include "tests/support/FuzzSeed.h"

#include <QTest>

#include <limits>

using handoff::protocol::FrameMetadata;

namespace {

const QByteArray V1Good = "{\"type\":\"frame\",\"deviceWidth\":1280,\"deviceHeight\":720,\"offsetTop\":0,"
                          "\"pageScaleFactor\":1,\"scrollOffsetX\":0,\"scrollOffsetY\":120.5,\"jpegSize\":34567}";
const QByteArray V2Good = "{\"deviceWidth\":390,\"deviceHeight\":844,\"offsetTop\":0,\"pageScaleFactor\":3,"
                          "\"scrollOffsetX\":0,\"scrollOffsetY\":0,\"timestamp\":1763800000.123,\"format\":\"png\"}";

// V1Good with one field's value text replaced (or the field removed when value is null).
QByteArray v1With(const char* field, const char* value)
{
    QByteArray text = V1Good;
    const QByteArray key = QByteArray("\"") + field + "\":";
    const qsizetype start = text.indexOf(key);
    Q_ASSERT(start >= 0);
    qsizetype end = start + key.size();
    while (end < text.size() && text[end] != ',' && text[end] != '}')
        ++end;
    if (value == nullptr) {
        const bool last = text[end] == '}';
        // Also drop the comma that joined it to its neighbour.
        return last ? text.remove(start - 1, end - start + 1) : text.remove(start, end - start + 1);
    }
    return text.replace(start + key.size(), end - start - key.size(), value);
}

QByteArray v2With(const char* field, const char* value)
{
    QByteArray text = V2Good;
    const QByteArray key = QByteArray("\"") + field + "\":";
    const qsizetype start = text.indexOf(key);
    Q_ASSERT(start >= 0);
    qsizetype end = start + key.size();
    while (end < text.size() && text[end] != ',' && text[end] != '}')
        ++end;
    if (value == nullptr) {
        const bool last = text[end] == '}';
        return last ? text.remove(start - 1, end - start + 1) : text.remove(start, end - start + 1);
    }
    return text.replace(start + key.size(), end - start - key.size(), value);
}

} // namespace

class tst_FrameMetadata : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseV1()
    {
        handoff::testutil::recordFuzzSeed("frame_metadata", V1Good);
        const auto meta = FrameMetadata::parseV1Message(V1Good);
        QVERIFY(meta.ok());
        QCOMPARE(meta->deviceWidth, 1280.0);
        QCOMPARE(meta->deviceHeight, 720.0);
        QCOMPARE(meta->offsetTop, 0.0);
        QCOMPARE(meta->pageScaleFactor, 1.0);
        QCOMPARE(meta->scrollOffsetX, 0.0);
        QCOMPARE(meta->scrollOffsetY, 120.5);
        QCOMPARE(meta->jpegSize, qint64(34567));
    }

    void v1RoundTripIsExact()
    {
        const auto meta = FrameMetadata::parseV1Message(V1Good);
        QVERIFY(meta.ok());
        const auto text = meta->toV1Message();
        QVERIFY(text.ok());
        QCOMPARE(*text, V1Good);
    }

    void v1FieldOrderDoesNotMatter()
    {
        const QByteArray shuffled = "{\"jpegSize\":10,\"scrollOffsetY\":0,\"scrollOffsetX\":0,\"pageScaleFactor\":2,"
                                    "\"offsetTop\":0,\"deviceHeight\":600,\"deviceWidth\":800,\"type\":\"frame\","
                                    "\"extra\":\"ignored\"}";
        const auto meta = FrameMetadata::parseV1Message(shuffled);
        QVERIFY(meta.ok());
        QCOMPARE(meta->pageScaleFactor, 2.0);
        QCOMPARE(meta->jpegSize, qint64(10));
    }

    void v1Rejects_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::newRow("not JSON") << QByteArray("frame") << QStringLiteral("bad_json");
        QTest::newRow("truncated") << V1Good.chopped(1) << QStringLiteral("bad_json");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("bad_json");
        QTest::newRow("over 4 KiB") << (V1Good.chopped(1) + ",\"pad\":\"" + QByteArray(4096, 'p') + "\"}")
                                    << QStringLiteral("too_large");
        QTest::newRow("wrong type") << QByteArray(V1Good).replace("\"frame\"", "\"pubkey\"")
                                    << QStringLiteral("wrong_type");
        QTest::newRow("no type") << QByteArray(V1Good).replace("\"type\":\"frame\",", "")
                                 << QStringLiteral("wrong_type");
        for (const char* field : { "deviceWidth", "deviceHeight", "offsetTop", "pageScaleFactor", "scrollOffsetX",
                                   "scrollOffsetY", "jpegSize" }) {
            QTest::addRow("%s missing", field) << v1With(field, nullptr) << QStringLiteral("bad_field");
            QTest::addRow("%s string", field) << v1With(field, "\"100\"") << QStringLiteral("bad_field");
            QTest::addRow("%s null", field) << v1With(field, "null") << QStringLiteral("bad_field");
            QTest::addRow("%s huge", field) << v1With(field, "1e300") << QStringLiteral("bad_field");
        }
        QTest::newRow("deviceWidth 0") << v1With("deviceWidth", "0") << QStringLiteral("bad_field");
        QTest::newRow("deviceWidth 10001") << v1With("deviceWidth", "10001") << QStringLiteral("bad_field");
        QTest::newRow("deviceHeight -1") << v1With("deviceHeight", "-1") << QStringLiteral("bad_field");
        QTest::newRow("offsetTop 10001") << v1With("offsetTop", "10001") << QStringLiteral("bad_field");
        QTest::newRow("pageScaleFactor 0") << v1With("pageScaleFactor", "0") << QStringLiteral("bad_field");
        QTest::newRow("pageScaleFactor -1") << v1With("pageScaleFactor", "-1") << QStringLiteral("bad_field");
        QTest::newRow("pageScaleFactor 10.5") << v1With("pageScaleFactor", "10.5") << QStringLiteral("bad_field");
        QTest::newRow("scrollOffsetY 1e8") << v1With("scrollOffsetY", "100000000") << QStringLiteral("bad_field");
        QTest::newRow("jpegSize 0") << v1With("jpegSize", "0") << QStringLiteral("bad_field");
        QTest::newRow("jpegSize -5") << v1With("jpegSize", "-5") << QStringLiteral("bad_field");
        QTest::newRow("jpegSize 1.5") << v1With("jpegSize", "1.5") << QStringLiteral("bad_field");
        QTest::newRow("jpegSize over 4 MiB") << v1With("jpegSize", "4194305") << QStringLiteral("bad_field");
        QTest::newRow("jpegSize 2^63") << v1With("jpegSize", "9223372036854775808") << QStringLiteral("bad_field");
    }

    void v1Rejects()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        handoff::testutil::recordFuzzSeed("frame_metadata", text);
        const auto meta = FrameMetadata::parseV1Message(text);
        QVERIFY(!meta.ok());
        QCOMPARE(meta.error().code, code);
        QVERIFY(!meta.error().message.isEmpty());
    }

    void v1Limits()
    {
        QVERIFY(FrameMetadata::parseV1Message(v1With("deviceWidth", "10000")).ok());
        QVERIFY(FrameMetadata::parseV1Message(v1With("deviceWidth", "1")).ok());
        QVERIFY(FrameMetadata::parseV1Message(v1With("pageScaleFactor", "10")).ok());
        QVERIFY(FrameMetadata::parseV1Message(v1With("pageScaleFactor", "0.25")).ok());
        QVERIFY(FrameMetadata::parseV1Message(v1With("jpegSize", "4194304")).ok());
        QVERIFY(FrameMetadata::parseV1Message(v1With("jpegSize", "1")).ok());
        QVERIFY(FrameMetadata::parseV1Message(v1With("offsetTop", "-56")).ok());
        QVERIFY(FrameMetadata::parseV1Message(v1With("scrollOffsetY", "250000.75")).ok());
    }

    void parseV2()
    {
        handoff::testutil::recordFuzzSeed("frame_metadata", V2Good);
        const auto meta = FrameMetadata::parseV2Json(V2Good);
        QVERIFY(meta.ok());
        QCOMPARE(meta->deviceWidth, 390.0);
        QCOMPARE(meta->pageScaleFactor, 3.0);
        QCOMPARE(meta->timestamp, 1763800000.123);
        QCOMPARE(meta->format, FrameMetadata::Format::Png);
        const auto text = meta->toV2Json();
        QVERIFY(text.ok());
        QCOMPARE(*text, V2Good);
        QCOMPARE(FrameMetadata::parseV2Json(v2With("format", "\"jpeg\""))->format, FrameMetadata::Format::Jpeg);
    }

    void v2Rejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("code");
        QTest::newRow("not JSON") << QByteArray("\x00\x01", 2) << QStringLiteral("bad_json");
        QTest::newRow("format missing") << v2With("format", nullptr) << QStringLiteral("bad_field");
        QTest::newRow("format gif") << v2With("format", "\"gif\"") << QStringLiteral("bad_field");
        QTest::newRow("format JPEG") << v2With("format", "\"JPEG\"") << QStringLiteral("bad_field");
        QTest::newRow("format number") << v2With("format", "1") << QStringLiteral("bad_field");
        QTest::newRow("timestamp missing") << v2With("timestamp", nullptr) << QStringLiteral("bad_field");
        QTest::newRow("timestamp negative") << v2With("timestamp", "-1") << QStringLiteral("bad_field");
        QTest::newRow("timestamp 1e12") << v2With("timestamp", "1e12") << QStringLiteral("bad_field");
        QTest::newRow("timestamp string") << v2With("timestamp", "\"now\"") << QStringLiteral("bad_field");
        QTest::newRow("deviceHeight 0") << v2With("deviceHeight", "0") << QStringLiteral("bad_field");
        QTest::newRow("pageScaleFactor 11") << v2With("pageScaleFactor", "11") << QStringLiteral("bad_field");
        QTest::newRow("scrollOffsetX missing") << v2With("scrollOffsetX", nullptr) << QStringLiteral("bad_field");
    }

    void v2Rejects()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, code);
        handoff::testutil::recordFuzzSeed("frame_metadata", json);
        const auto meta = FrameMetadata::parseV2Json(json);
        QVERIFY(!meta.ok());
        QCOMPARE(meta.error().code, code);
    }

    void serializersRefuseBadValues_data()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<double>("value");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("width NaN") << 0 << nan;
        QTest::newRow("height inf") << 1 << inf;
        QTest::newRow("offsetTop -inf") << 2 << -inf;
        QTest::newRow("scale NaN") << 3 << nan;
        QTest::newRow("scrollX inf") << 4 << inf;
        QTest::newRow("scrollY NaN") << 5 << nan;
    }

    void serializersRefuseBadValues()
    {
        QFETCH(int, field);
        QFETCH(double, value);
        FrameMetadata meta = *FrameMetadata::parseV1Message(V1Good);
        double* const fields[] = { &meta.deviceWidth,     &meta.deviceHeight,  &meta.offsetTop,
                                   &meta.pageScaleFactor, &meta.scrollOffsetX, &meta.scrollOffsetY };
        *fields[field] = value;
        QCOMPARE(meta.toV1Message().error().code, QStringLiteral("bad_field"));
        meta.timestamp = 1;
        QCOMPARE(meta.toV2Json().error().code, QStringLiteral("bad_field"));
    }

    void serializersCheckTheirOwnFields()
    {
        FrameMetadata meta = *FrameMetadata::parseV1Message(V1Good);
        meta.jpegSize = 0;
        QVERIFY(!meta.toV1Message().ok());
        meta.timestamp = std::numeric_limits<double>::quiet_NaN();
        QVERIFY(!meta.toV2Json().ok());
    }
};

QTEST_GUILESS_MAIN(tst_FrameMetadata)
#include "tst_FrameMetadata.moc"
