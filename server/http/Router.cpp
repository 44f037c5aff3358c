#include "server/http/Router.h"

#include <QUrl>

namespace handoff::server {

void Router::add(QByteArray method, QByteArrayView pattern, Handler handler)
{
    m_routes.append({std::move(method), pattern.toByteArray().split('/'), std::move(handler)});
}

bool Router::match(const Route& route, const QList<QByteArray>& segments, QStringList* params)
{
    if (route.segments.size() != segments.size()) {
        return false;
    }
    QStringList captured;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        if (route.segments.at(i) == "{}") {
            if (segments.at(i).isEmpty()) {
                return false;
            }
            captured.append(QUrl::fromPercentEncoding(segments.at(i)));
        } else if (route.segments.at(i) != segments.at(i)) {
            return false;
        }
    }
    *params = captured;
    return true;
}

HttpResponse Router::route(const HttpRequest& request) const
{
    const QList<QByteArray> segments = request.path.split('/');
    const QByteArray method = request.method == "HEAD" ? QByteArray("GET") : request.method;
    QByteArrayList allowed;
    for (const Route& route : m_routes) {
        QStringList params;
        if (!match(route, segments, &params)) {
            continue;
        }
        if (route.method == method) {
            return route.handler(request, params);
        }
        allowed.append(route.method);
        if (route.method == "GET") {
            allowed.append("HEAD");
        }
    }
    if (!allowed.isEmpty()) {
        HttpResponse response = HttpResponse::error(
            405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 is not allowed here; use %2")
                .arg(QString::fromLatin1(request.method), QString::fromLatin1(allowed.join(", "))));
        response.setHeader("Allow", allowed.join(", "));
        return response;
    }
    return HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint"));
}

} // namespace handoff::server
