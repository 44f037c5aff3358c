// ScreencastView on a HiDPI screen (device pixel ratio 2, set through
// QT_SCALE_FACTOR before the application starts): clicks still map to the right
// CSS pixels, and a frame with twice the view's logical size is painted 1:1 onto
// the physical pixels, without blurring.

#include "tests/ui/ScreencastViewFixture.h"

#include <QApplication>
#include <QTest>

using handoff::protocol::InputEventType;
using handoff::test::ScreencastViewFixture;

class TestScreencastViewHiDpi final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void clicksMapUnderDpr2();
    void frameIsPaintedPixelForPixel();
};

void TestScreencastViewHiDpi::clicksMapUnderDpr2()
{
    ScreencastViewFixture f;
    QVERIFY(f.setUp());
    QCOMPARE(f.view->devicePixelRatioF(), 2.0);
    // 800x450 logical shows 1280x720 CSS: 1.6 CSS pixels per logical pixel, whatever the DPR.
    QTest::mouseClick(f.surface(), Qt::LeftButton, {}, QPoint(100, 50));
    QCOMPARE(f.events.size(), size_t(2));
    QCOMPARE(f.events[0].type(), InputEventType::MouseDown);
    QCOMPARE(f.events[0].x(), 160.0);
    QCOMPARE(f.events[0].y(), 80.0);
    QVERIFY(f.allValid());
}

void TestScreencastViewHiDpi::frameIsPaintedPixelForPixel()
{
    // A 1600x900 frame of alternating one-pixel columns, in an 800x450 view at DPR 2:
    // every physical pixel shows exactly one frame pixel, so the stripes survive.
    ScreencastViewFixture f;
    QVERIFY(f.setUp());
    QImage stripes(1600, 900, QImage::Format_RGB32);
    for (int x = 0; x < stripes.width(); ++x) {
        const QRgb colour = x % 2 ? qRgb(255, 255, 255) : qRgb(0, 0, 0);
        for (int y = 0; y < stripes.height(); ++y)
            stripes.setPixel(x, y, colour);
    }
    handoff::protocol::FrameMetadata meta;
    meta.deviceWidth = 800; // CSS pixels: the page was captured at device scale factor 2
    meta.deviceHeight = 450;
    f.view->setFrame(stripes, meta);
    const QImage shown = f.view->viewport()->grab().toImage();
    QCOMPARE(shown.size(), QSize(1600, 900));
    // Away from the focus frame at the edges.
    for (int x = 100; x < 110; ++x)
        QCOMPARE(qRed(shown.pixel(x, 450)), x % 2 ? 255 : 0);
}

int main(int argc, char** argv)
{
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    TestScreencastViewHiDpi test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_ScreencastViewHiDpi.moc"
