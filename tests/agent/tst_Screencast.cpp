// Screencast against a real headless Chromium (frames, acks, quality presets,
// image bounds, viewport override, focus emulation, the newest frame kept) and
// FramePump's bounded forwarding.

#include "agent/cdp/CdpClient.h"
#include "agent/screencast/FramePump.h"
#include "agent/screencast/Screencast.h"
#include "tests/agent/CdpTestUtil.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPageServer.h"

#include <QSignalSpy>
#include <QTest>

using namespace handoff::agent;
using handoff::test::ChromiumProcess;
using handoff::test::TestPageServer;

namespace {

// Width and height from a JPEG's start-of-frame marker.
QSize jpegSize(const QByteArray& jpeg)
{
    if (jpeg.size() < 4 || static_cast<quint8>(jpeg[0]) != 0xFF || static_cast<quint8>(jpeg[1]) != 0xD8) {
        return {};
    }
    qsizetype i = 2;
    while (i + 9 < jpeg.size()) {
        if (static_cast<quint8>(jpeg[i]) != 0xFF) {
            return {};
        }
        const quint8 marker = static_cast<quint8>(jpeg[i + 1]);
        const int length = (static_cast<quint8>(jpeg[i + 2]) << 8) | static_cast<quint8>(jpeg[i + 3]);
        if (marker >= 0xC0 && marker <= 0xC3) {
            const int h = (static_cast<quint8>(jpeg[i + 5]) << 8) | static_cast<quint8>(jpeg[i + 6]);
            const int w = (static_cast<quint8>(jpeg[i + 7]) << 8) | static_cast<quint8>(jpeg[i + 8]);
            return QSize(w, h);
        }
        i += 2 + length;
    }
    return {};
}

// A page that keeps changing, so Chromium keeps sending frames; noisy, so the
// quality preset shows in the JPEG size.
const QByteArray AnimatedPage = R"(<!doctype html><html><head><title>anim</title></head>
<body style="margin:0"><canvas id="c" width="1200" height="700"></canvas><input id="i">
<script>
 const c = document.getElementById('c').getContext('2d');
 let seed = 1; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
 function draw() {
   for (let n = 0; n < 400; n++) { c.fillStyle = `hsl(${rnd()*360},70%,50%)`; c.fillRect(rnd()*1200, rnd()*700, 40, 40); }
   requestAnimationFrame(draw);
 }
 draw();
 window.focusEvents = 0; document.getElementById('i').addEventListener('focus', () => focusEvents++);
</script></body></html>)";

ScreencastFrame makeFrame(quint64 number)
{
    ScreencastFrame f;
    f.number = number;
    f.image = QByteArray(1000, 'x');
    return f;
}

} // namespace

class TestScreencast final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void clampViewport_data();
    void clampViewport();
    void imageBounds();
    void qualityPresets();

    void framePumpSendsWhenIdle();
    void framePumpKeepsOnlyNewest();
    void framePumpIsBounded();

    void framesArriveAndAreAcknowledged();
    void qualityChangesImageSize();
    void viewportOverride();
    void focusEmulation();
    void stopKeepsLastFrame();

private:
    std::unique_ptr<ChromiumProcess> m_chromium;
    TestPageServer m_pages;
};

void TestScreencast::initTestCase()
{
    QVERIFY(m_pages.listen());
    m_pages.setPage("/anim", AnimatedPage);
    if (ChromiumProcess::executable().isEmpty()) {
        return;
    }
    m_chromium = std::make_unique<ChromiumProcess>();
    QVERIFY2(m_chromium->start(m_pages.url(QStringLiteral("/anim")), 1280, 800), qPrintable(m_chromium->errorString()));
}

void TestScreencast::cleanupTestCase()
{
    m_chromium.reset();
}

#define REQUIRE_CHROMIUM()                                                                                             \
    if (!m_chromium) {                                                                                                 \
        QSKIP("no Chromium executable on this machine");                                                               \
    }

void TestScreencast::clampViewport_data()
{
    QTest::addColumn<QSize>("requested");
    QTest::addColumn<QSize>("applied");
    QTest::newRow("natural") << QSize(1024, 768) << QSize(1024, 768);
    QTest::newRow("too small") << QSize(10, 10) << QSize(320, 240);
    QTest::newRow("negative") << QSize(-5, -100) << QSize(320, 240);
    QTest::newRow("too large") << QSize(100000, 100000) << QSize(2560, 1440);
    QTest::newRow("wide") << QSize(5000, 500) << QSize(2560, 500);
    QTest::newRow("bounds") << QSize(320, 1440) << QSize(320, 1440);
}

void TestScreencast::clampViewport()
{
    QFETCH(QSize, requested);
    QFETCH(QSize, applied);
    QCOMPARE(Screencast::clampViewport(requested.width(), requested.height()), applied);
}

void TestScreencast::imageBounds()
{
    QCOMPARE(Screencast::imageBounds(QSize(1280, 800)), QSize(1280, 800));
    QCOMPARE(Screencast::imageBounds(QSize(3840, 2160)), QSize(2560, 1440));
    QCOMPARE(Screencast::imageBounds(QSize(1000, 3000)), QSize(1000, 1440));
    QCOMPARE(Screencast::imageBounds(QSize()), QSize(2560, 1440));
}

void TestScreencast::qualityPresets()
{
    for (int q : {60, 75, 90}) {
        QVERIFY(Screencast::isValidQuality(q));
    }
    for (int q : {0, 59, 61, 80, 100, -1}) {
        QVERIFY(!Screencast::isValidQuality(q));
    }
    CdpClient cdp;
    Screencast cast(&cdp);
    QCOMPARE(cast.quality(), 75);
    cast.setQuality(50);
    QCOMPARE(cast.quality(), 75);
    cast.setQuality(90);
    QCOMPARE(cast.quality(), 90);
}

void TestScreencast::framePumpSendsWhenIdle()
{
    QList<quint64> sent;
    FramePump pump([] { return qint64(0); }, [&](const ScreencastFrame& f) { sent.append(f.number); });
    pump.push(makeFrame(1));
    pump.push(makeFrame(2));
    QCOMPARE(sent, (QList<quint64>{1, 2}));
    QVERIFY(!pump.hasWaitingFrame());
}

void TestScreencast::framePumpKeepsOnlyNewest()
{
    qint64 backlog = 10'000'000;
    QList<quint64> sent;
    FramePump pump([&] { return backlog; }, [&](const ScreencastFrame& f) { sent.append(f.number); });
    for (quint64 n = 1; n <= 5; ++n) {
        pump.push(makeFrame(n));
    }
    QVERIFY(sent.isEmpty());
    QVERIFY(pump.hasWaitingFrame());
    QCOMPARE(pump.replaced(), quint64(4));
    pump.drained(); // still behind
    QVERIFY(sent.isEmpty());
    backlog = 0;
    pump.drained();
    QCOMPARE(sent, QList<quint64>{5});
    QVERIFY(!pump.hasWaitingFrame());
    pump.drained();
    QCOMPARE(sent.size(), 1);
    pump.push(makeFrame(6));
    QCOMPARE(sent, (QList<quint64>{5, 6}));
}

void TestScreencast::framePumpIsBounded()
{
    // Whatever the number of frames, at most one waits.
    qint64 backlog = FramePump::DefaultMaxBacklogBytes + 1;
    int sends = 0;
    FramePump pump([&] { return backlog; }, [&](const ScreencastFrame&) { ++sends; });
    for (quint64 n = 1; n <= 1000; ++n) {
        pump.push(makeFrame(n));
    }
    QCOMPARE(sends, 0);
    QCOMPARE(pump.replaced(), quint64(999));
    pump.clear();
    backlog = 0;
    pump.drained();
    QCOMPARE(sends, 0);
}

void TestScreencast::framesArriveAndAreAcknowledged()
{
    REQUIRE_CHROMIUM();
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint()));
    QSignalSpy written(&cdp, &CdpClient::commandWritten);
    Screencast cast(&cdp);
    QSignalSpy started(&cast, &Screencast::started);
    QSignalSpy frames(&cast, &Screencast::frameReceived);
    cast.start();
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
    QVERIFY(cast.viewport().width() > 0);
    // Frames keep coming only if each is acknowledged.
    QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 5, 15000);
    const auto frame = frames.last().at(0).value<ScreencastFrame>();
    QVERIFY(frame.image.startsWith("\xFF\xD8"));
    // The headless window may still settle its height right after start: check the width.
    QCOMPARE(frame.meta.deviceWidth, double(cast.viewport().width()));
    QVERIFY(frame.meta.deviceHeight > 0 && frame.meta.deviceHeight <= 1440);
    QCOMPARE(frame.meta.jpegSize, frame.image.size());
    QVERIFY(frame.meta.timestamp > 1e9);
    QVERIFY(frame.meta.validateGeometry().ok());
    const QSize size = jpegSize(frame.image);
    QVERIFY(size.width() > 0 && size.width() <= 2560 && size.height() <= 1440);
    int acks = 0;
    for (const QList<QVariant>& args : std::as_const(written)) {
        if (args.at(1).toString() == QLatin1String("Page.screencastFrameAck")) {
            ++acks;
        }
    }
    QVERIFY2(acks >= frames.size(), qPrintable(QStringLiteral("%1 acks, %2 frames").arg(acks).arg(frames.size())));
    QVERIFY(cast.lastFrame().has_value());
    QCOMPARE(cast.framesDropped(), quint64(0));
    cast.stop();
}

void TestScreencast::qualityChangesImageSize()
{
    REQUIRE_CHROMIUM();
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint()));
    const auto averageSize = [&](int quality) {
        Screencast cast(&cdp);
        cast.setQuality(quality);
        QSignalSpy frames(&cast, &Screencast::frameReceived);
        cast.start();
        QTest::qWait(0);
        const QDeadlineTimer deadline(15000);
        while (frames.size() < 8 && !deadline.hasExpired()) {
            QTest::qWait(20);
        }
        cast.stop();
        qint64 total = 0;
        for (const QList<QVariant>& args : std::as_const(frames)) {
            total += args.at(0).value<ScreencastFrame>().image.size();
        }
        return frames.isEmpty() ? qint64(0) : total / frames.size();
    };
    const qint64 low = averageSize(60);
    const qint64 high = averageSize(90);
    QVERIFY(low > 0);
    QVERIFY2(high > low, qPrintable(QStringLiteral("q60 %1 bytes, q90 %2 bytes").arg(low).arg(high)));
}

void TestScreencast::viewportOverride()
{
    REQUIRE_CHROMIUM();
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint()));
    Screencast cast(&cdp);
    QSignalSpy started(&cast, &Screencast::started);
    QSignalSpy frames(&cast, &Screencast::frameReceived);
    cast.start();
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);

    QCOMPARE(cast.setViewport(800, 600), QSize(800, 600));
    QVERIFY(testutil::waitForTrue(cdp, QStringLiteral("innerWidth === 800 && innerHeight === 600")));
    frames.clear();
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(frames.cbegin(), frames.cend(),
                    [](const QList<QVariant>& a) {
                        const auto f = a.at(0).value<ScreencastFrame>();
                        return f.meta.deviceWidth == 800 && f.meta.deviceHeight == 600
                            && jpegSize(f.image) == QSize(800, 600);
                    }),
        15000);

    // Absurd sizes are clamped.
    QCOMPARE(cast.setViewport(50000, 10), QSize(2560, 240));
    QVERIFY(testutil::waitForTrue(cdp, QStringLiteral("innerWidth === 2560 && innerHeight === 240")));

    cast.clearViewport();
    QVERIFY(testutil::waitForTrue(cdp, QStringLiteral("innerWidth === 1280")));
    cast.stop();
}

void TestScreencast::focusEmulation()
{
    REQUIRE_CHROMIUM();
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint()));
    Screencast cast(&cdp);
    QSignalSpy started(&cast, &Screencast::started);
    cast.start();
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
    QVERIFY(testutil::waitForTrue(cdp, QStringLiteral("document.hasFocus()")));
    QVERIFY(testutil::waitForTrue(cdp, QStringLiteral("(document.getElementById('i').focus(), focusEvents > 0)")));
    cast.stop();
}

void TestScreencast::stopKeepsLastFrame()
{
    REQUIRE_CHROMIUM();
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint()));
    Screencast cast(&cdp);
    QSignalSpy frames(&cast, &Screencast::frameReceived);
    cast.start();
    QTRY_VERIFY_WITH_TIMEOUT(!frames.isEmpty(), 15000);
    cast.stop();
    QVERIFY(!cast.isRunning());
    QVERIFY(cast.lastFrame().has_value());
    const quint64 last = cast.lastFrame()->number;
    QTest::qWait(500);
    // No frame is taken in after stop (late ones are still acknowledged).
    QCOMPARE(cast.lastFrame()->number, last);
}

QTEST_GUILESS_MAIN(TestScreencast)
#include "tst_Screencast.moc"
