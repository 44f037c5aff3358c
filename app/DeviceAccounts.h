#pragma once

// The pairings this computer holds (DeviceAccount: server, device id, user,
// device name, keychain entry name; never key material), kept in the app's
// settings. Several servers, and several users on one server, may be paired;
// an account is known by its keychain entry name, which is unique per pairing.

#include "core/device/DeviceAccount.h"

#include <QList>
#include <QObject>

#include <optional>

class QSettings;

namespace handoff::app {

class DeviceAccounts final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceAccounts)

public:
    // Reads and writes the list in `settings`, which must outlive this object.
    explicit DeviceAccounts(QSettings* settings, QObject* parent = nullptr);

    // In the order they were paired; saved entries that no longer parse are skipped.
    QList<device::DeviceAccount> accounts() const;
    std::optional<device::DeviceAccount> find(const QString& keyName) const;
    // Accounts on the same server (by its signed identity) for the same user (no case).
    QList<device::DeviceAccount> sameAccount(const QUrl& server, const QString& user) const;
    QList<device::DeviceAccount> onServer(const QUrl& server) const;

    void add(const device::DeviceAccount& account);
    void remove(const QString& keyName);

    // "relay.example" or "127.0.0.1:8080": the host a person recognises, with a port
    // only when it is not the scheme's default.
    static QString hostOf(const QUrl& server);
    // "alice on relay.example": the account as a person names it.
    static QString label(const device::DeviceAccount& account);

Q_SIGNALS:
    void changed();

private:
    void save(const QList<device::DeviceAccount>& accounts);

    QSettings* m_settings;
};

} // namespace handoff::app
