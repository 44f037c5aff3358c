#pragma once

// The endpoints that are not the agent API: GET /healthz, GET /metrics (Prometheus
// text), GET / (what this is), GET /s/<id> (the landing page of a session link).

#include "server/http/Router.h"

#include <QList>

#include <functional>

namespace handoff::server {

class Database;
class Metrics;
class SessionService;
class SessionStore;

class OpsApi final {
public:
    OpsApi(Database& database, SessionStore& store, SessionService& sessions, Metrics& metrics, QString publicBase,
           std::function<qint64()> httpConnections);

    void registerRoutes(Router& router);
    // More Prometheus text for /metrics, from a part of the server that keeps its own.
    void addMetricsSource(std::function<QByteArray()> source) { m_metricsSources.append(std::move(source)); }

private:
    HttpResponse health();
    HttpResponse metrics();
    HttpResponse landing(const QString& sessionId);

    Database& m_database;
    SessionStore& m_store;
    SessionService& m_sessions;
    Metrics& m_metrics;
    QString m_publicBase;
    std::function<qint64()> m_httpConnections;
    QList<std::function<QByteArray()>> m_metricsSources;
};

} // namespace handoff::server
