#include "ui/JpegDecoder.h"

#include <turbojpeg.h>

#include <QSysInfo>

namespace handoff::ui {

namespace {

// QImage::Format_RGB32 is 0xffRRGGBB in native byte order; libjpeg-turbo writes
// 0xff into the X byte of its extended formats, which is what RGB32 requires.
constexpr int RgbPixelFormat = QSysInfo::ByteOrder == QSysInfo::LittleEndian ? TJPF_BGRX : TJPF_XRGB;

QString lastError(void* handle)
{
    return QString::fromUtf8(tjGetErrorStr2(static_cast<tjhandle>(handle)));
}

} // namespace

JpegDecoder::JpegDecoder() : m_handle(tjInitDecompress()) {}

JpegDecoder::~JpegDecoder()
{
    if (m_handle)
        tjDestroy(static_cast<tjhandle>(m_handle));
}

Result<QImage> JpegDecoder::decode(QByteArrayView jpeg)
{
    if (!m_handle)
        return Result<QImage>::failure(QStringLiteral("decoder_unavailable"),
                                       QStringLiteral("The JPEG decoder could not be started."));
    if (jpeg.isEmpty())
        return Result<QImage>::failure(QStringLiteral("empty_image"), QStringLiteral("The frame holds no image."));

    const auto* bytes = reinterpret_cast<const unsigned char*>(jpeg.data());
    const auto size = static_cast<unsigned long>(jpeg.size());
    int width = 0;
    int height = 0;
    int subsampling = 0;
    int colorspace = 0;
    if (tjDecompressHeader3(static_cast<tjhandle>(m_handle), bytes, size, &width, &height, &subsampling, &colorspace)
        != 0) {
        return Result<QImage>::failure(QStringLiteral("bad_jpeg"),
                                       QStringLiteral("The frame is not a valid JPEG image: %1")
                                           .arg(lastError(m_handle)));
    }
    if (width <= 0 || height <= 0 || width > MaxDimension || height > MaxDimension) {
        return Result<QImage>::failure(QStringLiteral("image_too_large"),
                                       QStringLiteral("The frame is %1x%2 pixels; at most %3 on each side is accepted.")
                                           .arg(width)
                                           .arg(height)
                                           .arg(MaxDimension));
    }

    QImage image(width, height, QImage::Format_RGB32);
    if (image.isNull())
        return Result<QImage>::failure(QStringLiteral("out_of_memory"),
                                       QStringLiteral("There is not enough memory for a frame."));

    if (tjDecompress2(static_cast<tjhandle>(m_handle), bytes, size, image.bits(), width,
                      static_cast<int>(image.bytesPerLine()), height, RgbPixelFormat, 0)
        != 0) {
        // A warning (say, a few missing bytes at the end) still leaves a usable
        // picture; only a fatal error loses the frame.
        if (tjGetErrorCode(static_cast<tjhandle>(m_handle)) == TJERR_FATAL) {
            return Result<QImage>::failure(QStringLiteral("bad_jpeg"),
                                           QStringLiteral("The frame could not be decoded: %1")
                                               .arg(lastError(m_handle)));
        }
    }
    return image;
}

} // namespace handoff::ui
