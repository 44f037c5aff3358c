#pragma once

// Everything the server can be told, with defaults that work on one machine with
// no file. resolve() merges the three sources in order of precedence: command-line
// flags over HANDOFF_* environment over a config file. Pure: no I/O.

#include "core/common/Result.h"
#include "server/ciba/CibaLimits.h"

#include <QHostAddress>
#include <QMap>
#include <QString>
#include <QUrl>

namespace handoff::server {

struct ServerConfig final {
    // Network
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 8420; // 0 picks a free port (tests)
    QUrl publicUrl;            // empty: derived from the listen address once bound
    QString dataDir;           // empty: the platform's app-data location
    QString tlsCertFile;
    QString tlsKeyFile;

    // HTTP limits
    qint64 maxHeaderBytes = 16 * 1024;
    qint64 maxBodyBytes = 64 * 1024;
    int requestTimeoutMs = 15'000; // a started request must complete within this (slowloris)
    int idleTimeoutMs = 60'000;    // keep-alive connection with no request
    int maxConnections = 4096;          // open sockets in all, HTTP and WebSocket
    int maxConnectionsPerSource = 256;  // open sockets from one IPv4 address or IPv6 /64

    // Sessions
    int minTtlSeconds = 30;
    int maxTtlSeconds = 3600;
    int defaultTtlSeconds = 600;
    int sessionsPerMinute = 60; // POST /session per API key

    // Relay
    qint64 maxTextMessageBytes = 64 * 1024;
    qint64 maxBinaryMessageBytes = 4 * 1024 * 1024;
    int viewerMessagesPerSecond = 200;
    int pingIntervalMs = 15'000;
    int pongTimeoutMs = 45'000;
    int viewerKeyTimeoutMs = 10'000;           // a reconnecting viewer must present its key within this
    int resolvedAgentGraceMs = 10'000; // after a resolve, the agent has this long to close its socket
    qint64 viewerBufferBytes = 256 * 1024;     // above this, stale frames are dropped for that viewer
    qint64 maxSocketBufferBytes = 32 * 1024 * 1024; // above this a peer that does not read is closed

    // CIBA ping and push notifications: retries back off from the initial delay,
    // doubling up to the maximum, for at most the period; each attempt has the timeout.
    int notificationRetryInitialMs = 1000;
    int notificationRetryMaxMs = 5 * 60 * 1000;
    int notificationRetryPeriodMs = 24 * 3600 * 1000;
    int notificationTimeoutMs = 10'000;
    int notificationConcurrency = 8; // attempts under way at once
    // CIBA: the prompt-bombing block, the user_code lock and the per-client request
    // rate (defaults in DenialBlockPolicy, UserCodeLockPolicy and CibaLimits)
    DenialBlockPolicy denialBlock;
    UserCodeLockPolicy userCodeLock;
    int cibaRequestsPerMinute = CibaLimits::DefaultRequestsPerMinute; // POST /bc-authorize per client

    CibaLimits cibaLimits() const { return CibaLimits{denialBlock, userCodeLock, cibaRequestsPerMinute}; }

    // Demo site (server/demo/): off unless asked for
    bool demo = false;    // serve the Northwind Bank demo under /demo/
    QString demoCodeFile; // also write each demo one-time code to this file

    bool tlsEnabled() const { return !tlsCertFile.isEmpty(); }

    struct Option final {
        QString name; // flag name without "--"; env is HANDOFF_ + upper-case with '_' for '-'
        QString valueName; // empty for a switch (--demo), which takes no value on the command line
        QString help;
    };
    static const QList<Option>& options();
    static QString envName(const QString& optionName);

    // Each map holds option name -> raw text. Unknown names are an error.
    static Result<ServerConfig> resolve(const QMap<QString, QString>& flags, const QMap<QString, QString>& env,
                                        const QMap<QString, QString>& file);
};

} // namespace handoff::server
