#pragma once

// Pairing this computer from a pairing link, step by step in one window: the
// question (which server, shown by its host; what pairing means; any pairing
// with that server this computer already holds, which a pairing for the same
// user replaces), the device name (the machine's host name unless changed),
// then progress, then the outcome. Nothing happens until the person clicks
// "Pair": Cancel is the default button, so Enter never pairs. A failure, a
// keychain error included, is shown as it is, and the person may try again.

#include "core/device/PairingLink.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace handoff::app {

class DeviceChannels;

class PairDeviceDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PairDeviceDialog)

public:
    // `channels` must outlive the dialog.
    PairDeviceDialog(const device::PairingLink& link, DeviceChannels* channels, QWidget* parent = nullptr);
    ~PairDeviceDialog() override;

    // Asked for this very link (and not done with it yet).
    bool isFor(const device::PairingLink& link) const
    {
        return !m_link.token.isEmpty() && m_link.token == link.token && m_link.server == link.server;
    }
    bool isPairing() const { return m_busy; }
    bool isPaired() const { return m_done; }
    QLineEdit* nameField() const { return m_name; }
    QPushButton* pairButton() const { return m_pair; }
    QPushButton* cancelButton() const { return m_cancel; }
    QString resultText() const;

    // 1 to 100 characters, no control or format characters (as the server checks).
    static bool isValidDeviceName(const QString& name);

public Q_SLOTS:
    void reject() override;

private:
    void startPairing();
    void validateName();

    device::PairingLink m_link; // holds the one-time token until it is used
    DeviceChannels* m_channels;
    QLineEdit* m_name = nullptr;
    QLabel* m_heading = nullptr;
    QLabel* m_nameHint = nullptr;
    QLabel* m_nameProblem = nullptr;
    QLabel* m_result = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_pair = nullptr;
    QPushButton* m_cancel = nullptr;
    bool m_busy = false;
    bool m_done = false;
};

} // namespace handoff::app
