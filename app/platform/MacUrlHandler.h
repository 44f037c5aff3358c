#pragma once

// macOS: receives handoff:// links as the Apple Event kAEGetURL and hands each to
// the application as a QFileOpenEvent, so that they take the one path every link
// takes (Application::event -> LinkRouter).
//
// Why not rely on Qt alone: Qt's own kAEGetURL handler turns the event into a
// QFileOpenEvent too, but through the window-system queue, and a link that
// launches the app can arrive before that path delivers anything. This handler
// posts straight to the application object, whose queue runs as soon as exec()
// starts. It installs itself when made and again when the application is about
// to finish launching, after Qt's delegate has put its own handler in place (the
// delegate is set while QApplication is constructed, so its notification
// observer runs first). Only one handler holds the event at a time: each link
// arrives once.
//
// Make one right after the QApplication, before exec(); macOS only.

#include <QObject>

namespace handoff::app {

class MacUrlHandler final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MacUrlHandler)

public:
    explicit MacUrlHandler(QObject* parent = nullptr);
    ~MacUrlHandler() override;

private:
    void* m_handler = nullptr; // HandoffGetUrlHandler*, owned (manual retain/release)
};

} // namespace handoff::app
