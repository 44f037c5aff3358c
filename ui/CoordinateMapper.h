#pragma once

// Where the frame is painted in the view, and which CSS pixel of the remote page
// lies under a point of the view. Painting and input both use this one class,
// so what the person clicks is what the page receives, under letterboxing,
// zoom, scrolling and any device pixel ratio.
//
// Units: the view works in logical (device-independent) pixels, as Qt's events
// do; the page in CSS pixels, the frame metadata's deviceWidth x deviceHeight.
// At zoom 100% one CSS pixel covers one logical pixel. The painted rectangle is
// snapped to whole device pixels so that a frame whose resolution matches the
// screen is drawn 1:1, without blur; the mapping uses the snapped rectangle.

#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <optional>

namespace handoff::ui {

class CoordinateMapper final {
public:
    static constexpr double MinZoom = 0.5;
    static constexpr double MaxZoom = 3.0;
    // PROTOCOL section 5: coordinates lie in 0-10,000.
    static constexpr double MaxCoordinate = 10000.0;

    struct Geometry final {
        QSizeF viewSize;                   // the widget, logical pixels
        QSizeF pageSize;                   // deviceWidth x deviceHeight, CSS pixels
        double offsetTop = 0.0;            // CSS pixels of the frame above the page (mobile top controls)
        std::optional<double> zoom;        // none: fit the frame into the view
        QPointF scroll;                    // how far a frame larger than the view is scrolled, logical pixels
        double devicePixelRatio = 1.0;     // physical pixels per logical pixel
    };

    CoordinateMapper() = default;
    explicit CoordinateMapper(const Geometry& geometry);

    // False until there is both a view and a frame with a size.
    bool isValid() const { return m_valid; }
    const Geometry& geometry() const { return m_geometry; }

    // Logical pixels per CSS pixel, before snapping.
    double scale() const { return m_scale; }
    // The frame's size at the current scale: what scroll bars range over.
    QSizeF scaledSize() const { return m_scaledSize; }
    // Where the frame is painted, in view coordinates, snapped to device pixels.
    QRectF frameRect() const { return m_frameRect; }

    // The page point under `viewPoint`, or none in the letterbox around the frame.
    std::optional<QPointF> toPage(QPointF viewPoint) const;
    // The same, pulled onto the nearest edge of the page when outside: a drag
    // that leaves the frame keeps moving along its border.
    QPointF toPageClamped(QPointF viewPoint) const;
    // The view point showing `pagePoint`.
    QPointF toView(QPointF pagePoint) const;
    // A distance in view pixels (a wheel's pixel delta) as CSS pixels.
    QPointF toPageDelta(QPointF viewDelta) const;

    // The viewport, in CSS pixels, that would fill the view at this zoom: what the
    // window asks the agent to size the page to. Fit counts as 100%.
    static QSize viewportFor(QSizeF viewSize, std::optional<double> zoom);
    static double clampZoom(double zoom);

private:
    Geometry m_geometry;
    bool m_valid = false;
    double m_scale = 1.0;
    QSizeF m_scaledSize;
    QRectF m_frameRect;
};

} // namespace handoff::ui
