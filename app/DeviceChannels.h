#pragma once

// The device channels of this computer: one DeviceClient per remembered
// pairing, started with the app, and the two changes a person makes to them:
// pairing (a new account, replacing an older pairing of the same server and
// user) and unpairing (the key leaves the keychain, then the account is
// forgotten). It keeps each channel's last failure so that the tray and the
// Settings dialog can say why a channel stopped.

#include "core/common/Result.h"
#include "core/device/DeviceAccount.h"
#include "core/device/DeviceClient.h"
#include "core/device/PairingLink.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>

namespace handoff::keystore {
class Keystore;
}

namespace handoff::app {

class DeviceAccounts;

class DeviceChannels final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceChannels)

public:
    struct PairingOutcome final {
        device::DeviceAccount account;
        QList<device::DeviceAccount> replaced; // older pairings of the same server and user, now gone
        QString warning;                       // set when an old key could not leave the keychain
    };
    using PairingDone = std::function<void(const Result<PairingOutcome>&)>;
    using UnpairDone = std::function<void(const Result<void>&)>;

    // `accounts` and `keystore` must outlive this object.
    DeviceChannels(DeviceAccounts* accounts, keystore::Keystore* keystore, QObject* parent = nullptr);
    ~DeviceChannels() override;

    // Starts a channel for every remembered account that has none yet.
    void startAll();
    // Starts a stopped or failed channel again (e.g. after the keychain was unlocked).
    void restart(const QString& keyName);

    QList<device::DeviceClient*> clients() const;
    device::DeviceClient* client(const QString& keyName) const;
    DeviceAccounts* accounts() const { return m_accounts; }

    // For a person: "Online", "Offline, reconnecting…", "Stopped: <reason>", ...
    QString statusText(const QString& keyName) const;

    // Pairs this computer with `link`'s server under `deviceName`. `done` runs once,
    // unless `context` was destroyed first.
    void pair(const device::PairingLink& link, const QString& deviceName, QObject* context, PairingDone done);
    // Stops the channel and removes its key from the keychain; only when that worked
    // is the account forgotten. The server keeps listing the device until its
    // operator revokes it: there is no call for a device to remove itself.
    void unpair(const QString& keyName, QObject* context, UnpairDone done);

Q_SIGNALS:
    void clientAdded(handoff::device::DeviceClient* client);
    // The account is gone; its client is deleted later.
    void clientRemoved(const QString& keyName);
    void statusChanged();

private:
    static QString stateText(device::DeviceClient::State state);
    device::DeviceClient* startClient(const device::DeviceAccount& account);
    void dropClient(const QString& keyName);
    void finishPairing(const device::DeviceAccount& account, QObject* context, const PairingDone& done);

    DeviceAccounts* m_accounts;
    keystore::Keystore* m_keystore;
    QHash<QString, device::DeviceClient*> m_clients; // by keychain entry name, children of this
    QHash<QString, QString> m_errors;
};

} // namespace handoff::app
