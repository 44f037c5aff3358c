#pragma once

// The approve/deny prompts of every paired account (PROTOCOL 4). For each
// approval request a DeviceClient reports, one ApprovalDialog and one tray
// notification; a request seen again (a reconnect's welcome lists the pending
// ones) does not open a second dialog. Decisions go out through
// DeviceClient::decide and the server's verdict is shown in the dialog, in
// plain words. A request settled elsewhere (another device, expiry) closes its
// dialog saying so. Notices from a server (e.g. a client blocked after repeated
// denials) become tray notifications.
//
// An arriving prompt is shown without taking the keyboard focus: keys meant for
// another window must not land on its buttons.

#include "core/device/ApprovalRequest.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

namespace handoff::device {
class DeviceClient;
}
namespace handoff::ui {
class ApprovalDialog;
}

namespace handoff::app {

class DeviceChannels;
class TrayController;

class ApprovalController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApprovalController)

public:
    struct Waiting final {
        QString keyName; // the account (DeviceAccount::keyName)
        device::ApprovalRequest request;
    };

    // `tray` may be null (no notifications then); both must outlive this object.
    ApprovalController(DeviceChannels* channels, TrayController* tray, QObject* parent = nullptr);
    ~ApprovalController() override;

    // Requests still waiting for this person's answer, oldest first; expired ones are left out.
    QList<Waiting> waiting() const;
    ui::ApprovalDialog* dialog(const QString& keyName, const QString& authReqId) const;
    QList<ui::ApprovalDialog*> dialogs() const;
    // Brings the request's dialog to the front, with the focus (the person asked for it).
    void show(const QString& keyName, const QString& authReqId);

    // What the server's refusal code means, for a person.
    static QString refusalText(const QString& code, const QString& serverMessage);
    // How a request settled elsewhere is described in its dialog.
    static QString closedText(const QString& outcome, const QString& byDevice, const QString& serverMessage);

Q_SIGNALS:
    void waitingChanged();

private:
    enum class Phase { Waiting, Sending, Settled };
    struct Entry final {
        QString keyName;
        device::ApprovalRequest request;
        QPointer<ui::ApprovalDialog> dialog;
        Phase phase = Phase::Waiting;
        bool approving = false; // the decision in flight
    };

    void attach(device::DeviceClient* client);
    void onRequested(device::DeviceClient* client, const device::ApprovalRequest& request);
    void onClosed(device::DeviceClient* client, const QString& authReqId, const QString& outcome,
                  const QString& byDevice, const QString& message);
    void onDecisionResult(device::DeviceClient* client, const QString& authReqId, bool accepted,
                          const QString& message, const QString& code);
    void onOnline(device::DeviceClient* client);
    void onNotice(device::DeviceClient* client, const QString& code, const QString& message);
    void onAccountRemoved(const QString& keyName);
    void decide(const QString& key, bool approve);
    void settle(const QString& key, const QString& message, int closeAfterMs);
    void pruneExpired();

    static QString entryKey(const QString& keyName, const QString& authReqId);

    DeviceChannels* m_channels;
    QPointer<TrayController> m_tray;
    QHash<QString, Entry> m_entries; // by entryKey()
    QList<QString> m_order;          // entry keys, oldest first
};

} // namespace handoff::app
