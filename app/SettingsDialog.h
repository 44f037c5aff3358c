#pragma once

// The settings the app really has: whether closing a window keeps Handoff in
// the tray, and the servers trusted so far (each can be removed, after which
// its next link asks again).

#include <QDialog>

class QCheckBox;
class QListWidget;
class QPushButton;

namespace handoff::app {

class AppSettings;
class TrustedServers;

class SettingsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    SettingsDialog(AppSettings* settings, TrustedServers* trustedServers, QWidget* parent = nullptr);

private:
    void reloadServers();

    AppSettings* m_settings;
    TrustedServers* m_trusted;
    QCheckBox* m_closeToTray = nullptr;
    QListWidget* m_servers = nullptr;
    QPushButton* m_remove = nullptr;
};

} // namespace handoff::app
