#pragma once

// Shared by the ScreencastView tests: a shown view holding one 1280x720 frame,
// and a record of every input event it emits.

#include "core/protocol/InputEventCodec.h"
#include "ui/ScreencastView.h"

#include <QImage>
#include <QObject>
#include <QStringList>
#include <QTest>

#include <memory>
#include <vector>

namespace handoff::test {

struct ScreencastViewFixture final {
    static constexpr int PageWidth = 1280;
    static constexpr int PageHeight = 720;

    std::unique_ptr<ui::ScreencastView> view = std::make_unique<ui::ScreencastView>();
    std::vector<protocol::InputEvent> events;

    // The frame fits 800x450 exactly: scale 0.625, no letterbox.
    bool setUp(QSize size = QSize(800, 450))
    {
        QObject::connect(view.get(), &ui::ScreencastView::inputEvent,
                         [this](const protocol::InputEvent& event) { events.push_back(event); });
        view->resize(size);
        QImage image(PageWidth, PageHeight, QImage::Format_RGB32);
        image.fill(Qt::white);
        protocol::FrameMetadata metadata;
        metadata.deviceWidth = PageWidth;
        metadata.deviceHeight = PageHeight;
        view->setFrame(image, metadata);
        view->show();
        view->activateWindow();
        view->setFocus();
        view->setInputEnabled(true);
        // Activation arrives from the X server after the window is shown; until then
        // the view has no focus and a test of where the focus goes would race it.
        return QTest::qWaitForWindowExposed(view.get()) && QTest::qWaitForWindowActive(view.get());
    }

    QWidget* surface() const { return view->viewport(); }

    // Every emitted event must pass the codec's limits: the agent would refuse the others.
    bool allValid() const
    {
        for (const auto& event : events) {
            if (!protocol::InputEventCodec::validate(event).ok())
                return false;
        }
        return true;
    }
};

inline std::vector<protocol::InputEventType> typesOf(const std::vector<protocol::InputEvent>& events)
{
    std::vector<protocol::InputEventType> types;
    for (const auto& event : events)
        types.push_back(event.type());
    return types;
}

// QTest presses and releases the modifier keys around a key with modifiers, as a
// keyboard does; the page sees those too. The tests look at the main key.
inline std::vector<protocol::InputEvent> withoutModifierKeys(const std::vector<protocol::InputEvent>& events)
{
    static const QStringList modifierKeys
        = {QStringLiteral("Shift"), QStringLiteral("Control"), QStringLiteral("Alt"), QStringLiteral("Meta")};
    std::vector<protocol::InputEvent> kept;
    for (const auto& event : events) {
        const bool keyEvent = event.type() == protocol::InputEventType::KeyDown
                              || event.type() == protocol::InputEventType::KeyUp;
        if (!(keyEvent && modifierKeys.contains(event.key())))
            kept.push_back(event);
    }
    return kept;
}

} // namespace handoff::test
