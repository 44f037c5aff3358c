#pragma once

// One screencast frame as the agent holds it between Chromium and the relay.

#include "core/protocol/FrameMetadata.h"

#include <QByteArray>

namespace handoff::agent {

struct ScreencastFrame final {
    protocol::FrameMetadata meta;
    QByteArray image;         // JPEG bytes
    qint64 receivedAtNs = 0;  // monotonic clock (QElapsedTimer::nsecsElapsed epoch of Screencast), for latency
    quint64 number = 0;       // 1, 2, ... in arrival order
};

} // namespace handoff::agent
