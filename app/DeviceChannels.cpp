#include "app/DeviceChannels.h"

#include "app/DeviceAccounts.h"
#include "core/keystore/Keystore.h"

#include <QLoggingCategory>
#include <QPointer>

#include <memory>

namespace handoff::app {

namespace {

Q_LOGGING_CATEGORY(lcChannels, "handoff.channels", QtInfoMsg)

// Runs `done` only while `context` lives (or when there was none to watch).
template <typename Callback, typename Value>
void deliver(const QPointer<QObject>& context, bool hadContext, const Callback& done, const Value& value)
{
    if (done && (!hadContext || context)) {
        done(value);
    }
}

} // namespace

DeviceChannels::DeviceChannels(DeviceAccounts* accounts, keystore::Keystore* keystore, QObject* parent)
    : QObject(parent), m_accounts(accounts), m_keystore(keystore)
{
}

DeviceChannels::~DeviceChannels() = default;

QString DeviceChannels::stateText(device::DeviceClient::State state)
{
    using State = device::DeviceClient::State;
    switch (state) {
    case State::Idle:
        return tr("Stopped");
    case State::LoadingKey:
        return tr("Reading the device key…");
    case State::Connecting:
    case State::Authenticating:
        return tr("Connecting…");
    case State::Online:
        return tr("Online");
    case State::WaitingToReconnect:
        return tr("Offline, reconnecting…");
    case State::Failed:
        return tr("Stopped");
    }
    return {};
}

void DeviceChannels::startAll()
{
    const QList<device::DeviceAccount> list = m_accounts->accounts();
    for (const device::DeviceAccount& account : list) {
        if (!m_clients.contains(account.keyName)) {
            startClient(account);
        }
    }
}

void DeviceChannels::restart(const QString& keyName)
{
    device::DeviceClient* existing = client(keyName);
    const std::optional<device::DeviceAccount> account = m_accounts->find(keyName);
    if (!existing || !account) {
        return;
    }
    m_errors.remove(keyName);
    existing->start(*account);
}

QList<device::DeviceClient*> DeviceChannels::clients() const
{
    QList<device::DeviceClient*> list;
    const QList<device::DeviceAccount> accounts = m_accounts->accounts();
    for (const device::DeviceAccount& account : accounts) {
        if (device::DeviceClient* found = m_clients.value(account.keyName)) {
            list.append(found);
        }
    }
    return list;
}

device::DeviceClient* DeviceChannels::client(const QString& keyName) const
{
    return m_clients.value(keyName);
}

QString DeviceChannels::statusText(const QString& keyName) const
{
    const device::DeviceClient* found = client(keyName);
    if (!found) {
        return tr("Not running");
    }
    if (found->state() == device::DeviceClient::State::Failed && m_errors.contains(keyName)) {
        return tr("Stopped: %1").arg(m_errors.value(keyName));
    }
    return stateText(found->state());
}

device::DeviceClient* DeviceChannels::startClient(const device::DeviceAccount& account)
{
    auto* client = new device::DeviceClient(*m_keystore, this);
    const QString keyName = account.keyName;
    m_clients.insert(keyName, client);
    connect(client, &device::DeviceClient::stateChanged, this, [this, keyName](device::DeviceClient::State state) {
        if (state == device::DeviceClient::State::Online) {
            m_errors.remove(keyName);
        }
        Q_EMIT statusChanged();
    });
    connect(client, &device::DeviceClient::failed, this, [this, keyName](const Error& error) {
        m_errors.insert(keyName, error.message);
        Q_EMIT statusChanged();
    });
    Q_EMIT clientAdded(client);
    client->start(account);
    Q_EMIT statusChanged();
    return client;
}

void DeviceChannels::dropClient(const QString& keyName)
{
    device::DeviceClient* client = m_clients.take(keyName);
    m_errors.remove(keyName);
    if (client) {
        client->disconnect(this);
        client->stop();
        client->deleteLater(); // the caller may sit in one of its signals
    }
}

void DeviceChannels::pair(const device::PairingLink& link, const QString& deviceName, QObject* context,
                          PairingDone done)
{
    auto* pairer = new device::DeviceClient(*m_keystore, this);
    const QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    connect(pairer, &device::DeviceClient::paired, this,
            [this, pairer, guard, hadContext, done](const device::DeviceAccount& account) {
                pairer->disconnect(this);
                pairer->deleteLater();
                if (!hadContext || guard) {
                    finishPairing(account, guard, done);
                } else {
                    finishPairing(account, nullptr, {});
                }
            });
    connect(pairer, &device::DeviceClient::pairingFailed, this,
            [this, pairer, guard, hadContext, done](const Error& error) {
                pairer->disconnect(this);
                pairer->deleteLater();
                qCWarning(lcChannels).noquote() << "pairing failed:" << error.code;
                deliver(guard, hadContext, done, Result<PairingOutcome>(error));
            });
    pairer->pair(link, deviceName);
}

void DeviceChannels::finishPairing(const device::DeviceAccount& account, QObject* context, const PairingDone& done)
{
    QList<device::DeviceAccount> older = m_accounts->sameAccount(account.server, account.user);
    older.removeIf([&account](const device::DeviceAccount& other) { return other.keyName == account.keyName; });
    // The new pairing is remembered first: whatever happens next, it is not lost.
    m_accounts->add(account);
    startClient(account);
    for (const device::DeviceAccount& old : std::as_const(older)) {
        dropClient(old.keyName);
        m_accounts->remove(old.keyName);
        Q_EMIT clientRemoved(old.keyName);
    }
    Q_EMIT statusChanged();

    struct Progress final {
        PairingOutcome outcome;
        qsizetype waiting = 0;
    };
    auto progress = std::make_shared<Progress>();
    progress->outcome.account = account;
    progress->outcome.replaced = older;
    progress->waiting = older.size();
    const QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    if (older.isEmpty()) {
        deliver(guard, hadContext, done, Result<PairingOutcome>(progress->outcome));
        return;
    }
    for (const device::DeviceAccount& old : std::as_const(older)) {
        m_keystore->remove(old.keyName, [progress, guard, hadContext, done](const Result<void>& removed) {
            if (!removed) {
                progress->outcome.warning =
                    tr("The key of the replaced pairing could not be removed from the keychain: %1")
                        .arg(removed.error().message);
            }
            if (--progress->waiting == 0) {
                deliver(guard, hadContext, done, Result<PairingOutcome>(progress->outcome));
            }
        });
    }
}

void DeviceChannels::unpair(const QString& keyName, QObject* context, UnpairDone done)
{
    const QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    const std::optional<device::DeviceAccount> account = m_accounts->find(keyName);
    if (!account) {
        deliver(guard, hadContext, done,
                Result<void>(Error{QStringLiteral("unknown_account"), tr("This pairing is no longer on this computer.")}));
        return;
    }
    // Stopped first, so that nothing is approved with a key that is on its way out.
    if (device::DeviceClient* running = client(keyName)) {
        running->stop();
    }
    m_keystore->remove(keyName, [this, keyName, guard, hadContext, done](const Result<void>& removed) {
        if (!removed) {
            qCWarning(lcChannels).noquote() << "could not remove a device key:" << removed.error().code;
            // The key is still there, and so is the account: it keeps working.
            restart(keyName);
            deliver(guard, hadContext, done,
                    Result<void>(Error{removed.error().code,
                                       tr("The device key could not be removed from the keychain, so the pairing "
                                          "was kept: %1")
                                           .arg(removed.error().message)}));
            return;
        }
        qCInfo(lcChannels) << "unpaired an account";
        dropClient(keyName);
        m_accounts->remove(keyName);
        Q_EMIT clientRemoved(keyName);
        Q_EMIT statusChanged();
        deliver(guard, hadContext, done, Result<void>::success());
    });
}

} // namespace handoff::app
