#pragma once

// The running first instance, wired together: links from every source go to
// the LinkRouter (pairing links on to a PairDeviceDialog); a second instance's
// messages arrive through SingleInstance; one device channel per paired
// account (DeviceChannels) feeds the approval prompts, the session requests and
// the history window; the tray, the "Open link…" and Settings dialogs, and
// whether closing the last window quits the app.

#include "app/LinkRouter.h"
#include "core/device/PairingLink.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

class QSettings;

namespace handoff::keystore {
class Keystore;
}

namespace handoff::app {

class AppSettings;
class Application;
class ApprovalController;
class DeviceAccounts;
class DeviceChannels;
class HistoryController;
class OpenLinkDialog;
class PairDeviceDialog;
class SessionManager;
class SessionRequestInbox;
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
    DeviceAccounts* accounts() const { return m_accounts; }
    DeviceChannels* channels() const { return m_channels; }
    ApprovalController* approvals() const { return m_approvals; }
    SessionRequestInbox* sessionRequests() const { return m_requests; }
    HistoryController* history() const { return m_history; }
    TrayController* tray() const { return m_tray; }
    // The newest pairing dialog still open, if any.
    PairDeviceDialog* pairDialog() const;
    SettingsDialog* settingsDialog() const;

    void showOpenLinkDialog();
    void showSettings();
    void showPairing(const device::PairingLink& link);

private:
    void onInstanceMessage(const InstanceMessage& message);
    void onLinkAccepted(LinkRouter::Source source);
    void onLinkFailed(const QString& message);
    void applyQuitPolicy();

    Application* m_app;
    AppSettings* m_settings = nullptr;
    TrustedServers* m_trusted = nullptr;
    SessionManager* m_sessions = nullptr;
    LinkRouter* m_router = nullptr;
    TrayController* m_tray = nullptr;
    keystore::Keystore* m_keystore = nullptr;
    DeviceAccounts* m_accounts = nullptr;
    DeviceChannels* m_channels = nullptr;
    ApprovalController* m_approvals = nullptr;
    SessionRequestInbox* m_requests = nullptr;
    HistoryController* m_history = nullptr;
    QPointer<OpenLinkDialog> m_openDialog;
    QPointer<SettingsDialog> m_settingsDialog;
    QList<QPointer<PairDeviceDialog>> m_pairDialogs;
};

} // namespace handoff::app
