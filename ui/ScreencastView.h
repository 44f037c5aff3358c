#pragma once

// The live picture of the agent's browser, and the person's way into it. It
// paints the newest frame scaled to fit (aspect ratio kept, letterboxed) or at a
// zoom of 50-300%, crisp on HiDPI screens, and turns the person's keys, clicks,
// drags, hover moves, wheel turns, pastes and IME composition into PROTOCOL
// section 5 events in the page's CSS pixels (see CoordinateMapper).
//
// While it has focus it keeps every key, Tab and application shortcuts
// included, so that they reach the page; F6 (Shift+F6) moves the focus on to the
// rest of the window, as it moves between a browser's toolbar and its page.
// It emits events only while input is enabled: the window enables it once the
// encrypted channel is ready.
//
// In the AuthLoopViewer input style (protocol version 1) it sends only what
// AuthLoop's own viewer sends, since agents built on AuthLoop's core act on
// nothing else: a left click as one click when the button comes up over the page
// (a double click as click, click, dblclick), no mousedown, mouseup or hover; a
// key naming one character without Ctrl or Meta as keypress, any other key as
// keydown, keyup for every key. Additions keep it usable with such agents, which
// type a character only for a keypress: Enter also sends the keypress "\r" a
// browser makes for it (that is what submits a form), and paste (as in the Full
// style) and committed IME text go as paste, which those agents insert.

#include "core/protocol/FrameMetadata.h"
#include "core/protocol/InputEvent.h"
#include "ui/CoordinateMapper.h"

#include <QAbstractScrollArea>
#include <QElapsedTimer>
#include <QImage>
#include <QPointF>
#include <QTimer>

#include <optional>

class QLabel;

namespace handoff::ui {

class ScreencastView final : public QAbstractScrollArea {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScreencastView)

public:
    static constexpr int MaxPasteLength = 10'000; // PROTOCOL 5
    static constexpr int MoveIntervalMs = 33;     // hover moves and wheel turns: at most ~30 a second
    static constexpr int ViewportRequestDelayMs = 250;
    static constexpr double WheelPixelsPerNotch = 100.0;

    enum class InputStyle {
        Full, // PROTOCOL 5 as handoff-agent reads it: mousedown/up/move, keydown + keypress + keyup
        AuthLoopViewer, // only what AuthLoop's viewer sends (version 1, see above)
    };

    explicit ScreencastView(QWidget* parent = nullptr);
    ~ScreencastView() override;

    void setFrame(const QImage& image, const protocol::FrameMetadata& metadata);
    void clearFrame();
    bool hasFrame() const { return !m_image.isNull(); }
    const QImage& frame() const { return m_image; }
    void setPlaceholderText(const QString& text);

    // None: fit the view. Otherwise clamped to 50-300%.
    void setZoom(std::optional<double> zoom);
    std::optional<double> zoom() const { return m_zoom; }
    // The scale in effect (for fit: what fitting gives), 1.0 = 100%.
    double effectiveZoom() const;
    void zoomIn();
    void zoomOut();
    void zoomToFit() { setZoom(std::nullopt); }

    void setInputEnabled(bool enabled);
    bool isInputEnabled() const { return m_inputEnabled; }
    void setInputStyle(InputStyle style);
    InputStyle inputStyle() const { return m_inputStyle; }

    CoordinateMapper mapper() const;
    // The page viewport, in CSS pixels, that fills the view at the current zoom.
    QSize desiredViewport() const;

    QVariant inputMethodQuery(Qt::InputMethodQuery query) const override;

Q_SIGNALS:
    void inputEvent(const handoff::protocol::InputEvent& event);
    // The note shown after a paste; also emitted so that the window can announce it.
    void pasted(int characters, int clipboardCharacters);
    void zoomChanged();
    // The page should be this big to fill the view (debounced while resizing).
    void viewportRequested(QSize cssSize);

protected:
    bool event(QEvent* event) override;
    bool focusNextPrevChild(bool next) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void inputMethodEvent(QInputMethodEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    void emitInput(const protocol::InputEvent& event);
    void emitAuthLoopClick(const QPointF& position, bool secondOfDouble);
    void paste();
    void showNote(const QString& text);
    void flushPointer();
    void updateScrollBars();
    void scheduleViewportRequest();
    void releaseAll();
    int buttonsHeld() const;

    QImage m_image;
    protocol::FrameMetadata m_metadata;
    QString m_placeholder;
    std::optional<double> m_zoom;
    bool m_inputEnabled = false;
    InputStyle m_inputStyle = InputStyle::Full;

    Qt::MouseButtons m_pressed;        // buttons whose press went to the page
    Qt::MouseButtons m_swallowRelease; // the release after a double click (the dblclick event covered it)
    QPointF m_lastPagePoint;
    QPointF m_caret;                   // where the IME popup goes: the last click, in view coordinates
    std::optional<QPointF> m_pendingMove;
    QPointF m_pendingWheel;            // CSS pixels still to scroll
    QPointF m_wheelPoint;
    QTimer m_pointerTimer;             // paces moves and wheel turns
    QTimer m_viewportTimer;
    QTimer m_noteTimer;
    QLabel* m_note = nullptr;
};

} // namespace handoff::ui
