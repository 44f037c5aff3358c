#include "server/ciba/CibaModule.h"

#include "core/device/DeviceStatements.h"
#include "server/ciba/ClientStore.h"
#include "server/device/DeviceApi.h"
#include "server/device/DeviceHub.h"
#include "server/device/DeviceStore.h"
#include "server/device/UserStore.h"

namespace handoff::server {

CibaModule::CibaModule(Database& database, const QUrl& publicUrl)
    : m_users(std::make_unique<UserStore>(database))
    , m_devices(std::make_unique<DeviceStore>(database))
    , m_clients(std::make_unique<ClientStore>(database))
    , m_deviceApi(std::make_unique<DeviceApi>(*m_devices, *m_users,
                                              device::DeviceStatements::serverIdentity(publicUrl)))
    , m_deviceHub(std::make_unique<DeviceHub>(*m_devices, *m_users, device::DeviceStatements::serverIdentity(publicUrl)))
{
}

CibaModule::~CibaModule()
{
    m_deviceHub.reset(); // sockets before the stores they read
}

bool CibaModule::isDevicePath(const QByteArray& path)
{
    return DeviceHub::isDevicePath(path);
}

void CibaModule::acceptDeviceSocket(QWebSocket* socket)
{
    m_deviceHub->accept(socket);
}

void CibaModule::shutdown()
{
    m_deviceHub->shutdown();
}

void CibaModule::registerRoutes(Router& router)
{
    m_deviceApi->registerRoutes(router);
}

} // namespace handoff::server
