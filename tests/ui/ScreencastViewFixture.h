#pragma once

// Shared by the ScreencastView tests: a shown view holding one 1280x720 frame,
// and a record of every input event it emits.

#include "core/protocol/InputEventCodec.h"
#include "ui/ScreencastView.h"

#include <QImage>
#include <QObject>
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
        return QTest::qWaitForWindowExposed(view.get());
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

} // namespace handoff::test
