#pragma once

// OAuth client authentication for the CIBA OP's endpoints (/bc-authorize, /token,
// /introspect, /revoke): client_secret_basic (RFC 6749 2.3.1, with the
// form-encoded id and secret inside Basic) or client_secret_post, never both.
// A failure is the response to send: 400 invalid_request for two methods at
// once, else 401 invalid_client (with WWW-Authenticate: Basic when Basic was tried).

#include "server/http/HttpRequest.h"
#include "server/http/HttpResponse.h"

#include <QMap>
#include <QString>

#include <optional>

namespace handoff::server {

class ClientStore;
struct ClientRecord;

class ClientAuthenticator final {
public:
    explicit ClientAuthenticator(ClientStore& clients) : m_clients(clients) {}

    std::optional<ClientRecord> authenticate(const HttpRequest& request, const QMap<QString, QString>& form,
                                             HttpResponse* failure);

private:
    ClientStore& m_clients;
};

} // namespace handoff::server
