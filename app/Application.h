#pragma once

// The QApplication of the desktop app. Its only addition: macOS hands links
// (handoff://...) to a running app as QFileOpenEvent, which arrive here and
// leave as linkOpened(), to go through the same LinkRouter as every other link.

#include <QApplication>
#include <QList>
#include <QUrl>

namespace handoff::app {

class Application final : public QApplication {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Application)

public:
    Application(int& argc, char** argv);

    // Links that arrived before anyone listened (macOS sends them during start-up).
    QList<QUrl> takeEarlyLinks();

Q_SIGNALS:
    void linkOpened(const QUrl& url);

protected:
    bool event(QEvent* event) override;

private:
    QList<QUrl> m_early;
};

} // namespace handoff::app
