// Frames decoded, and decoded and painted, per second at 1280x720 and 1920x1080
// (JPEG quality 80), libjpeg-turbo (JpegDecoder, what the app uses) against Qt's
// own decoder (QImage::loadFromData) on the same frames in the same run.
//
//   decode-bench [--benchmark_filter=...]
//
// "Painted" draws the decoded frame into a 1100x700 surface scaled to fit with
// smooth scaling, as ScreencastView paints it (raster engine, as on screen).

#include "ui/JpegDecoder.h"

#include <QBuffer>
#include <QGuiApplication>
#include <QImage>
#include <QLinearGradient>
#include <QPainter>

#include <benchmark/benchmark.h>

namespace {

// Something like a sign-in page: flat colours, text, a gradient, a photo-ish area.
QByteArray makeFrame(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(QColor(246, 247, 249));
    QPainter p(&image);
    QLinearGradient header(0, 0, width, 0);
    header.setColorAt(0, QColor(29, 63, 174));
    header.setColorAt(1, QColor(59, 108, 246));
    p.fillRect(0, 0, width, height / 10, header);
    p.setPen(Qt::black);
    QFont font = p.font();
    font.setPixelSize(height / 45);
    p.setFont(font);
    for (int y = height / 8; y < height; y += height / 30)
        p.drawText(width / 20, y, QStringLiteral("Sign in to your account — enter the one-time code we sent you. 0123456789"));
    for (int y = height / 3; y < height * 2 / 3; ++y) {
        for (int x = width * 2 / 3; x < width * 9 / 10; ++x)
            image.setPixel(x, y, qRgb((x * 7 + y * 3) % 256, (x ^ y) % 256, (x * y) % 256));
    }
    p.end();
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPG", 80);
    return jpeg;
}

const QByteArray& frame(int height)
{
    static const QByteArray hd = makeFrame(1280, 720);
    static const QByteArray fullHd = makeFrame(1920, 1080);
    return height == 720 ? hd : fullHd;
}

void paint(QImage& surface, const QImage& image)
{
    QPainter p(&surface);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    const QSizeF fitted = QSizeF(image.size()).scaled(surface.size(), Qt::KeepAspectRatio);
    const QRectF target(QPointF((surface.width() - fitted.width()) / 2, (surface.height() - fitted.height()) / 2),
                        fitted);
    p.drawImage(target, image);
}

void turbo(benchmark::State& state, bool alsoPaint)
{
    const QByteArray& jpeg = frame(int(state.range(0)));
    handoff::ui::JpegDecoder decoder;
    QImage surface(1100, 700, QImage::Format_RGB32);
    for (auto _ : state) {
        auto image = decoder.decode(jpeg);
        if (!image)
            state.SkipWithError("decode failed");
        if (alsoPaint)
            paint(surface, *image);
        benchmark::DoNotOptimize(image->constBits());
    }
    state.counters["frames/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["jpeg KiB"] = double(jpeg.size()) / 1024.0;
}

void qt(benchmark::State& state, bool alsoPaint)
{
    const QByteArray& jpeg = frame(int(state.range(0)));
    QImage surface(1100, 700, QImage::Format_RGB32);
    for (auto _ : state) {
        QImage image;
        if (!image.loadFromData(jpeg, "JPG"))
            state.SkipWithError("decode failed");
        if (alsoPaint)
            paint(surface, image);
        benchmark::DoNotOptimize(image.constBits());
    }
    state.counters["frames/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Decode_TurboJpeg(benchmark::State& state) { turbo(state, false); }
void BM_Decode_QtLoadFromData(benchmark::State& state) { qt(state, false); }
void BM_DecodePaint_TurboJpeg(benchmark::State& state) { turbo(state, true); }
void BM_DecodePaint_QtLoadFromData(benchmark::State& state) { qt(state, true); }

} // namespace

BENCHMARK(BM_Decode_TurboJpeg)->Arg(720)->Arg(1080)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Decode_QtLoadFromData)->Arg(720)->Arg(1080)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DecodePaint_TurboJpeg)->Arg(720)->Arg(1080)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DecodePaint_QtLoadFromData)->Arg(720)->Arg(1080)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv)
{
    // Fonts and image plugins need a GUI application; no window is shown.
    qputenv("QT_QPA_PLATFORM", qEnvironmentVariable("QT_QPA_PLATFORM", QStringLiteral("offscreen")).toUtf8());
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
