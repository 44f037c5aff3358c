#pragma once

// POST /device/pair: the app registers a device's public key with a one-time
// pairing token (PROTOCOL 4). Body {pairing_token, public_key (b64 of the 65-byte
// P-256 point), name, signature (b64url r||s over DeviceStatements::pairing)};
// the signature proves the app holds the private key of the key it registers.
//   201 {device_id, user, device_name}
//   400 invalid_request (naming the field), 401 invalid_pairing_token,
//   401 invalid_signature, 500 internal_error

#include "server/http/Router.h"

#include <QString>

namespace handoff::server {

class DeviceStore;
class UserStore;

class DeviceApi final {
public:
    DeviceApi(DeviceStore& devices, UserStore& users, QString serverIdentity);
    void registerRoutes(Router& router);

private:
    HttpResponse pair(const HttpRequest& request);

    DeviceStore& m_devices;
    UserStore& m_users;
    QString m_serverIdentity;
};

} // namespace handoff::server
