#include "agent/screencast/ScreencastFrame.h"

#include <QJsonValue>

namespace handoff::agent {

Result<ScreencastFrame> ScreencastFrame::fromCdpParams(const QJsonObject& params)
{
    ScreencastFrame frame;
    const QJsonObject meta = params.value(QLatin1String("metadata")).toObject();
    frame.meta.deviceWidth = meta.value(QLatin1String("deviceWidth")).toDouble();
    frame.meta.deviceHeight = meta.value(QLatin1String("deviceHeight")).toDouble();
    frame.meta.offsetTop = meta.value(QLatin1String("offsetTop")).toDouble();
    frame.meta.pageScaleFactor = meta.value(QLatin1String("pageScaleFactor")).toDouble(1);
    frame.meta.scrollOffsetX = meta.value(QLatin1String("scrollOffsetX")).toDouble();
    frame.meta.scrollOffsetY = meta.value(QLatin1String("scrollOffsetY")).toDouble();
    frame.meta.timestamp = meta.value(QLatin1String("timestamp")).toDouble();
    frame.meta.format = protocol::FrameMetadata::Format::Jpeg;
    const auto decoded = QByteArray::fromBase64Encoding(params.value(QLatin1String("data")).toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty() || decoded.decoded.size() > protocol::FrameMetadata::MaxImageSize) {
        return Error { QStringLiteral("bad_image"),
                       QStringLiteral("the frame's image is missing, malformed or over 4 MiB") };
    }
    if (const Result<void> valid = frame.meta.validateGeometry(); !valid) {
        return valid.error();
    }
    frame.image = decoded.decoded;
    frame.meta.jpegSize = frame.image.size();
    return frame;
}

} // namespace handoff::agent
