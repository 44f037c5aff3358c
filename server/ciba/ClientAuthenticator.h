#pragma once

// OAuth client authentication for the CIBA OP's endpoints (/bc-authorize, /token,
// /introspect, /revoke): client_secret_basic (RFC 6749 2.3.1, with the
// form-encoded id and secret inside Basic) or client_secret_post, never both.
// A failure is the response to send: 400 invalid_request for two methods at
// once, else 401 invalid_client (with WWW-Authenticate: Basic when Basic was tried).
// accept() is what each of those endpoints does first: the body must be
// application/x-www-form-urlencoded and parse as an OAuth form (OAuthForm; 400
// invalid_request otherwise), then the client is authenticated with it.

#include "server/ciba/ClientStore.h"
#include "server/http/HttpRequest.h"
#include "server/http/HttpResponse.h"

#include <QMap>
#include <QString>

#include <optional>

namespace handoff::server {

class ClientAuthenticator final {
public:
    // A client's form-encoded request to one of the endpoints.
    struct ClientRequest final {
        QMap<QString, QString> form;
        ClientRecord client;
    };

    explicit ClientAuthenticator(ClientStore& clients) : m_clients(clients) {}

    // The form and the authenticated client, or the failure to answer with.
    std::optional<ClientRequest> accept(const HttpRequest& request, HttpResponse* failure);

private:
    std::optional<ClientRecord> authenticate(const HttpRequest& request, const QMap<QString, QString>& form,
                                             HttpResponse* failure);

    ClientStore& m_clients;
};

} // namespace handoff::server
