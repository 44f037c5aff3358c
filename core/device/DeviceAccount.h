#pragma once

// What the app remembers about one pairing, none of it secret: the server, the
// device id the server gave, the user, the device's name and the name of the
// keychain entry that holds the device's private key.

#include "core/common/Result.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace handoff::device {

struct DeviceAccount final {
    QUrl server;
    QString deviceId;
    QString user;
    QString deviceName;
    QString keyName; // keychain entry of the PKCS#8 private key

    bool isValid() const { return server.isValid() && !deviceId.isEmpty() && !keyName.isEmpty(); }
    // ws(s)://.../device
    QUrl channelUrl() const;
    QJsonObject toJson() const;
    static Result<DeviceAccount> fromJson(const QJsonObject& object);
};

} // namespace handoff::device
