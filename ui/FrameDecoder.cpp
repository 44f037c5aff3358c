#include "ui/FrameDecoder.h"

#include "ui/JpegDecoder.h"

#include <QBuffer>
#include <QImageReader>
#include <QLoggingCategory>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

Q_LOGGING_CATEGORY(lcFrames, "handoff.frames", QtInfoMsg)

namespace handoff::ui {

namespace {

Result<QImage> decodeImage(JpegDecoder& jpeg, const QByteArray& encoded, protocol::FrameMetadata::Format format)
{
    if (format == protocol::FrameMetadata::Format::Jpeg)
        return jpeg.decode(encoded);
    // PNG frames are rare (the agent can be told to send them for tests); Qt's
    // decoder is fine for those. The size check comes before decoding.
    QByteArray bytes = encoded;
    QBuffer buffer(&bytes);
    QImageReader reader(&buffer, "png");
    const QSize size = reader.size();
    if (!size.isValid() || size.width() > JpegDecoder::MaxDimension || size.height() > JpegDecoder::MaxDimension)
        return Result<QImage>::failure(QStringLiteral("bad_png"), QStringLiteral("The frame is not a usable PNG image."));
    QImage image = reader.read();
    if (image.isNull())
        return Result<QImage>::failure(QStringLiteral("bad_png"), reader.errorString());
    return image.convertToFormat(QImage::Format_RGB32);
}

} // namespace

// The worker thread and the two single-frame slots it shares with the GUI thread.
struct FrameDecoder::Worker final {
    struct EncodedFrame final {
        QByteArray bytes;
        protocol::FrameMetadata metadata;
    };
    struct DecodedFrame final {
        QImage image;
        protocol::FrameMetadata metadata;
    };

    std::mutex mutex;
    std::condition_variable wake;
    std::optional<EncodedFrame> pending; // the next frame to decode
    std::optional<DecodedFrame> decoded; // the last frame decoded, not yet delivered
    std::optional<QString> failure;
    bool deliveryQueued = false;
    bool stopping = false;
    quint64 dropped = 0;
    quint64 decodedCount = 0;
    std::thread thread;
};

FrameDecoder::FrameDecoder(QObject* parent) : QObject(parent), m_worker(std::make_unique<Worker>())
{
    Worker* worker = m_worker.get();
    m_worker->thread = std::thread([this, worker] {
        JpegDecoder jpeg;
        for (;;) {
            Worker::EncodedFrame frame;
            {
                std::unique_lock lock(worker->mutex);
                worker->wake.wait(lock, [worker] { return worker->stopping || worker->pending.has_value(); });
                if (worker->stopping)
                    return;
                frame = std::move(*worker->pending);
                worker->pending.reset();
            }

            Result<QImage> image = decodeImage(jpeg, frame.bytes, frame.metadata.format);

            std::lock_guard lock(worker->mutex);
            if (worker->stopping)
                return;
            if (image.ok()) {
                if (worker->decoded)
                    ++worker->dropped; // the GUI did not take the previous one in time
                worker->decoded = Worker::DecodedFrame{std::move(image).value(), frame.metadata};
                ++worker->decodedCount;
            } else {
                worker->failure = image.error().message;
            }
            if (!worker->deliveryQueued) {
                worker->deliveryQueued = true;
                // Queued to this object's thread; ~FrameDecoder joins this thread
                // before `this` goes away, and Qt drops queued calls to a deleted object.
                QMetaObject::invokeMethod(this, &FrameDecoder::deliver, Qt::QueuedConnection);
            }
        }
    });
}

FrameDecoder::~FrameDecoder()
{
    {
        std::lock_guard lock(m_worker->mutex);
        m_worker->stopping = true;
    }
    m_worker->wake.notify_all();
    m_worker->thread.join();
}

void FrameDecoder::submit(QByteArray image, const protocol::FrameMetadata& metadata)
{
    {
        std::lock_guard lock(m_worker->mutex);
        if (m_worker->pending)
            ++m_worker->dropped;
        m_worker->pending = Worker::EncodedFrame{std::move(image), metadata};
    }
    m_worker->wake.notify_one();
}

quint64 FrameDecoder::droppedFrames() const
{
    std::lock_guard lock(m_worker->mutex);
    return m_worker->dropped;
}

quint64 FrameDecoder::decodedFrames() const
{
    std::lock_guard lock(m_worker->mutex);
    return m_worker->decodedCount;
}

void FrameDecoder::deliver()
{
    std::optional<Worker::DecodedFrame> frame;
    std::optional<QString> failure;
    {
        std::lock_guard lock(m_worker->mutex);
        m_worker->deliveryQueued = false;
        frame.swap(m_worker->decoded);
        failure.swap(m_worker->failure);
    }
    if (failure) {
        qCWarning(lcFrames) << "A frame could not be decoded:" << *failure;
        Q_EMIT decodeFailed(*failure);
    }
    if (frame)
        Q_EMIT frameDecoded(frame->image, frame->metadata);
}

} // namespace handoff::ui
