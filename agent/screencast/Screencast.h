#pragma once

// Streams the page: Page.startScreencast with JPEG at one of three quality
// presets, the image size bounded by the page viewport capped at 2560x1440;
// every frame is acknowledged at once (Chromium sends the next one only then),
// and the newest frame is kept for a viewer that connects later. Focus
// emulation stays on so the page behaves as focused while nobody looks at the
// headless window (caret blinks, focus events, :focus styles).
//
// setViewport() applies a viewer's window size as a device metrics override
// (clamped to sane bounds) so the person sees the page at a natural size.

#include "agent/screencast/ScreencastFrame.h"
#include "core/common/Result.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QSize>

#include <optional>

namespace handoff::agent {

class CdpClient;

class Screencast final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Screencast)

public:
    static constexpr int MaxImageWidth = 2560;
    static constexpr int MaxImageHeight = 1440;
    // Bounds of a viewport a viewer may ask for.
    static constexpr int MinViewportWidth = 320;
    static constexpr int MinViewportHeight = 240;
    static constexpr int MaxViewportWidth = 2560;
    static constexpr int MaxViewportHeight = 1440;
    static constexpr int DefaultQuality = 75;

    explicit Screencast(CdpClient* cdp, QObject* parent = nullptr);
    ~Screencast() override;

    // The presets: 60, 75 or 90.
    static bool isValidQuality(int quality);
    static QSize clampViewport(int width, int height);
    // maxWidth/maxHeight for a viewport: the viewport itself, capped at 2560x1440.
    static QSize imageBounds(QSize viewport);

    void setQuality(int quality); // ignored unless a preset; restarts a running screencast
    int quality() const { return m_quality; }

    // Focus emulation on, viewport measured, screencast started. Emits started() or failed().
    void start();
    void stop();
    bool isRunning() const { return m_running; }

    // The viewer's window, in CSS pixels: device metrics override, then a restart
    // at the new size. Returns the size applied.
    QSize setViewport(int width, int height);
    void clearViewport();

    const std::optional<ScreencastFrame>& lastFrame() const { return m_lastFrame; }
    QSize viewport() const { return m_viewport; }
    quint64 framesReceived() const { return m_framesReceived; }
    quint64 framesDropped() const { return m_framesDropped; }
    // The clock frames are stamped with (receivedAtNs).
    const QElapsedTimer& clock() const { return m_clock; }

Q_SIGNALS:
    void started();
    void failed(const handoff::Error& error);
    void frameReceived(const handoff::agent::ScreencastFrame& frame);
    void viewportChanged(QSize size);

private:
    void onEvent(const QString& method, const QJsonObject& params);
    void onFrame(const QJsonObject& params);
    void measureAndStart(bool restart);
    void startScreencast();
    void restartScreencast();

    CdpClient* m_cdp;
    QElapsedTimer m_clock;
    std::optional<ScreencastFrame> m_lastFrame;
    QSize m_viewport;
    int m_quality = DefaultQuality;
    quint64 m_framesReceived = 0;
    quint64 m_framesDropped = 0;
    quint64 m_generation = 0; // bumps on every start/stop so stale callbacks do nothing
    bool m_running = false;
    bool m_overridden = false;
};

} // namespace handoff::agent
