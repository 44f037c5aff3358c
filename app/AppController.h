#pragma once

// The running first instance, wired together: links from every source go to
// the LinkRouter; a second instance's messages arrive through SingleInstance;
// the tray, the "Open link…" and Settings dialogs, and whether closing the last
// window quits the app.

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

class QSettings;

namespace handoff::app {

class AppSettings;
class Application;
class LinkRouter;
class OpenLinkDialog;
class SessionManager;
class SettingsDialog;
class SingleInstance;
class TrayController;
class TrustedServers;
struct InstanceMessage;

class AppController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppController)

public:
    // `settings` and `instance` must outlive the controller.
    AppController(Application* app, SingleInstance* instance, QSettings* settings, QObject* parent = nullptr);
    ~AppController() override;

    // Opens the links given on the command line; with none, offers the "Open link…" dialog
    // unless the tray is there to wait in.
    void start(const QStringList& links);

    LinkRouter* router() const { return m_router; }
    SessionManager* sessions() const { return m_sessions; }
    TrustedServers* trustedServers() const { return m_trusted; }

    void showOpenLinkDialog();
    void showSettings();

private:
    void onInstanceMessage(const InstanceMessage& message);
    void onLinkAccepted();
    void onLinkFailed(const QString& message);
    void applyQuitPolicy();

    Application* m_app;
    AppSettings* m_settings = nullptr;
    TrustedServers* m_trusted = nullptr;
    SessionManager* m_sessions = nullptr;
    LinkRouter* m_router = nullptr;
    TrayController* m_tray = nullptr;
    QPointer<OpenLinkDialog> m_openDialog;
    QPointer<SettingsDialog> m_settingsDialog;
};

} // namespace handoff::app
