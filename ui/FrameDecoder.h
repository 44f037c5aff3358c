#pragma once

// Decodes screencast frames off the GUI thread. Frames arrive faster than they
// can be shown when the network bunches them up; only the newest one matters,
// so there is one slot for the next frame to decode and one for the last frame
// decoded, each overwritten by a newer one (counted as dropped). Memory stays
// bounded whatever the agent sends.

#include "core/protocol/FrameMetadata.h"

#include <QByteArray>
#include <QImage>
#include <QObject>
#include <QString>

#include <memory>

namespace handoff::ui {

class FrameDecoder final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameDecoder)

public:
    explicit FrameDecoder(QObject* parent = nullptr);
    ~FrameDecoder() override;

    // Replaces any frame still waiting to be decoded. Callable from any thread.
    void submit(QByteArray image, const protocol::FrameMetadata& metadata);

    // Frames submitted or decoded but replaced by a newer one before use.
    quint64 droppedFrames() const;
    quint64 decodedFrames() const;

Q_SIGNALS:
    // Emitted on the decoder's own (GUI) thread, at most once per event loop turn.
    void frameDecoded(const QImage& image, const handoff::protocol::FrameMetadata& metadata);
    // Says why without any of the frame's content.
    void decodeFailed(const QString& reason);

private:
    void deliver();

    struct Worker;
    std::unique_ptr<Worker> m_worker;
};

} // namespace handoff::ui
