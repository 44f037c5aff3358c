#include "server/ciba/CibaModule.h"

#include "core/device/DeviceStatements.h"
#include "core/device/SessionRequestNotice.h"
#include "server/ciba/ApprovalHistory.h"
#include "server/ciba/ApprovalService.h"
#include "server/ciba/CibaApi.h"
#include "server/ciba/ClientStore.h"
#include "server/ciba/DenialBlocker.h"
#include "server/ciba/NotificationDispatcher.h"
#include "server/ciba/NotificationOutbox.h"
#include "server/ciba/RequestExpiry.h"
#include "server/ciba/TokenIssuer.h"
#include "server/ciba/TokenStatusApi.h"
#include "server/ciba/UserCodeChecker.h"
#include "server/ciba/UserCodeGuard.h"
#include "server/device/DeviceApi.h"
#include "server/device/DeviceHub.h"
#include "server/device/DeviceStore.h"
#include "server/device/UserStore.h"
#include "server/session/SessionJson.h"

#include <QDateTime>
#include <QLoggingCategory>

namespace handoff::server {

namespace {
Q_LOGGING_CATEGORY(lcCiba, "handoff.ciba", QtInfoMsg)
}

CibaModule::CibaModule(Database& database, const QUrl& publicUrl, const NotificationSettings& notifications,
                       const CibaLimits& limits)
    : m_users(std::make_unique<UserStore>(database))
    , m_devices(std::make_unique<DeviceStore>(database))
    , m_clients(std::make_unique<ClientStore>(database))
    , m_tokens(std::make_unique<TokenIssuer>(database, publicUrl.toString(QUrl::FullyEncoded)))
    , m_outbox(std::make_unique<NotificationOutbox>(database))
    , m_deviceApi(std::make_unique<DeviceApi>(*m_devices, *m_users,
                                              device::DeviceStatements::serverIdentity(publicUrl)))
    , m_deviceHub(std::make_unique<DeviceHub>(*m_devices, *m_users, device::DeviceStatements::serverIdentity(publicUrl)))
    , m_blocker(std::make_unique<DenialBlocker>(database, *m_deviceHub, limits.denialBlock))
    , m_userCodes(std::make_unique<UserCodeGuard>(database, *m_deviceHub, limits.userCodeLock))
    , m_codeChecker(std::make_unique<UserCodeChecker>())
    , m_cibaApi(std::make_unique<CibaApi>(
          CibaApi::Parts{database, *m_clients, *m_users, *m_devices, *m_deviceHub, *m_tokens, *m_outbox, *m_blocker,
                         *m_userCodes, *m_codeChecker},
          publicUrl.toString(QUrl::FullyEncoded), limits.requestsPerMinute))
    , m_approvals(std::make_unique<ApprovalService>(database, *m_deviceHub, *m_outbox,
                                                    device::DeviceStatements::serverIdentity(publicUrl)))
    , m_dispatcher(std::make_unique<NotificationDispatcher>(*m_outbox, *m_tokens, notifications))
    , m_expiry(std::make_unique<RequestExpiry>(database, *m_outbox, *m_deviceHub))
    , m_history(std::make_unique<ApprovalHistory>(database))
    , m_tokenStatus(std::make_unique<TokenStatusApi>(database, *m_clients, *m_tokens, publicUrl.toString(QUrl::FullyEncoded)))
{
    m_deviceHub->setPendingProvider([this](const QString& userId) { return m_approvals->pendingFor(userId); });
    m_deviceHub->setDecisionHandler([this](const DeviceRecord& device, const QJsonObject& message) {
        QJsonObject answer = m_approvals->decide(device, message);
        if (answer.value(QStringLiteral("accepted")).toBool()) {
            m_dispatcher->wake();
            if (message.value(QStringLiteral("decision")).toString() == device::DeviceStatements::denyWord()) {
                m_blocker->onDenied(answer.value(QStringLiteral("auth_req_id")).toString(),
                                    QDateTime::currentMSecsSinceEpoch());
            }
        }
        return answer;
    });
    m_cibaApi->setRequestCreatedHook([this](qint64 expiresAtMs) { m_expiry->requestCreated(expiresAtMs); });
    QObject::connect(m_expiry.get(), &RequestExpiry::notificationsQueued, m_dispatcher.get(),
                     &NotificationDispatcher::wake);
    // An unanswered prompt counts toward the prompt-bombing block like a denial.
    QObject::connect(m_expiry.get(), &RequestExpiry::requestExpired, m_expiry.get(),
                     [this](const QString& authReqId, qint64 nowMs) { m_blocker->onExpired(authReqId, nowMs); });
    m_deviceHub->setHistoryProvider([this](const QString& userId) { return m_history->message(userId); });
}

CibaModule::~CibaModule()
{
    m_codeChecker.reset(); // its answers call into the API below
    m_expiry.reset();
    m_dispatcher.reset();
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

void CibaModule::start()
{
    m_expiry->start();
    m_dispatcher->start();
}

void CibaModule::shutdown()
{
    m_expiry->stop();
    m_dispatcher->shutdown();
    m_deviceHub->shutdown();
}

QByteArray CibaModule::renderMetrics()
{
    return m_dispatcher->renderMetrics() + m_userCodes->renderMetrics() + m_cibaApi->renderMetrics();
}

void CibaModule::registerRoutes(Router& router)
{
    m_deviceApi->registerRoutes(router);
    m_cibaApi->registerRoutes(router);
    m_tokenStatus->registerRoutes(router);
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
