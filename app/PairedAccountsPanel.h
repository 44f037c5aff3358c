#pragma once

// The Settings dialog's list of paired accounts: user, server, this
// computer's device name and the channel's state (online, reconnecting,
// stopped with its reason). "Reconnect" starts a stopped channel again;
// "Unpair…" asks first, then removes the device key from the keychain and
// forgets the account. The server keeps listing the device until its operator
// revokes it (there is no call for a device to remove itself), and the
// question says so.

#include <QGroupBox>
#include <QPointer>

class QLabel;
class QMessageBox;
class QPushButton;
class QTreeWidget;

namespace handoff::app {

class DeviceChannels;

class PairedAccountsPanel final : public QGroupBox {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PairedAccountsPanel)

public:
    enum Column { AccountColumn, ServerColumn, DeviceColumn, StateColumn, ColumnCount };

    // `channels` must outlive the panel.
    explicit PairedAccountsPanel(DeviceChannels* channels, QWidget* parent = nullptr);

    QTreeWidget* list() const { return m_list; }
    // The open "Unpair?" question, if any.
    QMessageBox* unpairQuestion() const;
    QString messageText() const;

private:
    void reload();
    void updateButtons();
    QString selectedKeyName() const;
    void askToUnpair();
    void showMessage(const QString& text, bool problem);

    DeviceChannels* m_channels;
    QTreeWidget* m_list = nullptr;
    QLabel* m_empty = nullptr;
    QLabel* m_message = nullptr;
    QPushButton* m_reconnect = nullptr;
    QPushButton* m_unpair = nullptr;
    QPointer<QMessageBox> m_question;
};

} // namespace handoff::app
