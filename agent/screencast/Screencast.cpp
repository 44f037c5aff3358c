#include "agent/screencast/Screencast.h"

#include "agent/AgentLogging.h"
#include "agent/cdp/CdpClient.h"

#include <QJsonArray>
#include <QPointer>

#include <algorithm>

namespace handoff::agent {

Screencast::Screencast(CdpClient* cdp, QObject* parent)
    : QObject(parent)
    , m_cdp(cdp)
{
    m_clock.start();
    connect(m_cdp, &CdpClient::eventReceived, this, &Screencast::onEvent);
}

Screencast::~Screencast() = default;

bool Screencast::isValidQuality(int quality)
{
    return quality == 60 || quality == 75 || quality == 90;
}

QSize Screencast::clampViewport(int width, int height)
{
    return QSize(std::clamp(width, MinViewportWidth, MaxViewportWidth),
                 std::clamp(height, MinViewportHeight, MaxViewportHeight));
}

QSize Screencast::imageBounds(QSize viewport)
{
    if (viewport.width() <= 0 || viewport.height() <= 0) {
        return QSize(MaxImageWidth, MaxImageHeight);
    }
    return QSize(std::min(viewport.width(), MaxImageWidth), std::min(viewport.height(), MaxImageHeight));
}

void Screencast::setQuality(int quality)
{
    if (!isValidQuality(quality) || quality == m_quality) {
        return;
    }
    m_quality = quality;
    if (m_running) {
        restartScreencast();
    }
}

void Screencast::start()
{
    m_running = true;
    ++m_generation;
    QPointer<Screencast> self(this);
    const quint64 generation = m_generation;
    m_cdp->send(QStringLiteral("Page.enable"), {}, [](const Result<QJsonObject>&) {});
    m_cdp->send(QStringLiteral("Emulation.setFocusEmulationEnabled"), QJsonObject{{QStringLiteral("enabled"), true}},
                [self, generation](const Result<QJsonObject>& r) {
                    if (!r) {
                        qCWarning(lcScreencast).noquote() << "focus emulation failed:" << r.error().code;
                    }
                    if (self && self->m_generation == generation) {
                        self->measureAndStart(false);
                    }
                });
}

void Screencast::measureAndStart(bool restart)
{
    QPointer<Screencast> self(this);
    const quint64 generation = m_generation;
    // innerWidth/innerHeight include the scrollbars, as the frames' device size does
    // (Page.getLayoutMetrics' viewports leave them out).
    m_cdp->send(QStringLiteral("Runtime.evaluate"),
                QJsonObject{{QStringLiteral("expression"), QStringLiteral("[innerWidth, innerHeight]")},
                            {QStringLiteral("returnByValue"), true}},
                [self, generation, restart](const Result<QJsonObject>& r) {
        if (!self || self->m_generation != generation) {
            return;
        }
        const QJsonArray size = r ? r->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toArray()
                                  : QJsonArray();
        const QSize viewport(size.at(0).toInt(), size.at(1).toInt());
        if (viewport.width() > 0 && viewport.height() > 0) {
            self->m_viewport = viewport;
        } else {
            qCWarning(lcScreencast) << "could not measure the viewport; capping frames at 2560x1440";
        }
        if (restart) {
            self->restartScreencast();
        } else {
            self->startScreencast();
        }
    });
}

void Screencast::startScreencast()
{
    const QSize bounds = imageBounds(m_viewport);
    QPointer<Screencast> self(this);
    const quint64 generation = m_generation;
    qCInfo(lcScreencast) << "screencast at quality" << m_quality << "bounded by" << bounds;
    m_cdp->send(QStringLiteral("Page.startScreencast"),
                QJsonObject{{QStringLiteral("format"), QStringLiteral("jpeg")},
                            {QStringLiteral("quality"), m_quality},
                            {QStringLiteral("maxWidth"), bounds.width()},
                            {QStringLiteral("maxHeight"), bounds.height()},
                            {QStringLiteral("everyNthFrame"), 1}},
                [self, generation](const Result<QJsonObject>& r) {
                    if (!self || self->m_generation != generation) {
                        return;
                    }
                    if (!r) {
                        self->m_running = false;
                        Q_EMIT self->failed(r.error());
                        return;
                    }
                    Q_EMIT self->started();
                });
}

void Screencast::restartScreencast()
{
    // Chromium refuses a second startScreencast while one runs.
    ++m_generation;
    QPointer<Screencast> self(this);
    const quint64 generation = m_generation;
    m_cdp->send(QStringLiteral("Page.stopScreencast"), {}, [self, generation](const Result<QJsonObject>&) {
        if (self && self->m_running && self->m_generation == generation) {
            self->startScreencast();
        }
    });
}

void Screencast::stop()
{
    if (!m_running) {
        return;
    }
    m_running = false;
    ++m_generation;
    m_cdp->send(QStringLiteral("Page.stopScreencast"), {}, [](const Result<QJsonObject>&) {});
}

QSize Screencast::setViewport(int width, int height)
{
    const QSize size = clampViewport(width, height);
    m_overridden = true;
    m_viewport = size;
    m_cdp->send(QStringLiteral("Emulation.setDeviceMetricsOverride"),
                QJsonObject{{QStringLiteral("width"), size.width()},
                            {QStringLiteral("height"), size.height()},
                            {QStringLiteral("deviceScaleFactor"), 1},
                            {QStringLiteral("mobile"), false}},
                [](const Result<QJsonObject>& r) {
                    if (!r) {
                        qCWarning(lcScreencast).noquote() << "viewport override failed:" << r.error().code;
                    }
                });
    Q_EMIT viewportChanged(size);
    if (m_running) {
        restartScreencast(); // new image bounds
    }
    return size;
}

void Screencast::clearViewport()
{
    if (!m_overridden) {
        return;
    }
    m_overridden = false;
    m_cdp->send(QStringLiteral("Emulation.clearDeviceMetricsOverride"), {}, [](const Result<QJsonObject>&) {});
    if (m_running) {
        measureAndStart(true);
    }
}

void Screencast::onEvent(const QString& method, const QJsonObject& params)
{
    if (method == QLatin1String("Page.screencastFrame")) {
        onFrame(params);
    }
}

void Screencast::onFrame(const QJsonObject& params)
{
    // Acknowledge first, whatever we make of the frame: Chromium waits for it.
    const QJsonValue ackId = params.value(QLatin1String("sessionId"));
    m_cdp->send(QStringLiteral("Page.screencastFrameAck"), QJsonObject{{QStringLiteral("sessionId"), ackId}},
                [](const Result<QJsonObject>&) {});
    if (!m_running) {
        return;
    }
    const qint64 receivedAtNs = m_clock.nsecsElapsed();
    Result<ScreencastFrame> parsed = ScreencastFrame::fromCdpParams(params);
    if (!parsed) {
        ++m_framesDropped;
        if (parsed.error().code == QLatin1String("bad_image")) {
            qCWarning(lcScreencast) << "dropped a frame whose image is missing, malformed or over 4 MiB";
        } else {
            qCWarning(lcScreencast).noquote() << "dropped a frame with bad metadata:" << parsed.error().code;
        }
        return;
    }
    ScreencastFrame frame = std::move(*parsed);
    frame.receivedAtNs = receivedAtNs;
    frame.number = ++m_framesReceived;
    m_lastFrame = frame;
    Q_EMIT frameReceived(frame);
}

} // namespace handoff::agent
