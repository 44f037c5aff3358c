#pragma once

// Decodes one JPEG image with libjpeg-turbo's TurboJPEG API straight into a
// QImage (Format_RGB32), about twice as fast as Qt's bundled decoder. Frames
// come from the network, so the header is checked and the size bounded before
// any pixel memory is allocated. One decoder per thread: it is not thread-safe.

#include "core/common/Result.h"

#include <QByteArrayView>
#include <QImage>

namespace handoff::ui {

class JpegDecoder final {
public:
    // Larger than any screencast the agent sends (it caps at 2560x1440), small
    // enough that a hostile header cannot make us allocate gigabytes.
    static constexpr int MaxDimension = 8192;

    JpegDecoder();
    ~JpegDecoder();
    JpegDecoder(const JpegDecoder&) = delete;
    JpegDecoder& operator=(const JpegDecoder&) = delete;
    JpegDecoder(JpegDecoder&&) = delete;
    JpegDecoder& operator=(JpegDecoder&&) = delete;

    Result<QImage> decode(QByteArrayView jpeg);

private:
    void* m_handle = nullptr; // tjhandle; void* keeps <turbojpeg.h> out of this header
};

} // namespace handoff::ui
