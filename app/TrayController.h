#pragma once

// Handoff's place in the system tray: a menu with "Open link…", the active
// sessions, Settings and Quit, and a notification when a link arrives while no
// window is on screen. Without a tray host (some desktops) it stays hidden and
// the app quits when its last window closes.

#include <QObject>

class QMenu;
class QSystemTrayIcon;

namespace handoff::app {

class SessionManager;

class TrayController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayController)

public:
    explicit TrayController(SessionManager* sessions, QObject* parent = nullptr);
    ~TrayController() override;

    bool isAvailable() const;
    void notify(const QString& title, const QString& message);
    QMenu* menu() const { return m_menu.get(); }

Q_SIGNALS:
    void openLinkRequested();
    void settingsRequested();
    void quitRequested();

private:
    void rebuildMenu();

    SessionManager* m_sessions;
    std::unique_ptr<QMenu> m_menu; // QMenu is a widget: no QObject parent for it here
    QSystemTrayIcon* m_icon = nullptr;
};

} // namespace handoff::app
