#pragma once

// What the viewer needs to draw one screencast frame and map clicks back to
// page coordinates: CDP's ScreencastFrameMetadata plus, in version 1, the size
// of the JPEG that follows as a binary message and, in version 2, the capture
// time and image format. Parsing is pure and validates every number, since in
// version 1 these arrive in plaintext through the relay and in version 2 a
// buggy or hostile agent could still send anything.

#include "core/common/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

namespace handoff::protocol {

struct FrameMetadata final {
    enum class Format { Jpeg, Png };

    // CSS pixels of the page viewport, 1..10,000 (PROTOCOL 5's coordinate space).
    double deviceWidth = 0;
    double deviceHeight = 0;
    double offsetTop = 0; // -10,000..10,000
    double pageScaleFactor = 1; // (0, 10]
    double scrollOffsetX = 0; // -10,000,000..10,000,000: long pages scroll far
    double scrollOffsetY = 0;
    qint64 jpegSize = 0; // version 1 only: 1..4 MiB, the length of the binary message that follows
    double timestamp = 0; // version 2 only: seconds since the epoch as CDP gives them, 0..1e11
    Format format = Format::Jpeg; // version 2 only

    static constexpr qsizetype MaxJsonSize = qsizetype(4) * 1024;
    static constexpr qint64 MaxImageSize = qint64(4) * 1024 * 1024; // the relay's binary message limit

    // The v1 text message {"type":"frame",deviceWidth,...,jpegSize}.
    static Result<FrameMetadata> parseV1Message(QByteArrayView text);
    // The meta JSON inside a v2 frame record {deviceWidth,...,timestamp,format}.
    static Result<FrameMetadata> parseV2Json(QByteArrayView json);

    // Serializers refuse values the parsers would refuse, so an agent cannot emit
    // a frame its viewer will drop.
    Result<QByteArray> toV1Message() const;
    Result<QByteArray> toV2Json() const;

    Result<void> validateGeometry() const;
};

} // namespace handoff::protocol
