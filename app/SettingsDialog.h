#pragma once

// The settings the app really has: whether closing a window keeps Handoff in
// the tray, the paired accounts with their state (PairedAccountsPanel: unpair,
// reconnect), and the servers trusted so far (each can be removed, after which
// its next link asks again).

#include <QDialog>

class QCheckBox;
class QListWidget;
class QPushButton;

namespace handoff::app {

class AppSettings;
class DeviceChannels;
class PairedAccountsPanel;
class TrustedServers;

class SettingsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    // Without `channels` the paired accounts are not shown.
    SettingsDialog(AppSettings* settings, TrustedServers* trustedServers, DeviceChannels* channels = nullptr,
                   QWidget* parent = nullptr);

    PairedAccountsPanel* accountsPanel() const { return m_accounts; }

private:
    void reloadServers();

    AppSettings* m_settings;
    TrustedServers* m_trusted;
    QCheckBox* m_closeToTray = nullptr;
    QListWidget* m_servers = nullptr;
    QPushButton* m_remove = nullptr;
    PairedAccountsPanel* m_accounts = nullptr;
};

} // namespace handoff::app
