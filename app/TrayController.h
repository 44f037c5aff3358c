#pragma once

// Handoff's place in the system tray: a menu with "Open link…", what waits for
// the person (approval prompts, session requests from paired servers), the
// active sessions, the paired accounts and their connection state, "Approval
// history…", Settings and Quit; the tooltip sums up the accounts' state.
// Notifications may carry an action for when they are clicked: Qt 6.4 tells
// only that *a* message was clicked, so the latest message's action runs.
// Without a tray host (some desktops) it stays hidden and the app quits when
// its last window closes.

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QMenu;
class QSystemTrayIcon;

namespace handoff::app {

class ApprovalController;
class DeviceChannels;
class SessionManager;
class SessionRequestInbox;

class TrayController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayController)

public:
    explicit TrayController(SessionManager* sessions, QObject* parent = nullptr);
    ~TrayController() override;

    // The menu's other sources, set once (none may be null). Until then the menu
    // shows only the sessions; a source deleted later drops out of it.
    void setSources(DeviceChannels* channels, ApprovalController* approvals, SessionRequestInbox* requests);

    bool isAvailable() const;
    // `onClicked` runs when the person clicks this notification (or a later one
    // without its own action replaces it).
    void notify(const QString& title, const QString& message, std::function<void()> onClicked = {});
    QMenu* menu() const { return m_menu.get(); }
    QString toolTip() const;

Q_SIGNALS:
    void openLinkRequested();
    void settingsRequested();
    void historyRequested();
    void quitRequested();
    // Every notification, also where no tray shows it (for the log and for tests).
    void notified(const QString& title, const QString& message);

private:
    struct MenuState;

    void scheduleRebuild();
    void rebuildMenu();
    void addWaiting(const MenuState& state);
    void addAccounts(const MenuState& state);
    void updateToolTip(const MenuState& state);

    SessionManager* m_sessions;
    QPointer<DeviceChannels> m_channels;
    QPointer<ApprovalController> m_approvals;
    QPointer<SessionRequestInbox> m_requests;
    std::unique_ptr<QMenu> m_menu; // QMenu is a widget: no QObject parent for it here
    QSystemTrayIcon* m_icon = nullptr;
    std::function<void()> m_clickAction;
    bool m_rebuildScheduled = false;
};

} // namespace handoff::app
