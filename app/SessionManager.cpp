#include "app/SessionManager.h"

#include "ui/SessionWindow.h"

#include <utility>

namespace handoff::app {

SessionManager::SessionManager(QObject* parent) : QObject(parent) {}

SessionManager::~SessionManager()
{
    const QList<Entry> windows = std::exchange(m_windows, {});
    for (const Entry& entry : windows)
        delete entry.window;
}

ui::SessionWindow* SessionManager::show(session::ViewerSession* session)
{
    if (ui::SessionWindow* existing = find(session->target().sessionId)) {
        delete session;
        raise(existing);
        return existing;
    }
    auto* window = new ui::SessionWindow(session);
    m_windows.append(Entry{window, window});
    connect(window, &QObject::destroyed, this, [this](QObject* object) {
        // Only the QObject part is left by now: compare addresses, touch nothing else.
        m_windows.removeIf([object](const Entry& entry) { return entry.object == object; });
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
    for (const Entry& entry : m_windows) {
        if (entry.window->sessionId() == sessionId)
            return entry.window;
    }
    return nullptr;
}

QList<ui::SessionWindow*> SessionManager::windows() const
{
    QList<ui::SessionWindow*> list;
    for (const Entry& entry : m_windows)
        list.append(entry.window);
    return list;
}

bool SessionManager::anyWindowVisible() const
{
    for (const Entry& entry : m_windows) {
        if (entry.window->isVisible())
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
