#include "server/ciba/CibaModule.h"

#include "core/device/DeviceStatements.h"
#include "core/device/SessionRequestNotice.h"
#include "server/ciba/ApprovalHistory.h"
#include "server/ciba/ApprovalService.h"
#include "server/ciba/CibaApi.h"
#include "server/ciba/ClientStore.h"
#include "server/device/DeviceApi.h"
#include "server/device/DeviceHub.h"
#include "server/device/DeviceStore.h"
#include "server/device/UserStore.h"
#include "server/session/SessionJson.h"

#include <QLoggingCategory>

namespace handoff::server {

namespace {
Q_LOGGING_CATEGORY(lcCiba, "handoff.ciba", QtInfoMsg)
}

CibaModule::CibaModule(Database& database, const QUrl& publicUrl)
    : m_users(std::make_unique<UserStore>(database))
    , m_devices(std::make_unique<DeviceStore>(database))
    , m_clients(std::make_unique<ClientStore>(database))
    , m_deviceApi(std::make_unique<DeviceApi>(*m_devices, *m_users,
                                              device::DeviceStatements::serverIdentity(publicUrl)))
    , m_deviceHub(std::make_unique<DeviceHub>(*m_devices, *m_users, device::DeviceStatements::serverIdentity(publicUrl)))
    , m_cibaApi(std::make_unique<CibaApi>(database, *m_clients, *m_users, *m_devices, *m_deviceHub,
                                          publicUrl.toString(QUrl::FullyEncoded)))
    , m_approvals(std::make_unique<ApprovalService>(database, *m_deviceHub,
                                                    device::DeviceStatements::serverIdentity(publicUrl)))
    , m_history(std::make_unique<ApprovalHistory>(database))
{
    m_deviceHub->setPendingProvider([this](const QString& userId) { return m_approvals->pendingFor(userId); });
    m_deviceHub->setDecisionHandler(
        [this](const DeviceRecord& device, const QJsonObject& message) { return m_approvals->decide(device, message); });
    m_deviceHub->setHistoryProvider([this](const QString& userId) { return m_history->message(userId); });
}

CibaModule::~CibaModule()
{
    m_deviceHub.reset(); // sockets first: they call into the services below
    m_approvals.reset();
    m_cibaApi.reset();
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
    m_cibaApi->registerRoutes(router);
}

} // namespace handoff::server

namespace handoff::server {

void CibaModule::onSessionCreated(const SessionRecord& record, const QString& sessionUrl)
{
    if (record.loginHint.isEmpty()) {
        return;
    }
    Result<std::optional<UserRecord>> user = m_users->findByEmail(record.loginHint);
    if (!user) {
        qCWarning(lcCiba).noquote() << user.error().message;
        return;
    }
    if (!user->has_value()) {
        return; // a hint that names no user of this server: nobody to tell
    }
    device::SessionRequestNotice notice;
    notice.sessionId = record.id;
    notice.sessionUrl = sessionUrl;
    notice.service = record.service;
    notice.hint = record.context.value(QStringLiteral("hint")).toString();
    notice.expiresAt = SessionJson::timestamp(record.expiresAtMs);
    const int reached = m_deviceHub->sendToUser((*user)->id, notice.toJson());
    // The URL holds the viewer token: it is never logged.
    qCInfo(lcCiba).noquote() << "session" << record.id << "announced to" << reached << "device connection(s)";
}

} // namespace handoff::server
