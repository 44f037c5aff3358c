// CoordinateMapper: view pixels to page CSS pixels under letterboxing, zoom,
// scrolling and device pixel ratios, and the painted rectangle snapped to
// device pixels. Table-driven.

#include "ui/CoordinateMapper.h"

#include <QTest>

using handoff::ui::CoordinateMapper;

namespace {

constexpr double Tolerance = 0.51; // half a CSS pixel: snapping to device pixels may move the frame that much

bool near(QPointF a, QPointF b, double tolerance = Tolerance)
{
    return std::abs(a.x() - b.x()) <= tolerance && std::abs(a.y() - b.y()) <= tolerance;
}

CoordinateMapper::Geometry geometry(QSizeF view, QSizeF page, std::optional<double> zoom = std::nullopt,
                                    double dpr = 1.0, QPointF scroll = {}, double offsetTop = 0)
{
    CoordinateMapper::Geometry g;
    g.viewSize = view;
    g.pageSize = page;
    g.zoom = zoom;
    g.devicePixelRatio = dpr;
    g.scroll = scroll;
    g.offsetTop = offsetTop;
    return g;
}

} // namespace

class TestCoordinateMapper final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mapsViewToPage_data();
    void mapsViewToPage();
    void letterboxIsOutside_data();
    void letterboxIsOutside();
    void frameRect_data();
    void frameRect();
    void roundTrip_data();
    void roundTrip();
    void clampsDragsToTheEdge();
    void invalidWithoutFrameOrView();
    void viewportForTheView_data();
    void viewportForTheView();
    void zoomIsClamped();
    void wheelDeltaInCssPixels();
};

void TestCoordinateMapper::mapsViewToPage_data()
{
    QTest::addColumn<CoordinateMapper::Geometry>("geometry");
    QTest::addColumn<QPointF>("view");
    QTest::addColumn<QPointF>("page");

    // Fit, same aspect ratio: no letterbox, scale 0.5.
    QTest::newRow("fit exact half") << geometry({640, 360}, {1280, 720}) << QPointF(0, 0) << QPointF(0, 0);
    QTest::newRow("fit exact centre") << geometry({640, 360}, {1280, 720}) << QPointF(320, 180) << QPointF(640, 360);
    // Fit, view wider than the page: bars left and right. 1280x720 into 1000x360 -> scale 0.5, width 640, x0 = 180.
    QTest::newRow("pillarbox left edge") << geometry({1000, 360}, {1280, 720}) << QPointF(180, 0) << QPointF(0, 0);
    QTest::newRow("pillarbox centre") << geometry({1000, 360}, {1280, 720}) << QPointF(500, 180) << QPointF(640, 360);
    QTest::newRow("pillarbox near right") << geometry({1000, 360}, {1280, 720}) << QPointF(819, 359)
                                          << QPointF(1278, 718);
    // Fit, view taller than the page: bars above and below. 800x600 into 400x600 -> scale 0.5, height 300, y0 = 150.
    QTest::newRow("letterbox top edge") << geometry({400, 600}, {800, 600}) << QPointF(0, 150) << QPointF(0, 0);
    QTest::newRow("letterbox middle") << geometry({400, 600}, {800, 600}) << QPointF(200, 300) << QPointF(400, 300);
    // Fit upscales a small page: 320x240 into 640x480 -> scale 2.
    QTest::newRow("fit upscale") << geometry({640, 480}, {320, 240}) << QPointF(100, 50) << QPointF(50, 25);
    // Zoom 100%: one CSS pixel per logical pixel, centred while smaller than the view.
    QTest::newRow("zoom 100 centred") << geometry({1000, 800}, {800, 600}, 1.0) << QPointF(100, 100)
                                      << QPointF(0, 0);
    QTest::newRow("zoom 100 inside") << geometry({1000, 800}, {800, 600}, 1.0) << QPointF(500, 400)
                                     << QPointF(400, 300);
    // Zoom 200% and larger than the view: no centring, scrolled.
    QTest::newRow("zoom 200 top left") << geometry({400, 300}, {800, 600}, 2.0) << QPointF(0, 0) << QPointF(0, 0);
    QTest::newRow("zoom 200 scrolled") << geometry({400, 300}, {800, 600}, 2.0, 1.0, {200, 100}) << QPointF(0, 0)
                                       << QPointF(100, 50);
    QTest::newRow("zoom 200 scrolled point") << geometry({400, 300}, {800, 600}, 2.0, 1.0, {200, 100})
                                             << QPointF(100, 60) << QPointF(150, 80);
    QTest::newRow("zoom 300") << geometry({600, 600}, {1280, 720}, 3.0) << QPointF(300, 300) << QPointF(100, 100);
    QTest::newRow("zoom 50") << geometry({1000, 1000}, {1280, 720}, 0.5) << QPointF(500, 500)
                             << QPointF(640, 360);
    // Device pixel ratios: logical coordinates map the same, up to snapping.
    QTest::newRow("dpr 2 fit") << geometry({640, 360}, {1280, 720}, std::nullopt, 2.0) << QPointF(320, 180)
                               << QPointF(640, 360);
    QTest::newRow("dpr 1.5 pillarbox") << geometry({1000, 360}, {1280, 720}, std::nullopt, 1.5)
                                       << QPointF(500, 180) << QPointF(640, 360);
    QTest::newRow("dpr 1.25 zoom 100") << geometry({1001, 801}, {800, 600}, 1.0, 1.25) << QPointF(500.5, 400.5)
                                       << QPointF(400, 300);
    QTest::newRow("dpr 3 zoom 150") << geometry({600, 450}, {400, 300}, 1.5, 3.0) << QPointF(300, 225)
                                    << QPointF(200, 150);
    // offsetTop: the frame's top band is not page; page y starts below it.
    QTest::newRow("offsetTop") << geometry({400, 400}, {400, 400}, 1.0, 1.0, {}, 50) << QPointF(10, 150)
                               << QPointF(10, 100);
}

void TestCoordinateMapper::mapsViewToPage()
{
    QFETCH(CoordinateMapper::Geometry, geometry);
    QFETCH(QPointF, view);
    QFETCH(QPointF, page);
    const CoordinateMapper mapper(geometry);
    QVERIFY(mapper.isValid());
    const auto mapped = mapper.toPage(view);
    QVERIFY2(mapped.has_value(), "the point lies on the frame");
    QVERIFY2(near(*mapped, page), qPrintable(QStringLiteral("got %1,%2").arg(mapped->x()).arg(mapped->y())));
}

void TestCoordinateMapper::letterboxIsOutside_data()
{
    QTest::addColumn<CoordinateMapper::Geometry>("geometry");
    QTest::addColumn<QPointF>("view");
    QTest::newRow("left bar") << geometry({1000, 360}, {1280, 720}) << QPointF(100, 100);
    QTest::newRow("right bar") << geometry({1000, 360}, {1280, 720}) << QPointF(900, 100);
    QTest::newRow("right edge itself") << geometry({1000, 360}, {1280, 720}) << QPointF(820, 100);
    QTest::newRow("top bar") << geometry({400, 600}, {800, 600}) << QPointF(200, 100);
    QTest::newRow("bottom bar") << geometry({400, 600}, {800, 600}) << QPointF(200, 500);
    QTest::newRow("zoom 100 margin") << geometry({1000, 800}, {800, 600}, 1.0) << QPointF(50, 400);
    QTest::newRow("negative") << geometry({640, 360}, {1280, 720}) << QPointF(-1, 10);
    QTest::newRow("dpr 2 bar") << geometry({1000, 360}, {1280, 720}, std::nullopt, 2.0) << QPointF(179, 10);
}

void TestCoordinateMapper::letterboxIsOutside()
{
    QFETCH(CoordinateMapper::Geometry, geometry);
    QFETCH(QPointF, view);
    QVERIFY(!CoordinateMapper(geometry).toPage(view).has_value());
}

void TestCoordinateMapper::frameRect_data()
{
    QTest::addColumn<CoordinateMapper::Geometry>("geometry");
    QTest::addColumn<QRectF>("rect");
    QTest::newRow("fit exact") << geometry({640, 360}, {1280, 720}) << QRectF(0, 0, 640, 360);
    QTest::newRow("pillarbox") << geometry({1000, 360}, {1280, 720}) << QRectF(180, 0, 640, 360);
    QTest::newRow("letterbox") << geometry({400, 600}, {800, 600}) << QRectF(0, 150, 400, 300);
    QTest::newRow("zoom 200 scrolled") << geometry({400, 300}, {800, 600}, 2.0, 1.0, {200, 100})
                                       << QRectF(-200, -100, 1600, 1200);
    QTest::newRow("scroll clamped") << geometry({400, 300}, {800, 600}, 2.0, 1.0, {5000, 5000})
                                    << QRectF(-1200, -900, 1600, 1200);
    // Odd margins snap to whole device pixels: (1001 - 800) / 2 = 100.5 -> 100 or 101 at dpr 1, 100.5 at dpr 2.
    QTest::newRow("snap dpr 1") << geometry({1001, 600}, {800, 600}, 1.0) << QRectF(101, 0, 800, 600);
    QTest::newRow("snap dpr 2") << geometry({1001, 600}, {800, 600}, 1.0, 2.0) << QRectF(100.5, 0, 800, 600);
}

void TestCoordinateMapper::frameRect()
{
    QFETCH(CoordinateMapper::Geometry, geometry);
    QFETCH(QRectF, rect);
    const QRectF actual = CoordinateMapper(geometry).frameRect();
    // std::round sends .5 away from zero; either neighbour is a whole device pixel.
    const double dpr = geometry.devicePixelRatio;
    QVERIFY2(std::abs(actual.left() - rect.left()) <= 1.0 / dpr && std::abs(actual.top() - rect.top()) <= 1.0 / dpr,
             qPrintable(QStringLiteral("origin %1,%2").arg(actual.left()).arg(actual.top())));
    QCOMPARE(actual.size(), rect.size());
    // Whole device pixels, so that a frame of the screen's resolution is drawn 1:1.
    QCOMPARE(std::fmod(actual.left() * dpr, 1.0), 0.0);
    QCOMPARE(std::fmod(actual.top() * dpr, 1.0), 0.0);
}

void TestCoordinateMapper::roundTrip_data()
{
    QTest::addColumn<CoordinateMapper::Geometry>("geometry");
    QTest::newRow("fit") << geometry({977, 613}, {1280, 720});
    QTest::newRow("fit dpr 1.5") << geometry({977, 613}, {1280, 720}, std::nullopt, 1.5);
    QTest::newRow("zoom 125 dpr 2") << geometry({977, 613}, {1280, 720}, 1.25, 2.0, {300, 200});
    QTest::newRow("zoom 67 dpr 1.25") << geometry({1500, 900}, {1920, 1080}, 0.67, 1.25);
}

void TestCoordinateMapper::roundTrip()
{
    QFETCH(CoordinateMapper::Geometry, geometry);
    const CoordinateMapper mapper(geometry);
    for (const QPointF page : {QPointF(0, 0), QPointF(10.5, 20.25), QPointF(640, 360), QPointF(1000, 700)}) {
        const QPointF view = mapper.toView(page);
        const auto back = mapper.toPage(view);
        if (!back)
            continue; // scrolled out of sight
        QVERIFY(near(*back, page, 1e-6));
    }
}

void TestCoordinateMapper::clampsDragsToTheEdge()
{
    const CoordinateMapper mapper(geometry({1000, 360}, {1280, 720}));
    QCOMPARE(mapper.toPageClamped(QPointF(0, -50)), QPointF(0, 0));
    QCOMPARE(mapper.toPageClamped(QPointF(5000, 5000)), QPointF(1280, 720));
}

void TestCoordinateMapper::invalidWithoutFrameOrView()
{
    QVERIFY(!CoordinateMapper(geometry({0, 0}, {1280, 720})).isValid());
    QVERIFY(!CoordinateMapper(geometry({640, 480}, {0, 0})).isValid());
    QVERIFY(!CoordinateMapper(geometry({640, 480}, {0, 0})).toPage(QPointF(1, 1)).has_value());
    QVERIFY(!CoordinateMapper().isValid());
}

void TestCoordinateMapper::viewportForTheView_data()
{
    QTest::addColumn<QSizeF>("view");
    QTest::addColumn<std::optional<double>>("zoom");
    QTest::addColumn<QSize>("viewport");
    QTest::newRow("fit is 100%") << QSizeF(1100, 700) << std::optional<double>() << QSize(1100, 700);
    QTest::newRow("zoom 200") << QSizeF(1100, 700) << std::optional<double>(2.0) << QSize(550, 350);
    QTest::newRow("zoom 50") << QSizeF(1100, 700) << std::optional<double>(0.5) << QSize(2200, 1400);
    QTest::newRow("zoom clamped") << QSizeF(1100, 700) << std::optional<double>(10.0) << QSize(366, 233);
    QTest::newRow("tiny view") << QSizeF(0, 0) << std::optional<double>() << QSize(1, 1);
}

void TestCoordinateMapper::viewportForTheView()
{
    QFETCH(QSizeF, view);
    QFETCH(std::optional<double>, zoom);
    QFETCH(QSize, viewport);
    QCOMPARE(CoordinateMapper::viewportFor(view, zoom), viewport);
}

void TestCoordinateMapper::zoomIsClamped()
{
    QCOMPARE(CoordinateMapper::clampZoom(0.1), 0.5);
    QCOMPARE(CoordinateMapper::clampZoom(9.0), 3.0);
    QCOMPARE(CoordinateMapper::clampZoom(std::numeric_limits<double>::quiet_NaN()), 1.0);
    QCOMPARE(CoordinateMapper(geometry({100, 100}, {100, 100}, 7.0)).scale(), 3.0);
}

void TestCoordinateMapper::wheelDeltaInCssPixels()
{
    const CoordinateMapper mapper(geometry({640, 360}, {1280, 720})); // half size: one view pixel is two CSS pixels
    QCOMPARE(mapper.toPageDelta(QPointF(0, 10)), QPointF(0, 20));
}

QTEST_GUILESS_MAIN(TestCoordinateMapper)
#include "tst_CoordinateMapper.moc"
