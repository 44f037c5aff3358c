#pragma once

// Everything of PROTOCOL 4 and CIBA the server runs, behind one object that
// Server wires in: the user, device and client stores, the device API and the
// device channel, the CIBA endpoints, the expiry of unanswered requests and the
// delivery of ping and push notifications.

#include "server/ciba/CibaLimits.h"
#include "server/ciba/NotificationSettings.h"
#include "server/http/Router.h"
#include "server/store/SessionRecord.h"

#include <QUrl>

#include <memory>

class QWebSocket;

namespace handoff::server {

class ApprovalHistory;
class ApprovalService;
class CibaApi;
class ClientStore;
class Database;
class DenialBlocker;
class DeviceApi;
class DeviceHub;
class DeviceStore;
class NotificationDispatcher;
class NotificationOutbox;
class RequestExpiry;
class TokenIssuer;
class TokenStatusApi;
class UserCodeChecker;
class UserCodeGuard;
class UserStore;

class CibaModule final {
public:
    CibaModule(Database& database, const QUrl& publicUrl, const NotificationSettings& notifications = {},
               const CibaLimits& limits = {});

    ~CibaModule();
    Q_DISABLE_COPY_MOVE(CibaModule)

    void registerRoutes(Router& router);
    static bool isDevicePath(const QByteArray& path);
    // A WebSocket upgraded on a device path; takes ownership.
    void acceptDeviceSocket(QWebSocket* socket);
    // Expires what passed its time while the server was down and resumes pending notifications.
    void start();
    void shutdown();
    // The CIBA part of /metrics (Prometheus text).
    QByteArray renderMetrics();
    // A session named a login_hint: that user's online devices get a session_request.
    void onSessionCreated(const SessionRecord& record, const QString& sessionUrl);

private:
    std::unique_ptr<UserStore> m_users;
    std::unique_ptr<DeviceStore> m_devices;
    std::unique_ptr<ClientStore> m_clients;
    std::unique_ptr<TokenIssuer> m_tokens;
    std::unique_ptr<NotificationOutbox> m_outbox;
    std::unique_ptr<DeviceApi> m_deviceApi;
    std::unique_ptr<DeviceHub> m_deviceHub;
    std::unique_ptr<DenialBlocker> m_blocker;
    std::unique_ptr<UserCodeGuard> m_userCodes;
    std::unique_ptr<UserCodeChecker> m_codeChecker;
    std::unique_ptr<CibaApi> m_cibaApi;
    std::unique_ptr<ApprovalService> m_approvals;
    std::unique_ptr<NotificationDispatcher> m_dispatcher;
    std::unique_ptr<RequestExpiry> m_expiry;
    std::unique_ptr<ApprovalHistory> m_history;
    std::unique_ptr<TokenStatusApi> m_tokenStatus;
};

} // namespace handoff::server
