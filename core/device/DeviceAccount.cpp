#include "core/device/DeviceAccount.h"

namespace handoff::device {

QUrl DeviceAccount::channelUrl() const
{
    QUrl url = server;
    url.setScheme(server.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    QString path = server.path();
    while (path.endsWith(QLatin1Char('/'))) {
        path.chop(1);
    }
    url.setPath(path + QStringLiteral("/device"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

QJsonObject DeviceAccount::toJson() const
{
    return QJsonObject{
        {QStringLiteral("server"), server.toString(QUrl::FullyEncoded)},
        {QStringLiteral("device_id"), deviceId},
        {QStringLiteral("user"), user},
        {QStringLiteral("device_name"), deviceName},
        {QStringLiteral("key_name"), keyName},
    };
}

Result<DeviceAccount> DeviceAccount::fromJson(const QJsonObject& object)
{
    DeviceAccount account;
    account.server = QUrl(object.value(QStringLiteral("server")).toString(), QUrl::StrictMode);
    account.deviceId = object.value(QStringLiteral("device_id")).toString();
    account.user = object.value(QStringLiteral("user")).toString();
    account.deviceName = object.value(QStringLiteral("device_name")).toString();
    account.keyName = object.value(QStringLiteral("key_name")).toString();
    if (!account.isValid()
        || (account.server.scheme() != QLatin1String("http") && account.server.scheme() != QLatin1String("https"))) {
        return Error{QStringLiteral("invalid_account"), QStringLiteral("the saved pairing is incomplete")};
    }
    return account;
}

} // namespace handoff::device
