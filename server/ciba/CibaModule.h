#pragma once

// Everything of PROTOCOL 4 and CIBA the server runs, behind one object that
// Server wires in: the user, device and client stores and the device API.

#include "server/http/Router.h"

#include <QUrl>

#include <memory>

namespace handoff::server {

class ClientStore;
class Database;
class DeviceApi;
class DeviceStore;
class UserStore;

class CibaModule final {
public:
    CibaModule(Database& database, const QUrl& publicUrl);
    ~CibaModule();
    Q_DISABLE_COPY_MOVE(CibaModule)

    void registerRoutes(Router& router);

private:
    std::unique_ptr<UserStore> m_users;
    std::unique_ptr<DeviceStore> m_devices;
    std::unique_ptr<ClientStore> m_clients;
    std::unique_ptr<DeviceApi> m_deviceApi;
};

} // namespace handoff::server
