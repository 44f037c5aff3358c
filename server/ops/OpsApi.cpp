#include "server/ops/OpsApi.h"

#include "server/app/Logging.h"
#include "server/ops/LandingPage.h"
#include "server/ops/Metrics.h"
#include "server/session/SessionService.h"
#include "server/store/Database.h"
#include "server/store/SessionStore.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace handoff::server {

OpsApi::OpsApi(Database& database, SessionStore& store, SessionService& sessions, Metrics& metrics, QString publicBase,
               std::function<qint64()> httpConnections)
    : m_database(database)
    , m_store(store)
    , m_sessions(sessions)
    , m_metrics(metrics)
    , m_publicBase(std::move(publicBase))
    , m_httpConnections(std::move(httpConnections))
{
}

void OpsApi::registerRoutes(Router& router)
{
    router.add("GET", "/healthz", [this](const HttpRequest&, const QStringList&) { return health(); });
    router.add("GET", "/metrics", [this](const HttpRequest&, const QStringList&) { return metrics(); });
    router.add("GET", "/s/{}", [this](const HttpRequest&, const QStringList& params) { return landing(params.at(0)); });
    router.add("GET", "/", [](const HttpRequest&, const QStringList&) {
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("name"), QStringLiteral("handoff-server")},
                                                   {QStringLiteral("version"), QCoreApplication::applicationVersion()}});
    });
}

HttpResponse OpsApi::health()
{
    QSqlQuery query(m_database.handle());
    if (!query.exec(QStringLiteral("SELECT 1")) || !query.next()) {
        return HttpResponse::json(503, QJsonObject{{QStringLiteral("status"), QStringLiteral("unavailable")},
                                                   {QStringLiteral("database"), QStringLiteral("error")}});
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
}

HttpResponse OpsApi::metrics()
{
    Result<QMap<SessionStatus, qint64>> counts = m_store.countByStatus();
    if (!counts) {
        qCWarning(lcServer).noquote() << counts.error().message;
        return HttpResponse::error(503, QStringLiteral("unavailable"), QStringLiteral("the database cannot be read"));
    }
    QByteArray text = m_metrics.render(*counts, m_httpConnections());
    for (const auto& source : std::as_const(m_metricsSources)) {
        text += source();
    }
    HttpResponse response = HttpResponse::text(200, "text/plain; version=0.0.4; charset=utf-8", text);
    response.setHeader("Cache-Control", "no-store");
    return response;
}

HttpResponse OpsApi::landing(const QString& sessionId)
{
    if (!SessionService::isWellFormedId(sessionId.toLatin1())) {
        return LandingPage::render(LandingPage::State::Unknown, QString(), m_publicBase);
    }
    Result<std::optional<SessionRecord>> found = m_sessions.find(sessionId);
    if (!found || !found->has_value()) {
        return LandingPage::render(LandingPage::State::Unknown, QString(), m_publicBase);
    }
    const bool ended = isTerminal((*found)->status);
    return LandingPage::render(ended ? LandingPage::State::Ended : LandingPage::State::Live, sessionId, m_publicBase);
}

} // namespace handoff::server
