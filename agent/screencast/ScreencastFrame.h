#pragma once

// One screencast frame as the agent holds it between Chromium and the relay.

#include "core/common/Result.h"
#include "core/protocol/FrameMetadata.h"

#include <QByteArray>
#include <QJsonObject>

namespace handoff::agent {

struct ScreencastFrame final {
    protocol::FrameMetadata meta;
    QByteArray image;         // JPEG bytes
    qint64 receivedAtNs = 0;  // monotonic clock (QElapsedTimer::nsecsElapsed epoch of Screencast), for latency
    quint64 number = 0;       // 1, 2, ... in arrival order

    // The params of a Page.screencastFrame event: the metadata, which must pass
    // FrameMetadata::validateGeometry(), and the base64 JPEG of 1 byte to 4 MiB.
    // Pure; receivedAtNs and number are the receiver's to set. Error codes:
    // "bad_image" and those of validateGeometry().
    static Result<ScreencastFrame> fromCdpParams(const QJsonObject& params);
};

} // namespace handoff::agent
