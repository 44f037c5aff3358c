#include "app/Application.h"

#include <QFileOpenEvent>
#include <QMetaMethod>

#include <utility>

namespace handoff::app {

Application::Application(int& argc, char** argv) : QApplication(argc, argv) {}

QList<QUrl> Application::takeEarlyLinks()
{
    return std::exchange(m_early, {});
}

bool Application::event(QEvent* event)
{
    if (event->type() == QEvent::FileOpen) {
        const QUrl url = static_cast<QFileOpenEvent*>(event)->url();
        if (isSignalConnected(QMetaMethod::fromSignal(&Application::linkOpened)))
            Q_EMIT linkOpened(url);
        else
            m_early.append(url);
        return true;
    }
    return QApplication::event(event);
}

} // namespace handoff::app
