#include "app/TrayController.h"

#include "app/SessionManager.h"
#include "ui/Resources.h"
#include "ui/SessionWindow.h"

#include <QMenu>
#include <QSystemTrayIcon>

namespace handoff::app {

TrayController::TrayController(SessionManager* sessions, QObject* parent)
    : QObject(parent), m_sessions(sessions), m_menu(std::make_unique<QMenu>())
{
    m_icon = new QSystemTrayIcon(ui::Resources::appIcon(), this);
    m_icon->setToolTip(tr("Handoff"));
    m_icon->setContextMenu(m_menu.get());
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger && !m_sessions->raiseNewest())
            Q_EMIT openLinkRequested();
    });
    connect(m_sessions, &SessionManager::sessionsChanged, this, &TrayController::rebuildMenu);
    rebuildMenu();
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_icon->show();
}

TrayController::~TrayController() = default;

bool TrayController::isAvailable() const
{
    return QSystemTrayIcon::isSystemTrayAvailable() && m_icon->isVisible();
}

void TrayController::notify(const QString& title, const QString& message)
{
    if (isAvailable())
        m_icon->showMessage(title, message, ui::Resources::appIcon(), 10'000);
}

void TrayController::rebuildMenu()
{
    m_menu->clear();
    QAction* open = m_menu->addAction(tr("Open link…"));
    open->setObjectName(QStringLiteral("trayOpenLink"));
    connect(open, &QAction::triggered, this, &TrayController::openLinkRequested);

    m_menu->addSection(tr("Active sessions"));
    const auto windows = m_sessions->windows();
    if (windows.isEmpty()) {
        m_menu->addAction(tr("No active sessions"))->setEnabled(false);
    }
    for (ui::SessionWindow* window : windows) {
        QAction* item = m_menu->addAction(window->title());
        connect(item, &QAction::triggered, window, [window] { SessionManager::raise(window); });
    }
    m_menu->addSeparator();
    QAction* settings = m_menu->addAction(tr("Settings…"));
    connect(settings, &QAction::triggered, this, &TrayController::settingsRequested);
    QAction* quit = m_menu->addAction(tr("Quit Handoff"));
    connect(quit, &QAction::triggered, this, &TrayController::quitRequested);
}

} // namespace handoff::app
