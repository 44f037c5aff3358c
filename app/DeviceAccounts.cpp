#include "app/DeviceAccounts.h"

#include "core/device/DeviceStatements.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSettings>

namespace handoff::app {

namespace {

Q_LOGGING_CATEGORY(lcAccounts, "handoff.accounts", QtInfoMsg)

const QString SettingsKey = QStringLiteral("devices/accounts");

} // namespace

DeviceAccounts::DeviceAccounts(QSettings* settings, QObject* parent) : QObject(parent), m_settings(settings) {}

QList<device::DeviceAccount> DeviceAccounts::accounts() const
{
    QList<device::DeviceAccount> list;
    const QStringList saved = m_settings->value(SettingsKey).toStringList();
    for (const QString& text : saved) {
        Result<device::DeviceAccount> account =
            device::DeviceAccount::fromJson(QJsonDocument::fromJson(text.toUtf8()).object());
        if (account) {
            list.append(*account);
        } else {
            qCWarning(lcAccounts) << "skipped a saved pairing that cannot be read";
        }
    }
    return list;
}

std::optional<device::DeviceAccount> DeviceAccounts::find(const QString& keyName) const
{
    const QList<device::DeviceAccount> list = accounts();
    for (const device::DeviceAccount& account : list) {
        if (account.keyName == keyName) {
            return account;
        }
    }
    return std::nullopt;
}

QList<device::DeviceAccount> DeviceAccounts::onServer(const QUrl& server) const
{
    const QString identity = device::DeviceStatements::serverIdentity(server);
    QList<device::DeviceAccount> found;
    const QList<device::DeviceAccount> list = accounts();
    for (const device::DeviceAccount& account : list) {
        if (device::DeviceStatements::serverIdentity(account.server) == identity) {
            found.append(account);
        }
    }
    return found;
}

QList<device::DeviceAccount> DeviceAccounts::sameAccount(const QUrl& server, const QString& user) const
{
    QList<device::DeviceAccount> found = onServer(server);
    found.removeIf([&user](const device::DeviceAccount& account) {
        return account.user.compare(user, Qt::CaseInsensitive) != 0;
    });
    return found;
}

void DeviceAccounts::add(const device::DeviceAccount& account)
{
    QList<device::DeviceAccount> list = accounts();
    list.removeIf([&account](const device::DeviceAccount& other) { return other.keyName == account.keyName; });
    list.append(account);
    save(list);
}

void DeviceAccounts::remove(const QString& keyName)
{
    QList<device::DeviceAccount> list = accounts();
    if (list.removeIf([&keyName](const device::DeviceAccount& account) { return account.keyName == keyName; }) > 0) {
        save(list);
    }
}

QString DeviceAccounts::hostOf(const QUrl& server)
{
    QString host = server.host();
    if (host.contains(QLatin1Char(':'))) {
        host = QLatin1Char('[') + host + QLatin1Char(']'); // IPv6
    }
    const int defaultPort = server.scheme() == QLatin1String("https") ? 443 : 80;
    const int port = server.port(defaultPort);
    return port == defaultPort ? host : QStringLiteral("%1:%2").arg(host).arg(port);
}

QString DeviceAccounts::label(const device::DeviceAccount& account)
{
    return tr("%1 on %2").arg(account.user, hostOf(account.server));
}

void DeviceAccounts::save(const QList<device::DeviceAccount>& accounts)
{
    QStringList saved;
    for (const device::DeviceAccount& account : accounts) {
        saved.append(QString::fromUtf8(QJsonDocument(account.toJson()).toJson(QJsonDocument::Compact)));
    }
    m_settings->setValue(SettingsKey, saved);
    m_settings->sync();
    Q_EMIT changed();
}

} // namespace handoff::app
