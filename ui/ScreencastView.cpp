#include "ui/ScreencastView.h"

#include "core/protocol/InputEventCodec.h"
#include "ui/KeyMapper.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>

namespace handoff::ui {

namespace {

using protocol::InputEvent;
using protocol::MouseButton;

constexpr std::array<double, 12> ZoomSteps = {0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0};
constexpr int NoteDurationMs = 3000;

std::optional<MouseButton> toProtocol(Qt::MouseButton button)
{
    switch (button) {
    case Qt::LeftButton:
        return MouseButton::Left;
    case Qt::RightButton:
        return MouseButton::Right;
    case Qt::MiddleButton:
        return MouseButton::Middle;
    case Qt::BackButton:
        return MouseButton::Back;
    case Qt::ForwardButton:
        return MouseButton::Forward;
    default:
        return std::nullopt;
    }
}

int buttonsBits(Qt::MouseButtons buttons)
{
    int bits = 0;
    if (buttons & Qt::LeftButton)
        bits |= InputEvent::ButtonsLeft;
    if (buttons & Qt::RightButton)
        bits |= InputEvent::ButtonsRight;
    if (buttons & Qt::MiddleButton)
        bits |= InputEvent::ButtonsMiddle;
    if (buttons & Qt::BackButton)
        bits |= InputEvent::ButtonsBack;
    if (buttons & Qt::ForwardButton)
        bits |= InputEvent::ButtonsForward;
    return bits;
}

// The first button of `buttons`, for a move while something is held.
MouseButton primaryOf(Qt::MouseButtons buttons)
{
    for (const Qt::MouseButton b : {Qt::LeftButton, Qt::RightButton, Qt::MiddleButton, Qt::BackButton,
                                    Qt::ForwardButton}) {
        if (buttons & b)
            return *toProtocol(b);
    }
    return MouseButton::None;
}

bool isFocusKey(const QKeyEvent* event)
{
    return event->key() == Qt::Key_F6
        && (event->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier)) == Qt::NoModifier;
}

// Clipboard text as PROTOCOL 5 allows it in a paste: tabs and line breaks stay,
// other control characters go, and at most MaxPasteLength UTF-16 units without
// cutting a surrogate pair in half.
QString pasteText(const QString& clipboard)
{
    QString text;
    text.reserve(std::min<qsizetype>(clipboard.size(), ScreencastView::MaxPasteLength));
    for (qsizetype i = 0; i < clipboard.size() && text.size() < ScreencastView::MaxPasteLength; ++i) {
        const QChar c = clipboard.at(i);
        if (c.isHighSurrogate()) {
            const bool paired = i + 1 < clipboard.size() && clipboard.at(i + 1).isLowSurrogate();
            if (paired && text.size() + 2 <= ScreencastView::MaxPasteLength)
                text.append(c).append(clipboard.at(i + 1));
            i += paired ? 1 : 0;
            continue;
        }
        if (c.isLowSurrogate())
            continue; // half of a broken pair
        const bool control = c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0);
        if (control && c != u'\t' && c != u'\n' && c != u'\r')
            continue;
        text.append(c);
    }
    return text;
}

// A key as AuthLoop's viewer sends it (scripts/test-relay.mjs in AuthLoop's
// repository): one character (JavaScript's key.length === 1) without Ctrl or Meta
// as keypress, any other key as keydown. AuthLoop's agent types only what a
// one-character keypress carries, and that viewer's Enter (keydown alone) submits
// nothing there; so Enter also gets the keypress "\r" that a browser makes for it.
QList<InputEvent> authLoopKeyEvents(const KeyMapper::Mapped& mapped)
{
    const bool shortcut = mapped.modifiers & (InputEvent::ModifierCtrl | InputEvent::ModifierMeta);
    if (mapped.key.size() == 1 && !shortcut)
        return { InputEvent::keyPress(mapped.key, mapped.code, mapped.modifiers) };
    QList<InputEvent> events { InputEvent::keyDown(mapped.key, mapped.code, mapped.modifiers) };
    if (mapped.key == QLatin1String("Enter") && !shortcut) {
        events.append(
            InputEvent::keyPress(QString(protocol::InputEventCodec::EnterCharacter), mapped.code, mapped.modifiers));
    }
    return events;
}

} // namespace

ScreencastView::ScreencastView(QWidget* parent) : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_InputMethodEnabled);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setMouseTracking(true);
    viewport()->setContextMenuPolicy(Qt::PreventContextMenu); // right clicks belong to the page
    viewport()->setCursor(Qt::ArrowCursor);
    setAccessibleName(tr("Agent's browser"));
    setAccessibleDescription(tr("Live view of the agent's browser. Keys, clicks and pastes go to the page, "
                                "end-to-end encrypted. Press F6 to move to the toolbar."));

    m_pointerTimer.setSingleShot(true);
    m_pointerTimer.setInterval(MoveIntervalMs);
    connect(&m_pointerTimer, &QTimer::timeout, this, &ScreencastView::flushPointer);

    m_viewportTimer.setSingleShot(true);
    m_viewportTimer.setInterval(ViewportRequestDelayMs);
    connect(&m_viewportTimer, &QTimer::timeout, this, [this] { Q_EMIT viewportRequested(desiredViewport()); });

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("note"));
    m_note->setAlignment(Qt::AlignCenter);
    m_note->setStyleSheet(QStringLiteral("QLabel { background: rgba(32, 32, 32, 220); color: white; "
                                         "border-radius: 6px; padding: 6px 12px; }"));
    m_note->hide();
    m_noteTimer.setSingleShot(true);
    m_noteTimer.setInterval(NoteDurationMs);
    connect(&m_noteTimer, &QTimer::timeout, m_note, &QWidget::hide);
}

ScreencastView::~ScreencastView() = default;

void ScreencastView::setFrame(const QImage& image, const protocol::FrameMetadata& metadata)
{
    const bool geometryChanged = m_metadata.deviceWidth != metadata.deviceWidth
        || m_metadata.deviceHeight != metadata.deviceHeight || m_image.isNull();
    m_image = image;
    m_metadata = metadata;
    if (geometryChanged)
        updateScrollBars();
    viewport()->update();
}

void ScreencastView::clearFrame()
{
    m_image = QImage();
    m_metadata = {};
    updateScrollBars();
    viewport()->update();
}

void ScreencastView::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    if (m_image.isNull())
        viewport()->update();
}

CoordinateMapper ScreencastView::mapper() const
{
    CoordinateMapper::Geometry geometry;
    geometry.viewSize = viewport()->size();
    if (!m_image.isNull())
        geometry.pageSize = QSizeF(m_metadata.deviceWidth, m_metadata.deviceHeight);
    geometry.offsetTop = m_metadata.offsetTop;
    geometry.zoom = m_zoom;
    geometry.scroll = QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
    geometry.devicePixelRatio = viewport()->devicePixelRatioF();
    return CoordinateMapper(geometry);
}

QSize ScreencastView::desiredViewport() const
{
    return CoordinateMapper::viewportFor(viewport()->size(), m_zoom);
}

double ScreencastView::effectiveZoom() const
{
    const CoordinateMapper m = mapper();
    return m.isValid() ? m.scale() : m_zoom.value_or(1.0);
}

void ScreencastView::setZoom(std::optional<double> zoom)
{
    if (zoom)
        zoom = CoordinateMapper::clampZoom(*zoom);
    if (zoom == m_zoom)
        return;
    m_zoom = zoom;
    updateScrollBars();
    viewport()->update();
    scheduleViewportRequest();
    Q_EMIT zoomChanged();
}

void ScreencastView::zoomIn()
{
    const double current = effectiveZoom();
    const auto next = std::find_if(ZoomSteps.begin(), ZoomSteps.end(), [current](double z) { return z > current + 0.001; });
    setZoom(next == ZoomSteps.end() ? ZoomSteps.back() : *next);
}

void ScreencastView::zoomOut()
{
    const double current = effectiveZoom();
    const auto next = std::find_if(ZoomSteps.rbegin(), ZoomSteps.rend(), [current](double z) { return z < current - 0.001; });
    setZoom(next == ZoomSteps.rend() ? ZoomSteps.front() : *next);
}

void ScreencastView::setInputEnabled(bool enabled)
{
    if (m_inputEnabled == enabled)
        return;
    m_inputEnabled = enabled;
    if (!enabled)
        releaseAll();
}

void ScreencastView::setInputStyle(InputStyle style)
{
    if (m_inputStyle == style)
        return;
    m_inputStyle = style;
    releaseAll(); // a press made in one style is not released in the other
}

void ScreencastView::releaseAll()
{
    m_pressed = {};
    m_swallowRelease = {};
    m_pendingMove.reset();
    m_pendingWheel = {};
    m_pointerTimer.stop();
}

void ScreencastView::emitInput(const InputEvent& event)
{
    if (m_inputEnabled)
        Q_EMIT inputEvent(event);
}

// ---- painting and geometry ----

void ScreencastView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    painter.fillRect(viewport()->rect(), palette().color(QPalette::Dark));
    const CoordinateMapper m = mapper();
    if (m_image.isNull() || !m.isValid()) {
        painter.setPen(palette().color(QPalette::BrightText));
        painter.drawText(viewport()->rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    } else {
        const QRectF target = m.frameRect();
        // Smooth scaling unless the frame lands on the screen pixel for pixel.
        const double dpr = viewport()->devicePixelRatioF();
        const bool oneToOne = std::abs(target.width() * dpr - m_image.width()) < 0.5
            && std::abs(target.height() * dpr - m_image.height()) < 0.5;
        painter.setRenderHint(QPainter::SmoothPixmapTransform, !oneToOne);
        painter.drawImage(target, m_image);
    }
    if (hasFocus()) {
        // Where the keys go must be visible to keyboard users.
        QPen pen(palette().color(QPalette::Highlight), 2);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(viewport()->rect()).adjusted(1, 1, -1, -1));
    }
}

void ScreencastView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    scheduleViewportRequest();
    if (m_note->isVisible())
        showNote(m_note->text());
}

void ScreencastView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void ScreencastView::updateScrollBars()
{
    CoordinateMapper::Geometry geometry;
    geometry.viewSize = viewport()->size();
    if (!m_image.isNull())
        geometry.pageSize = QSizeF(m_metadata.deviceWidth, m_metadata.deviceHeight);
    geometry.zoom = m_zoom;
    const CoordinateMapper m(geometry);
    const QSize view = viewport()->size();
    const QSize content = m.isValid() ? m.scaledSize().toSize() : QSize();
    horizontalScrollBar()->setRange(0, std::max(0, content.width() - view.width()));
    horizontalScrollBar()->setPageStep(view.width());
    verticalScrollBar()->setRange(0, std::max(0, content.height() - view.height()));
    verticalScrollBar()->setPageStep(view.height());
}

void ScreencastView::scheduleViewportRequest()
{
    m_viewportTimer.start();
}

// ---- keyboard ----

bool ScreencastView::event(QEvent* event)
{
    switch (event->type()) {
    case QEvent::ShortcutOverride: {
        // Claim every key before the window's shortcuts see it; F6 stays a way out.
        auto* key = static_cast<QKeyEvent*>(event);
        if (!isFocusKey(key)) {
            event->accept();
            return true;
        }
        break;
    }
    case QEvent::KeyPress: {
        // Tab would otherwise move the focus before keyPressEvent() sees it.
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) {
            keyPressEvent(key);
            return true;
        }
        break;
    }
    default:
        break;
    }
    return QAbstractScrollArea::event(event);
}

bool ScreencastView::focusNextPrevChild(bool)
{
    return false; // Tab belongs to the page
}

void ScreencastView::keyPressEvent(QKeyEvent* event)
{
    event->accept();
    if (isFocusKey(event)) {
        QAbstractScrollArea::focusNextPrevChild(!(event->modifiers() & Qt::ShiftModifier));
        return;
    }
    if (!m_inputEnabled)
        return;
    if (event->matches(QKeySequence::Paste)) {
        paste();
        return;
    }
    const KeyMapper::Mapped mapped = KeyMapper::map(*event);
    if (mapped.key.isEmpty())
        return;
    flushPointer();
    if (m_inputStyle == InputStyle::AuthLoopViewer) {
        for (const InputEvent& e : authLoopKeyEvents(mapped))
            emitInput(e);
        return;
    }
    emitInput(InputEvent::keyDown(mapped.key, mapped.code, mapped.modifiers));
    const QList<uint> characters = mapped.text.toUcs4();
    for (const uint c : characters) {
        const auto ucs4 = char32_t(c);
        emitInput(InputEvent::keyPress(QString::fromUcs4(&ucs4, 1)));
    }
}

void ScreencastView::keyReleaseEvent(QKeyEvent* event)
{
    event->accept();
    // Auto-repeat sends release/press pairs; the page sees only the repeated keydowns.
    if (!m_inputEnabled || event->isAutoRepeat() || isFocusKey(event) || event->matches(QKeySequence::Paste))
        return;
    const KeyMapper::Mapped mapped = KeyMapper::map(*event);
    if (!mapped.key.isEmpty())
        emitInput(InputEvent::keyUp(mapped.key, mapped.code, mapped.modifiers));
}

void ScreencastView::paste()
{
    const QString clipboard = QGuiApplication::clipboard()->text();
    const QString text = pasteText(clipboard);
    if (text.isEmpty()) {
        showNote(tr("The clipboard holds no text to paste"));
        return;
    }
    emitInput(InputEvent::paste(text));
    const auto characters = int(text.size());
    const auto total = int(clipboard.size());
    if (characters < total && clipboard.size() > MaxPasteLength)
        showNote(tr("Pasted the first %1 of %2 characters").arg(characters).arg(total));
    else
        showNote(characters == 1 ? tr("Pasted 1 character") : tr("Pasted %1 characters").arg(characters));
    Q_EMIT pasted(characters, total);
}

void ScreencastView::showNote(const QString& text)
{
    m_note->setText(text);
    m_note->adjustSize();
    const QRect area = viewport()->geometry();
    m_note->move(area.center().x() - m_note->width() / 2, area.bottom() - m_note->height() - 16);
    m_note->show();
    m_note->raise();
    m_noteTimer.start();
}

// ---- mouse ----

int ScreencastView::buttonsHeld() const
{
    return buttonsBits(m_pressed);
}

void ScreencastView::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    event->accept();
    const auto button = toProtocol(event->button());
    const auto point = mapper().toPage(event->position());
    if (!m_inputEnabled || !button || !point)
        return;
    flushPointer();
    m_caret = event->position();
    if (m_inputStyle == InputStyle::AuthLoopViewer) {
        // No mousedown: a left press on the page becomes a click when it comes up.
        if (event->button() == Qt::LeftButton)
            m_pressed |= Qt::LeftButton;
        return;
    }
    m_pressed |= event->button();
    m_lastPagePoint = *point;
    emitInput(InputEvent::mouseDown(point->x(), point->y(), *button, buttonsHeld()));
}

void ScreencastView::mouseReleaseEvent(QMouseEvent* event)
{
    event->accept();
    const auto button = toProtocol(event->button());
    if (!m_inputEnabled || !button || !(m_pressed & event->button()))
        return;
    m_pressed &= ~event->button();
    if (m_inputStyle == InputStyle::AuthLoopViewer) {
        const bool secondOfDouble = m_swallowRelease & event->button();
        m_swallowRelease &= ~event->button();
        emitAuthLoopClick(event->position(), secondOfDouble);
        return;
    }
    if (m_swallowRelease & event->button()) {
        m_swallowRelease &= ~event->button();
        return;
    }
    flushPointer();
    const QPointF point = mapper().toPageClamped(event->position());
    emitInput(InputEvent::mouseUp(point.x(), point.y(), *button, buttonsHeld()));
}

// A browser's click (and, after the second click of a double click, dblclick) goes
// to where the button came up, and only when that is on the page's picture.
void ScreencastView::emitAuthLoopClick(const QPointF& position, bool secondOfDouble)
{
    const auto point = mapper().toPage(position);
    if (!point)
        return;
    flushPointer();
    emitInput(InputEvent::click(point->x(), point->y(), MouseButton::Left));
    if (secondOfDouble)
        emitInput(InputEvent::doubleClick(point->x(), point->y(), MouseButton::Left));
}

void ScreencastView::mouseDoubleClickEvent(QMouseEvent* event)
{
    event->accept();
    const auto button = toProtocol(event->button());
    const auto point = mapper().toPage(event->position());
    if (!m_inputEnabled || !button || !point)
        return;
    if (m_inputStyle == InputStyle::AuthLoopViewer) {
        // The second press of a double click: its release sends click and dblclick.
        if (event->button() == Qt::LeftButton) {
            m_pressed |= Qt::LeftButton;
            m_swallowRelease |= Qt::LeftButton;
        }
        return;
    }
    // Qt reports press, release, double-click, release. The page gets mousedown,
    // mouseup, then one dblclick (the agent presses and releases with clickCount 2);
    // the last release is part of that dblclick.
    flushPointer();
    m_pressed |= event->button();
    m_swallowRelease |= event->button();
    emitInput(InputEvent::doubleClick(point->x(), point->y(), *button));
}

void ScreencastView::mouseMoveEvent(QMouseEvent* event)
{
    event->accept();
    if (!m_inputEnabled || m_inputStyle == InputStyle::AuthLoopViewer)
        return; // AuthLoop's viewer sends no moves: its agent cannot hover or drag
    // While a button is held the drag follows the pointer along the frame's edge.
    std::optional<QPointF> point = m_pressed ? mapper().toPageClamped(event->position())
                                             : mapper().toPage(event->position());
    if (!point || *point == m_lastPagePoint)
        return;
    m_pendingMove = point;
    if (!m_pointerTimer.isActive())
        flushPointer();
}

void ScreencastView::wheelEvent(QWheelEvent* event)
{
    event->accept();
    if (event->modifiers() & Qt::ControlModifier) {
        // Ctrl+wheel zooms the view, as in a browser.
        if (event->angleDelta().y() > 0)
            zoomIn();
        else if (event->angleDelta().y() < 0)
            zoomOut();
        return;
    }
    if (!m_inputEnabled)
        return;
    const CoordinateMapper m = mapper();
    const auto point = m.toPage(event->position());
    if (!point)
        return;
    // Qt's deltas are positive when the content should move down/right (scrolling
    // up/left); the page's deltaY is positive when scrolling down.
    QPointF delta;
    if (!event->pixelDelta().isNull())
        delta = -m.toPageDelta(QPointF(event->pixelDelta()));
    else
        delta = -QPointF(event->angleDelta()) / 120.0 * WheelPixelsPerNotch;
    if (event->inverted())
        delta = -delta;
    m_pendingWheel += delta;
    m_wheelPoint = *point;
    if (!m_pointerTimer.isActive())
        flushPointer();
}

void ScreencastView::flushPointer()
{
    bool sent = false;
    if (m_pendingMove) {
        const QPointF p = *m_pendingMove;
        m_pendingMove.reset();
        m_lastPagePoint = p;
        emitInput(InputEvent::mouseMove(p.x(), p.y(), primaryOf(m_pressed), buttonsHeld()));
        sent = true;
    }
    if (!m_pendingWheel.isNull()) {
        const double limit = CoordinateMapper::MaxCoordinate;
        const QPointF d(std::clamp(m_pendingWheel.x(), -limit, limit), std::clamp(m_pendingWheel.y(), -limit, limit));
        m_pendingWheel = {};
        emitInput(InputEvent::scroll(m_wheelPoint.x(), m_wheelPoint.y(), d.x(), d.y()));
        sent = true;
    }
    if (sent)
        m_pointerTimer.start(); // nothing more until the interval is over
}

// ---- input methods ----

void ScreencastView::inputMethodEvent(QInputMethodEvent* event)
{
    event->accept();
    if (!m_inputEnabled)
        return;
    flushPointer();
    if (m_inputStyle == InputStyle::AuthLoopViewer) {
        // AuthLoop's agent knows no composition: the committed text goes as paste.
        if (!event->commitString().isEmpty())
            emitInput(InputEvent::paste(event->commitString().left(MaxPasteLength)));
        return;
    }
    if (!event->commitString().isEmpty())
        emitInput(InputEvent::ime(event->commitString().left(MaxPasteLength), true));
    const QString preedit = event->preeditString().left(MaxPasteLength);
    std::optional<int> cursor;
    for (const QInputMethodEvent::Attribute& attribute : event->attributes()) {
        if (attribute.type == QInputMethodEvent::Cursor)
            cursor = std::clamp(attribute.start, 0, int(preedit.size()));
    }
    if (!preedit.isEmpty() || event->commitString().isEmpty())
        emitInput(InputEvent::ime(preedit, false, cursor, cursor));
}

QVariant ScreencastView::inputMethodQuery(Qt::InputMethodQuery query) const
{
    switch (query) {
    case Qt::ImEnabled:
        return m_inputEnabled;
    case Qt::ImCursorRectangle:
        return QRect(m_caret.toPoint(), QSize(1, 20));
    case Qt::ImHints:
        // The page may be a password field: no dictionary learning, no auto-correction.
        return int(Qt::ImhSensitiveData | Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase);
    default:
        return QAbstractScrollArea::inputMethodQuery(query);
    }
}

void ScreencastView::focusOutEvent(QFocusEvent* event)
{
    QAbstractScrollArea::focusOutEvent(event);
    viewport()->update();
}

} // namespace handoff::ui
