#include "app/SessionManager.h"

#include "ui/SessionWindow.h"

namespace handoff::app {

SessionManager::SessionManager(QObject* parent) : QObject(parent) {}

SessionManager::~SessionManager()
{
    for (const auto& window : m_windows)
        delete window.data();
}

ui::SessionWindow* SessionManager::show(session::ViewerSession* session)
{
    if (ui::SessionWindow* existing = find(session->target().sessionId)) {
        delete session;
        raise(existing);
        return existing;
    }
    auto* window = new ui::SessionWindow(session);
    m_windows.append(window);
    connect(window, &QObject::destroyed, this, [this] {
        m_windows.removeIf([](const QPointer<ui::SessionWindow>& w) { return w.isNull(); });
        Q_EMIT sessionsChanged();
    });
    connect(window, &ui::SessionWindow::titleChanged, this, &SessionManager::sessionsChanged);
    connect(window, &ui::SessionWindow::sessionEnded, this, &SessionManager::sessionsChanged);
    if (session->state() == session::ViewerSession::State::Idle)
        session->start();
    raise(window);
    Q_EMIT sessionsChanged();
    return window;
}

ui::SessionWindow* SessionManager::find(const QString& sessionId) const
{
    for (const auto& window : m_windows) {
        if (window && window->sessionId() == sessionId)
            return window;
    }
    return nullptr;
}

QList<ui::SessionWindow*> SessionManager::windows() const
{
    QList<ui::SessionWindow*> list;
    for (const auto& window : m_windows) {
        if (window)
            list.append(window);
    }
    return list;
}

bool SessionManager::anyWindowVisible() const
{
    for (const auto& window : m_windows) {
        if (window && window->isVisible())
            return true;
    }
    return false;
}

bool SessionManager::raiseNewest()
{
    const auto list = windows();
    if (list.isEmpty())
        return false;
    raise(list.last());
    return true;
}

void SessionManager::raise(QWidget* window)
{
    window->show();
    window->setWindowState((window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    window->raise();
    window->activateWindow();
}

} // namespace handoff::app
