#pragma once

// Maps method and path to a handler. Patterns are literal segments and "{}"
// placeholders, whose (percent-decoded) values reach the handler in order.
// Unknown paths answer 404, known paths with another method 405 with Allow;
// HEAD is served by the GET handler.

#include "server/http/HttpRequest.h"
#include "server/http/HttpResponse.h"

#include <QStringList>

#include <functional>

namespace handoff::server {

class Router final {
public:
    using Handler = std::function<HttpResponse(const HttpRequest& request, const QStringList& params)>;

    void add(QByteArray method, QByteArrayView pattern, Handler handler);
    HttpResponse route(const HttpRequest& request) const;

private:
    struct Route final {
        QByteArray method;
        QList<QByteArray> segments; // "{}" for a placeholder
        Handler handler;
    };
    static bool match(const Route& route, const QList<QByteArray>& segments, QStringList* params);

    QList<Route> m_routes;
};

} // namespace handoff::server
