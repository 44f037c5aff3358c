#include "ui/CoordinateMapper.h"

#include <QSize>

#include <algorithm>
#include <cmath>

namespace handoff::ui {

namespace {

double snap(double logical, double dpr)
{
    return std::round(logical * dpr) / dpr;
}

// Where a frame of `content` length starts along one axis of a view of `view`
// length: centred when it fits (the letterbox), scrolled when it does not.
double origin(double view, double content, double scroll)
{
    if (content <= view)
        return (view - content) / 2.0;
    return -std::clamp(scroll, 0.0, content - view);
}

} // namespace

CoordinateMapper::CoordinateMapper(const Geometry& geometry) : m_geometry(geometry)
{
    const QSizeF view = geometry.viewSize;
    const QSizeF page = geometry.pageSize;
    const double dpr = geometry.devicePixelRatio > 0 && std::isfinite(geometry.devicePixelRatio)
        ? geometry.devicePixelRatio
        : 1.0;
    m_geometry.devicePixelRatio = dpr;
    if (view.width() <= 0 || view.height() <= 0 || page.width() <= 0 || page.height() <= 0)
        return;

    m_scale = geometry.zoom ? clampZoom(*geometry.zoom)
                            : std::min(view.width() / page.width(), view.height() / page.height());
    m_scaledSize = page * m_scale;

    const double left = snap(origin(view.width(), m_scaledSize.width(), geometry.scroll.x()), dpr);
    const double top = snap(origin(view.height(), m_scaledSize.height(), geometry.scroll.y()), dpr);
    const double width = std::max(snap(m_scaledSize.width(), dpr), 1.0 / dpr);
    const double height = std::max(snap(m_scaledSize.height(), dpr), 1.0 / dpr);
    m_frameRect = QRectF(left, top, width, height);
    m_valid = true;
}

std::optional<QPointF> CoordinateMapper::toPage(QPointF viewPoint) const
{
    if (!m_valid)
        return std::nullopt;
    // Half-open: the right and bottom edges belong to the letterbox.
    const QRectF& r = m_frameRect;
    if (viewPoint.x() < r.left() || viewPoint.y() < r.top() || viewPoint.x() >= r.right()
        || viewPoint.y() >= r.bottom())
        return std::nullopt;
    return toPageClamped(viewPoint);
}

QPointF CoordinateMapper::toPageClamped(QPointF viewPoint) const
{
    if (!m_valid)
        return {};
    const QSizeF page = m_geometry.pageSize;
    const double x = (viewPoint.x() - m_frameRect.left()) * page.width() / m_frameRect.width();
    const double y = (viewPoint.y() - m_frameRect.top()) * page.height() / m_frameRect.height() - m_geometry.offsetTop;
    const double maxX = std::min(page.width(), MaxCoordinate);
    const double maxY = std::clamp(page.height() - m_geometry.offsetTop, 0.0, MaxCoordinate);
    return {std::clamp(x, 0.0, maxX), std::clamp(y, 0.0, maxY)};
}

QPointF CoordinateMapper::toView(QPointF pagePoint) const
{
    if (!m_valid)
        return {};
    const QSizeF page = m_geometry.pageSize;
    return {m_frameRect.left() + pagePoint.x() * m_frameRect.width() / page.width(),
            m_frameRect.top() + (pagePoint.y() + m_geometry.offsetTop) * m_frameRect.height() / page.height()};
}

QPointF CoordinateMapper::toPageDelta(QPointF viewDelta) const
{
    if (!m_valid)
        return viewDelta;
    return {viewDelta.x() * m_geometry.pageSize.width() / m_frameRect.width(),
            viewDelta.y() * m_geometry.pageSize.height() / m_frameRect.height()};
}

QSize CoordinateMapper::viewportFor(QSizeF viewSize, std::optional<double> zoom)
{
    const double scale = zoom ? clampZoom(*zoom) : 1.0;
    const auto side = [scale](double logical) {
        return static_cast<int>(std::clamp(std::floor(logical / scale), 1.0, MaxCoordinate));
    };
    return {side(viewSize.width()), side(viewSize.height())};
}

double CoordinateMapper::clampZoom(double zoom)
{
    if (!std::isfinite(zoom))
        return 1.0;
    return std::clamp(zoom, MinZoom, MaxZoom);
}

} // namespace handoff::ui
