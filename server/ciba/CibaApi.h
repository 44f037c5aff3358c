#pragma once

// The CIBA backchannel authentication endpoint (CIBA Core 7), POST /bc-authorize,
// form-encoded, with client_secret_basic or client_secret_post. Answers
// 200 {auth_req_id, expires_in, interval} or an error {error, error_description}:
//   400 invalid_request, invalid_scope, unknown_user_id, missing_user_code,
//       invalid_user_code, invalid_binding_message; 401 invalid_client;
//   403 access_denied (no paired device, or already MaxPendingPerUser requests
//       waiting for the person: the OP denies without asking, against prompt bombing).
// login_hint_token and id_token_hint are not supported (invalid_request), so
// expired_login_hint_token never arises. A new request goes at once, as an
// approval_request, to the user's online devices.

#include "server/http/Router.h"

#include <QMap>
#include <QString>

#include <optional>

namespace handoff::server {

class ClientStore;
class Database;
class DeviceHub;
class DeviceStore;
class UserStore;
struct ClientRecord;

class CibaApi final {
public:
    CibaApi(Database& database, ClientStore& clients, UserStore& users, DeviceStore& devices, DeviceHub& hub);
    void registerRoutes(Router& router);

    static constexpr int MaxPendingPerUser = 3;
    static constexpr int DefaultExpirySeconds = 300;
    static constexpr int MaxExpirySeconds = 1800;
    static constexpr qsizetype MaxNotificationTokenLength = 1024;

    static HttpResponse oauthError(int status, const QString& code, const QString& description);

private:
    HttpResponse backchannelAuthenticate(const HttpRequest& request);
    // The authenticated client, or the 400/401 to answer with.
    std::optional<ClientRecord> authenticateClient(const HttpRequest& request, const QMap<QString, QString>& form,
                                                   HttpResponse* failure);

    Database& m_database;
    ClientStore& m_clients;
    UserStore& m_users;
    DeviceStore& m_devices;
    DeviceHub& m_hub;
};

} // namespace handoff::server
