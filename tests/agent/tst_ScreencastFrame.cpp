// ScreencastFrame::fromCdpParams: the params of a Page.screencastFrame event as
// the agent reads them. Table-driven: a good frame, and frames whose image or
// metadata is missing, malformed or out of bounds, each refused with its code.

#include "agent/screencast/ScreencastFrame.h"
#include "tests/support/FuzzSeed.h"

#include <QJsonDocument>
#include <QTest>

using namespace handoff::agent;

namespace {

// A 1x1 JPEG, as Chromium sends it.
const QString Jpeg = QStringLiteral(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5"
    "PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==");

QJsonObject params(const QString& field = {}, const QJsonValue& value = QJsonValue::Undefined)
{
    QJsonObject metadata { { QStringLiteral("offsetTop"), 0 },
                           { QStringLiteral("pageScaleFactor"), 1 },
                           { QStringLiteral("deviceWidth"), 1280 },
                           { QStringLiteral("deviceHeight"), 720 },
                           { QStringLiteral("scrollOffsetX"), 0 },
                           { QStringLiteral("scrollOffsetY"), 120.5 },
                           { QStringLiteral("timestamp"), 1763800000.123 } };
    QJsonObject out { { QStringLiteral("data"), Jpeg }, { QStringLiteral("sessionId"), 3 } };
    // `field` is removed when `value` is undefined, else set to it.
    QJsonObject& holder = field == QLatin1String("data") ? out : metadata;
    if (!field.isEmpty()) {
        if (value.isUndefined()) {
            holder.remove(field);
        } else {
            holder.insert(field, value);
        }
    }
    out.insert(QStringLiteral("metadata"), metadata);
    return out;
}

} // namespace

class TestScreencastFrame final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reads();
    void refuses_data();
    void refuses();
};

void TestScreencastFrame::reads()
{
    const QJsonObject good = params();
    handoff::testutil::recordFuzzSeed(
        "cdp_message",
        QJsonDocument(QJsonObject { { QStringLiteral("method"), QStringLiteral("Page.screencastFrame") },
                                    { QStringLiteral("params"), good } })
            .toJson(QJsonDocument::Compact));
    const auto frame = ScreencastFrame::fromCdpParams(good);
    QVERIFY2(frame.ok(), qPrintable(frame.ok() ? QString() : frame.error().message));
    QCOMPARE(frame->meta.deviceWidth, 1280.0);
    QCOMPARE(frame->meta.scrollOffsetY, 120.5);
    QCOMPARE(frame->meta.timestamp, 1763800000.123);
    QCOMPARE(frame->image, QByteArray::fromBase64(Jpeg.toLatin1()));
    QCOMPARE(frame->meta.jpegSize, frame->image.size());
    // A missing pageScaleFactor is 1, as CDP documents it.
    QVERIFY(ScreencastFrame::fromCdpParams(params(QStringLiteral("pageScaleFactor"))).ok());
}

void TestScreencastFrame::refuses_data()
{
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("code");

    const QString bad = QStringLiteral("bad_image");
    QTest::newRow("no image") << params(QStringLiteral("data")) << bad;
    QTest::newRow("empty image") << params(QStringLiteral("data"), QString()) << bad;
    QTest::newRow("image not base64") << params(QStringLiteral("data"), QStringLiteral("not*base64")) << bad;
    QTest::newRow("image not a string") << params(QStringLiteral("data"), 12) << bad;
    QTest::newRow("image over 4 MiB") << params(QStringLiteral("data"),
                                                QString::fromLatin1(QByteArray(4 * 1024 * 1024 + 1, 'x').toBase64()))
                                      << bad;
    const QString field = QStringLiteral("bad_field");
    QTest::newRow("no width") << params(QStringLiteral("deviceWidth")) << field;
    QTest::newRow("width 0") << params(QStringLiteral("deviceWidth"), 0) << field;
    QTest::newRow("width too large") << params(QStringLiteral("deviceWidth"), 10001) << field;
    QTest::newRow("height a string") << params(QStringLiteral("deviceHeight"), QStringLiteral("720")) << field;
    QTest::newRow("scale 0") << params(QStringLiteral("pageScaleFactor"), 0) << field;
    QTest::newRow("scroll too far") << params(QStringLiteral("scrollOffsetX"), 1e8) << field;
    QTest::newRow("offset too large") << params(QStringLiteral("offsetTop"), -10001) << field;
}

void TestScreencastFrame::refuses()
{
    QFETCH(QJsonObject, params);
    QFETCH(QString, code);
    if (params.value(QLatin1String("data")).toString().size() < 4096) {
        handoff::testutil::recordFuzzSeed(
            "cdp_message",
            QJsonDocument(QJsonObject { { QStringLiteral("method"), QStringLiteral("Page.screencastFrame") },
                                        { QStringLiteral("params"), params } })
                .toJson(QJsonDocument::Compact));
    }
    const auto frame = ScreencastFrame::fromCdpParams(params);
    QVERIFY(!frame.ok());
    QCOMPARE(frame.error().code, code);
    QVERIFY(!frame.error().message.isEmpty());
}

QTEST_GUILESS_MAIN(TestScreencastFrame)
#include "tst_ScreencastFrame.moc"
