// FrameDecoder and JpegDecoder: libjpeg-turbo decodes what Qt encodes, off the
// GUI thread; the newest frame always wins and nothing queues up; bad and
// oversized images are refused with a reason.

#include "ui/FrameDecoder.h"
#include "ui/JpegDecoder.h"

#include <QBuffer>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using handoff::protocol::FrameMetadata;
using handoff::ui::FrameDecoder;
using handoff::ui::JpegDecoder;

namespace {

QByteArray encode(const QImage& image, const char* format = "JPG", int quality = 90)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format, quality);
    return bytes;
}

QImage testImage(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(QColor(200, 40, 60));
    return image;
}

FrameMetadata metadataFor(int width, int height, double id = 0)
{
    FrameMetadata meta;
    meta.deviceWidth = width;
    meta.deviceHeight = height;
    meta.timestamp = id; // which frame this was
    return meta;
}

bool closeTo(QRgb a, QColor b)
{
    return std::abs(qRed(a) - b.red()) < 8 && std::abs(qGreen(a) - b.green()) < 8 && std::abs(qBlue(a) - b.blue()) < 8;
}

} // namespace

class TestFrameDecoder final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decodesJpegToRgb32();
    void refusesGarbage();
    void refusesHugeHeader();
    void decodesOnAnotherThread();
    void newestFrameWins();
    void decodesPng();
    void reportsBadFrames();
};

void TestFrameDecoder::decodesJpegToRgb32()
{
    JpegDecoder decoder;
    auto image = decoder.decode(encode(testImage(320, 200)));
    QVERIFY2(image.ok(), qPrintable(image.ok() ? QString() : image.error().message));
    QCOMPARE(image->size(), QSize(320, 200));
    QCOMPARE(image->format(), QImage::Format_RGB32);
    QVERIFY(closeTo(image->pixel(160, 100), QColor(200, 40, 60)));
    QCOMPARE(qAlpha(image->pixel(0, 0)), 255);
}

void TestFrameDecoder::refusesGarbage()
{
    JpegDecoder decoder;
    QCOMPARE(decoder.decode(QByteArray()).error().code, QStringLiteral("empty_image"));
    QCOMPARE(decoder.decode(QByteArrayLiteral("not a jpeg at all")).error().code, QStringLiteral("bad_jpeg"));
    QByteArray truncated = encode(testImage(64, 64)).left(20);
    QVERIFY(!decoder.decode(truncated).ok());
}

void TestFrameDecoder::refusesHugeHeader()
{
    // A valid JPEG whose header claims 9000 pixels of width: refused before allocating.
    JpegDecoder decoder;
    QByteArray jpeg = encode(testImage(16, 16));
    const qsizetype sof = jpeg.indexOf(QByteArray::fromHex("ffc0"));
    QVERIFY(sof > 0);
    jpeg[sof + 7] = char(9000 >> 8);
    jpeg[sof + 8] = char(9000 & 0xff);
    QCOMPARE(decoder.decode(jpeg).error().code, QStringLiteral("image_too_large"));
}

void TestFrameDecoder::decodesOnAnotherThread()
{
    FrameDecoder decoder;
    QThread* decodingThread = nullptr;
    connect(&decoder, &FrameDecoder::frameDecoded, this, [&](const QImage&, const FrameMetadata&) {
        decodingThread = QThread::currentThread();
    });
    QSignalSpy decoded(&decoder, &FrameDecoder::frameDecoded);
    decoder.submit(encode(testImage(640, 360)), metadataFor(640, 360));
    QVERIFY(decoded.wait(5000));
    // Delivered on the GUI thread, decoded elsewhere (the signal comes from a queued call).
    QCOMPARE(decodingThread, QThread::currentThread());
    const auto image = decoded.first().at(0).value<QImage>();
    QCOMPARE(image.size(), QSize(640, 360));
}

void TestFrameDecoder::newestFrameWins()
{
    FrameDecoder decoder;
    std::vector<double> delivered;
    connect(&decoder, &FrameDecoder::frameDecoded, this,
            [&](const QImage&, const FrameMetadata& meta) { delivered.push_back(meta.timestamp); });
    const QByteArray jpeg = encode(testImage(1920, 1080), "JPG", 80);
    constexpr int Frames = 50;
    // Submitted without returning to the event loop: the GUI takes none of them meanwhile.
    for (int i = 1; i <= Frames; ++i)
        decoder.submit(jpeg, metadataFor(1920, 1080, i));
    QTRY_VERIFY_WITH_TIMEOUT(!delivered.empty() && delivered.back() == Frames, 10000);
    QTest::qWait(100);
    // Far fewer deliveries than submissions, in order, ending with the newest.
    QVERIFY(delivered.size() < size_t(Frames));
    QVERIFY(std::is_sorted(delivered.begin(), delivered.end()));
    QCOMPARE(delivered.back(), double(Frames));
    QCOMPARE(decoder.droppedFrames() + delivered.size(), quint64(Frames));
}

void TestFrameDecoder::decodesPng()
{
    FrameDecoder decoder;
    QSignalSpy decoded(&decoder, &FrameDecoder::frameDecoded);
    FrameMetadata meta = metadataFor(100, 50);
    meta.format = FrameMetadata::Format::Png;
    decoder.submit(encode(testImage(100, 50), "PNG"), meta);
    QVERIFY(decoded.wait(5000));
    QCOMPARE(decoded.first().at(0).value<QImage>().size(), QSize(100, 50));
}

void TestFrameDecoder::reportsBadFrames()
{
    FrameDecoder decoder;
    QSignalSpy failed(&decoder, &FrameDecoder::decodeFailed);
    QSignalSpy decoded(&decoder, &FrameDecoder::frameDecoded);
    decoder.submit(QByteArrayLiteral("garbage"), metadataFor(10, 10));
    QVERIFY(failed.wait(5000));
    QCOMPARE(decoded.count(), 0);
}

QTEST_GUILESS_MAIN(TestFrameDecoder)
#include "tst_FrameDecoder.moc"
