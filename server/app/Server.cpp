#include "server/app/Server.h"

#include "server/app/Logging.h"
#include "server/app/PublicUrls.h"
#include "server/ciba/CibaModule.h"
#include "server/demo/DemoSite.h"
#include "server/http/HttpServer.h"
#include "server/http/Router.h"
#include "server/ops/Metrics.h"
#include "server/ops/OpsApi.h"
#include "server/relay/StreamRelay.h"
#include "server/session/ExpiryScheduler.h"
#include "server/session/SessionApi.h"
#include "server/session/SessionService.h"
#include "server/store/Database.h"
#include "server/store/SessionStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QWebSocket>

namespace handoff::server {

QString Server::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString Server::dataDirectory(const QString& dataDir)
{
    return dataDir.isEmpty() ? defaultDataDir() : dataDir;
}

QString Server::databasePathIn(const QString& dataDir)
{
    return QDir(dataDirectory(dataDir)).filePath(databaseFileName());
}

Result<std::unique_ptr<Database>> Server::openDatabase(const QString& dataDir)
{
    const QString directory = QDir::cleanPath(dataDirectory(dataDir));
    const QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
    // A new data directory is made owner-only at once, not after.
    if (directory.isEmpty() || !QDir().mkpath(QFileInfo(directory).absolutePath())
        || (!QFileInfo(directory).isDir() && !QDir().mkdir(directory, ownerOnly))) {
        return Error{QStringLiteral("data_dir"), QStringLiteral("cannot create the data directory \"%1\"").arg(directory)};
    }
    QFile::setPermissions(directory, ownerOnly);
    return Database::open(databasePathIn(directory));
}

Result<std::unique_ptr<Server>> Server::create(const ServerConfig& config, QObject* parent)
{
    Result<std::unique_ptr<Database>> database = openDatabase(config.dataDir);
    if (!database) {
        return database.error();
    }
    return std::unique_ptr<Server>(new Server(config, dataDirectory(config.dataDir), std::move(*database), parent));
}

Server::Server(ServerConfig config, QString dataDir, std::unique_ptr<Database> database, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_dataDir(std::move(dataDir))
    , m_database(std::move(database))
    , m_keys(std::make_unique<ApiKeyStore>(*m_database))
    , m_store(std::make_unique<SessionStore>(*m_database))
    , m_metrics(std::make_unique<Metrics>())
    , m_router(std::make_unique<Router>())
{
    m_sessions = new SessionService(*m_store, this);
    m_expiry = new ExpiryScheduler(*m_sessions, *m_store, this);
    RelayLimits limits;
    limits.maxTextMessageBytes = m_config.maxTextMessageBytes;
    limits.maxBinaryMessageBytes = m_config.maxBinaryMessageBytes;
    limits.viewerMessagesPerSecond = m_config.viewerMessagesPerSecond;
    limits.pingIntervalMs = m_config.pingIntervalMs;
    limits.pongTimeoutMs = m_config.pongTimeoutMs;
    limits.viewerKeyTimeoutMs = m_config.viewerKeyTimeoutMs;
    limits.resolvedAgentGraceMs = m_config.resolvedAgentGraceMs;
    limits.viewerBufferBytes = m_config.viewerBufferBytes;
    limits.maxSocketBufferBytes = m_config.maxSocketBufferBytes;
    m_relay = new StreamRelay(*m_sessions, limits, *m_metrics, this);
}

Server::~Server()
{
    // Sockets and timers go before the stores they use.
    delete m_http;
    delete m_relay;
    delete m_expiry;
    delete m_sessions;
}

quint16 Server::port() const
{
    return m_http ? m_http->serverPort() : 0;
}

QString Server::databasePath() const
{
    return databasePathIn(m_dataDir);
}

Result<void> Server::start()
{
    HttpServer::Options options;
    options.limits.maxHeaderBytes = m_config.maxHeaderBytes;
    options.limits.maxBodyBytes = m_config.maxBodyBytes;
    options.requestTimeoutMs = m_config.requestTimeoutMs;
    options.idleTimeoutMs = m_config.idleTimeoutMs;
    options.maxConnections = m_config.maxConnections;
    options.maxConnectionsPerSource = m_config.maxConnectionsPerSource;
    if (m_config.tlsEnabled()) {
        Result<QSslConfiguration> tls = HttpServer::loadTls(m_config.tlsCertFile, m_config.tlsKeyFile);
        if (!tls) {
            return tls.error();
        }
        options.tls = *tls;
    }
    m_http = new HttpServer(options, this);
    Result<void> listening = m_http->listen(m_config.listenAddress, m_config.listenPort);
    if (!listening) {
        return listening;
    }

    if (m_config.publicUrl.isValid() && !m_config.publicUrl.isEmpty()) {
        m_publicUrl = m_config.publicUrl;
    } else {
        QHostAddress host = m_config.listenAddress;
        if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4) {
            host = QHostAddress(QHostAddress::LocalHost);
            qCWarning(lcServer) << "listening on all interfaces without --public-url: links will name 127.0.0.1";
        } else if (host == QHostAddress::AnyIPv6) {
            host = QHostAddress(QHostAddress::LocalHostIPv6);
        }
        m_publicUrl.setScheme(m_config.tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http"));
        m_publicUrl.setHost(host.toString());
        m_publicUrl.setPort(m_http->serverPort());
    }
    const PublicUrls urls(m_publicUrl);

    CreateSessionRequest::TtlLimits ttl{m_config.minTtlSeconds, m_config.maxTtlSeconds, m_config.defaultTtlSeconds};
    m_sessionApi = std::make_unique<SessionApi>(*m_keys, *m_sessions, urls, ttl, m_config.sessionsPerMinute);
    m_sessionApi->registerRoutes(*m_router);
    m_sessionApi->setCreatedHook([this](const SessionRecord& record, const QString& sessionUrl) {
        m_ciba->onSessionCreated(record, sessionUrl);
    });
    m_opsApi = std::make_unique<OpsApi>(*m_database, *m_store, *m_sessions, *m_metrics, urls.base(),
                                        [this] { return qint64(m_http->openConnections()); });
    m_opsApi->registerRoutes(*m_router);
    NotificationSettings notifications;
    notifications.retryInitialMs = m_config.notificationRetryInitialMs;
    notifications.retryMaxMs = m_config.notificationRetryMaxMs;
    notifications.retryPeriodMs = m_config.notificationRetryPeriodMs;
    notifications.attemptTimeoutMs = m_config.notificationTimeoutMs;
    notifications.maxInFlight = m_config.notificationConcurrency;
    m_ciba = std::make_unique<CibaModule>(*m_database, m_publicUrl, notifications, m_config.cibaLimits());
    m_ciba->registerRoutes(*m_router);
    m_opsApi->addMetricsSource([this] { return m_http ? m_http->renderMetrics() : QByteArray(); });
    m_opsApi->addMetricsSource([this] { return m_ciba->renderMetrics(); });
    if (m_config.demo) {
        DemoSite::Options demo;
        demo.secureCookies = m_publicUrl.scheme() == QLatin1String("https");
        demo.codeFile = m_config.demoCodeFile;
        m_demo = std::make_unique<DemoSite>(std::move(demo));
        m_demo->registerRoutes(*m_router);
    }
    // Stream paths are only for WebSockets; a plain request there is told so.
    m_router->add("GET", "/stream/{}", [](const HttpRequest&, const QStringList&) {
        HttpResponse response = HttpResponse::error(426, QStringLiteral("upgrade_required"),
                                                    QStringLiteral("this endpoint speaks WebSocket only"));
        response.setHeader("Upgrade", "websocket");
        return response;
    });

    m_http->setHandler([this](const HttpRequest& request) {
        HttpResponse response = m_router->route(request);
        m_metrics->httpResponse(response.status);
        return response;
    });
    m_http->setUpgradeFilter(
        [](const QByteArray& path) { return StreamRelay::isStreamPath(path) || CibaModule::isDevicePath(path); });
    connect(m_http, &HttpServer::webSocketConnected, this, [this](QWebSocket* socket) {
        if (CibaModule::isDevicePath(socket->requestUrl().path(QUrl::FullyEncoded).toLatin1())) {
            m_ciba->acceptDeviceSocket(socket);
        } else {
            m_relay->accept(socket);
        }
    });

    Result<qint64> keyCount = m_keys->count();
    if (!keyCount) {
        return keyCount.error();
    }
    if (*keyCount == 0) {
        Result<NewApiKey> created = m_keys->create(QStringLiteral("default"));
        if (!created) {
            return created.error();
        }
        m_firstKey = *created;
    }
    m_expiry->start();
    m_ciba->start();
    qCInfo(lcServer).noquote() << "listening on" << m_config.listenAddress.toString() << "port" << m_http->serverPort()
                               << (m_config.tlsEnabled() ? "with TLS," : "without TLS,") << "public URL" << urls.base();
    return {};
}

void Server::shutdown()
{
    qCInfo(lcServer) << "shutting down";
    if (m_http) {
        delete m_http;
        m_http = nullptr;
    }
    m_relay->shutdown();
    if (m_ciba) {
        m_ciba->shutdown();
    }
}

} // namespace handoff::server
