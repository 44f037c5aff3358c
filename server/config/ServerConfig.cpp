#include "server/config/ServerConfig.h"

#include <QRegularExpression>

#include <functional>

namespace handoff::server {

namespace {

Error invalid(const QString& option, const QString& message)
{
    return Error{QStringLiteral("invalid_config"), QStringLiteral("--%1: %2").arg(option, message)};
}

// "15s", "500ms", "2m", "1.5s", "24h"; a bare number is seconds.
std::optional<qint64> parseDurationMs(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$)"));
    const auto match = pattern.match(text);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    bool ok = false;
    const double value = match.captured(1).toDouble(&ok);
    const QString unit = match.captured(2);
    double factor = 1000.0;
    if (unit == QLatin1String("ms")) {
        factor = 1.0;
    } else if (unit == QLatin1String("m")) {
        factor = 60'000.0;
    } else if (unit == QLatin1String("h")) {
        factor = 3'600'000.0;
    }
    const double ms = value * factor;
    if (!ok || ms > 24.0 * 3600 * 1000) {
        return std::nullopt;
    }
    return static_cast<qint64>(ms);
}

// "65536", "64KiB", "4MiB", "64k", "4m".
std::optional<qint64> parseBytes(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^\s*(\d+)\s*(KiB|MiB|k|K|m|M)?\s*$)"));
    const auto match = pattern.match(text);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    bool ok = false;
    const qint64 value = match.captured(1).toLongLong(&ok);
    const QString unit = match.captured(2);
    qint64 factor = 1;
    if (unit.startsWith(QLatin1Char('K'), Qt::CaseInsensitive)) {
        factor = 1024;
    } else if (unit.startsWith(QLatin1Char('M'), Qt::CaseInsensitive)) {
        factor = 1024 * 1024;
    }
    if (!ok || value > (qint64(1) << 40) / factor) {
        return std::nullopt;
    }
    return value * factor;
}

std::optional<int> parseInt(const QString& text, int min, int max)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < min || value > max) {
        return std::nullopt;
    }
    return value;
}

Result<void> parseListen(const QString& text, ServerConfig& config)
{
    // host:port, [v6]:port
    static const QRegularExpression pattern(QStringLiteral(R"(^\s*(?:\[([0-9A-Fa-f:.]+)\]|([^:\[\]\s]+)):(\d{1,5})\s*$)"));
    const auto match = pattern.match(text);
    if (!match.hasMatch()) {
        return invalid(QStringLiteral("listen"), QStringLiteral("expected host:port or [ipv6]:port, got \"%1\"").arg(text));
    }
    QString host = match.captured(1).isEmpty() ? match.captured(2) : match.captured(1);
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        host = QStringLiteral("127.0.0.1");
    }
    QHostAddress address;
    if (!address.setAddress(host)) {
        return invalid(QStringLiteral("listen"), QStringLiteral("\"%1\" is not an IP address").arg(host));
    }
    const auto port = parseInt(match.captured(3), 0, 65535);
    if (!port) {
        return invalid(QStringLiteral("listen"), QStringLiteral("port must lie between 0 and 65535"));
    }
    config.listenAddress = address;
    config.listenPort = static_cast<quint16>(*port);
    return {};
}

Result<void> parsePublicUrl(const QString& text, ServerConfig& config)
{
    QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || url.host().isEmpty() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty()) {
        return invalid(QStringLiteral("public-url"),
                       QStringLiteral("expected an http:// or https:// URL with a host and no query, e.g. "
                                      "https://handoff.example.com"));
    }
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/'))) {
        path.chop(1);
    }
    url.setPath(path);
    config.publicUrl = url;
    return {};
}

using Setter = std::function<Result<void>(const QString& value, ServerConfig& config)>;

// Where a setter puts its value: a member of ServerConfig (a pointer to it will
// do) or of its nested denial-block or user-code-lock policy (policyField).
template <typename T>
using Field = std::function<T&(ServerConfig& config)>;

template <typename T>
Field<T> policyField(T DenialBlockPolicy::*member)
{
    return [member](ServerConfig& config) -> T& { return config.denialBlock.*member; };
}

template <typename T>
Field<T> policyField(T UserCodeLockPolicy::*member)
{
    return [member](ServerConfig& config) -> T& { return config.userCodeLock.*member; };
}

Setter durationSetter(const QString& name, Field<int> field, qint64 minMs)
{
    return [name, field, minMs](const QString& value, ServerConfig& config) -> Result<void> {
        const auto ms = parseDurationMs(value);
        if (!ms || *ms < minMs) {
            return invalid(name, QStringLiteral("expected a duration such as 15s or 500ms (at least %1 ms), got \"%2\"")
                                     .arg(minMs)
                                     .arg(value));
        }
        field(config) = static_cast<int>(*ms);
        return {};
    };
}

Setter bytesSetter(const QString& name, Field<qint64> field, qint64 min)
{
    return [name, field, min](const QString& value, ServerConfig& config) -> Result<void> {
        const auto bytes = parseBytes(value);
        if (!bytes || *bytes < min) {
            return invalid(name, QStringLiteral("expected a size such as 65536, 64KiB or 4MiB (at least %1 bytes), got \"%2\"")
                                     .arg(min)
                                     .arg(value));
        }
        field(config) = *bytes;
        return {};
    };
}

Setter intSetter(const QString& name, Field<int> field, int min, int max)
{
    return [name, field, min, max](const QString& value, ServerConfig& config) -> Result<void> {
        const auto parsed = parseInt(value, min, max);
        if (!parsed) {
            return invalid(name, QStringLiteral("expected a whole number between %1 and %2, got \"%3\"")
                                     .arg(min)
                                     .arg(max)
                                     .arg(value));
        }
        field(config) = *parsed;
        return {};
    };
}

Setter pathSetter(Field<QString> field)
{
    return [field](const QString& value, ServerConfig& config) -> Result<void> {
        field(config) = value;
        return {};
    };
}

Setter switchSetter(const QString& name, Field<bool> field)
{
    return [name, field](const QString& value, ServerConfig& config) -> Result<void> {
        const QString text = value.trimmed().toLower();
        if (text == QLatin1String("true") || text == QLatin1String("1") || text == QLatin1String("yes")
            || text == QLatin1String("on")) {
            field(config) = true;
        } else if (text == QLatin1String("false") || text == QLatin1String("0") || text == QLatin1String("no")
                   || text == QLatin1String("off")) {
            field(config) = false;
        } else {
            return invalid(name, QStringLiteral("expected true or false, got \"%1\"").arg(value));
        }
        return {};
    };
}

struct OptionEntry final {
    ServerConfig::Option info;
    Setter set; // empty for options handled by the caller (config)
};

const QList<OptionEntry>& entries()
{
    static const QList<OptionEntry> table = [] {
        QList<OptionEntry> t;
        auto add = [&t](const char* name, const char* valueName, const char* help, Setter set) {
            t.append({{QString::fromLatin1(name), QString::fromLatin1(valueName), QString::fromLatin1(help)}, std::move(set)});
        };
        add("listen", "HOST:PORT", "address to listen on (default 127.0.0.1:8420; port 0 picks a free one)", parseListen);
        add("public-url", "URL", "base URL that links and stream URLs are built from (default: from --listen)",
            parsePublicUrl);
        add("data-dir", "DIR", "where the database lives (default: the platform's app-data folder)",
            pathSetter(&ServerConfig::dataDir));
        add("tls-cert", "FILE", "PEM certificate (chain) to serve HTTPS and WSS with", pathSetter(&ServerConfig::tlsCertFile));
        add("tls-key", "FILE", "PEM private key for --tls-cert", pathSetter(&ServerConfig::tlsKeyFile));
        add("config", "FILE", "config file of name = value lines, names as these flags", {});
        add("max-header", "BYTES", "largest HTTP request head (default 16KiB)",
            bytesSetter(QStringLiteral("max-header"), &ServerConfig::maxHeaderBytes, 1024));
        add("max-body", "BYTES", "largest HTTP request body (default 64KiB)",
            bytesSetter(QStringLiteral("max-body"), &ServerConfig::maxBodyBytes, 1024));
        add("request-timeout", "DURATION", "time allowed to send one HTTP request (default 15s)",
            durationSetter(QStringLiteral("request-timeout"), &ServerConfig::requestTimeoutMs, 100));
        add("idle-timeout", "DURATION", "idle keep-alive connections close after this (default 60s)",
            durationSetter(QStringLiteral("idle-timeout"), &ServerConfig::idleTimeoutMs, 100));
        add("max-connections", "N", "open connections at most, WebSockets included (default 4096)",
            intSetter(QStringLiteral("max-connections"), &ServerConfig::maxConnections, 1, 1'000'000));
        add("max-connections-per-source", "N",
            "open connections from one IPv4 address or IPv6 /64 at most, WebSockets included (default 256)",
            intSetter(QStringLiteral("max-connections-per-source"), &ServerConfig::maxConnectionsPerSource, 1, 1'000'000));
        add("min-ttl", "SECONDS", "smallest session ttl accepted (default 30)",
            intSetter(QStringLiteral("min-ttl"), &ServerConfig::minTtlSeconds, 1, 86'400));
        add("max-ttl", "SECONDS", "largest session ttl accepted (default 3600)",
            intSetter(QStringLiteral("max-ttl"), &ServerConfig::maxTtlSeconds, 1, 86'400));
        add("default-ttl", "SECONDS", "ttl of a session that names none (default 600)",
            intSetter(QStringLiteral("default-ttl"), &ServerConfig::defaultTtlSeconds, 1, 86'400));
        add("session-rate", "N", "sessions one API key may create per minute (default 60)",
            intSetter(QStringLiteral("session-rate"), &ServerConfig::sessionsPerMinute, 1, 1'000'000));
        add("max-text", "BYTES", "largest text WebSocket message (default 64KiB)",
            bytesSetter(QStringLiteral("max-text"), &ServerConfig::maxTextMessageBytes, 1024));
        add("max-binary", "BYTES", "largest binary WebSocket message (default 4MiB)",
            bytesSetter(QStringLiteral("max-binary"), &ServerConfig::maxBinaryMessageBytes, 1024));
        add("viewer-rate", "N", "messages per second a viewer may send (default 200)",
            intSetter(QStringLiteral("viewer-rate"), &ServerConfig::viewerMessagesPerSecond, 1, 1'000'000));
        add("ping-interval", "DURATION", "WebSocket ping interval (default 15s)",
            durationSetter(QStringLiteral("ping-interval"), &ServerConfig::pingIntervalMs, 50));
        add("pong-timeout", "DURATION", "drop a socket silent for this long (default 45s)",
            durationSetter(QStringLiteral("pong-timeout"), &ServerConfig::pongTimeoutMs, 50));
        add("viewer-key-timeout", "DURATION", "time a reconnecting viewer has to present its key (default 10s)",
            durationSetter(QStringLiteral("viewer-key-timeout"), &ServerConfig::viewerKeyTimeoutMs, 50));
        add("resolve-grace", "DURATION",
            "time an agent has to close its stream socket after its session is resolved (default 10s)",
            durationSetter(QStringLiteral("resolve-grace"), &ServerConfig::resolvedAgentGraceMs, 50));
        add("viewer-buffer", "BYTES", "queued bytes above which stale frames are dropped for a viewer (default 256KiB)",
            bytesSetter(QStringLiteral("viewer-buffer"), &ServerConfig::viewerBufferBytes, 1024));
        add("max-socket-buffer", "BYTES", "queued bytes above which a peer that does not read is closed (default 32MiB)",
            bytesSetter(QStringLiteral("max-socket-buffer"), &ServerConfig::maxSocketBufferBytes, 64 * 1024));
        add("notification-retry-initial", "DURATION",
            "first wait before a failed CIBA ping/push notification is sent again (default 1s)",
            durationSetter(QStringLiteral("notification-retry-initial"), &ServerConfig::notificationRetryInitialMs, 10));
        add("notification-retry-max", "DURATION", "longest wait between notification attempts (default 5m)",
            durationSetter(QStringLiteral("notification-retry-max"), &ServerConfig::notificationRetryMaxMs, 10));
        add("notification-retry-period", "DURATION",
            "how long a notification is retried before it is recorded as failed (default 24h)",
            durationSetter(QStringLiteral("notification-retry-period"), &ServerConfig::notificationRetryPeriodMs, 0));
        add("notification-timeout", "DURATION", "time allowed for one notification attempt (default 10s)",
            durationSetter(QStringLiteral("notification-timeout"), &ServerConfig::notificationTimeoutMs, 100));
        add("notification-concurrency", "N", "notification attempts under way at once (default 8)",
            intSetter(QStringLiteral("notification-concurrency"), &ServerConfig::notificationConcurrency, 1, 1000));
        add("denial-block-count", "N", "denials of one client's requests by one person that block it (default 3)",
            intSetter(QStringLiteral("denial-block-count"), policyField(&DenialBlockPolicy::denials), 1, 1000));
        add("denial-block-window", "DURATION", "time within which those denials count (default 10m)",
            durationSetter(QStringLiteral("denial-block-window"), policyField(&DenialBlockPolicy::windowMs), 100));
        add("denial-block-duration", "DURATION", "how long the client may not ask that person then (default 30m)",
            durationSetter(QStringLiteral("denial-block-duration"), policyField(&DenialBlockPolicy::blockMs), 100));
        add("user-code-attempts", "N", "wrong user codes for one person that lock their code (default 5)",
            intSetter(QStringLiteral("user-code-attempts"), policyField(&UserCodeLockPolicy::perUser), 1, 1000));
        add("user-code-client-attempts", "N",
            "wrong user codes from one CIBA client that stop it sending any (default 10)",
            intSetter(QStringLiteral("user-code-client-attempts"), policyField(&UserCodeLockPolicy::perClient), 1, 10'000));
        add("user-code-window", "DURATION", "time within which those wrong codes count (default 15m)",
            durationSetter(QStringLiteral("user-code-window"), policyField(&UserCodeLockPolicy::windowMs), 100));
        add("user-code-lock-duration", "DURATION", "how long such a lock holds (default 30m)",
            durationSetter(QStringLiteral("user-code-lock-duration"), policyField(&UserCodeLockPolicy::lockMs), 100));
        add("ciba-request-rate", "N", "backchannel authentication requests one CIBA client may make per minute (default 60)",
            intSetter(QStringLiteral("ciba-request-rate"), &ServerConfig::cibaRequestsPerMinute, 1, 1'000'000));
        add("demo", "", "serve the Northwind Bank demo site under /demo/ (off by default)",
            switchSetter(QStringLiteral("demo"), &ServerConfig::demo));
        add("demo-code-file", "FILE", "with --demo, also write each one-time code to this file (for tests)",
            pathSetter(&ServerConfig::demoCodeFile));
        return t;
    }();
    return table;
}

} // namespace

const QList<ServerConfig::Option>& ServerConfig::options()
{
    static const QList<Option> list = [] {
        QList<Option> out;
        for (const auto& entry : entries()) {
            out.append(entry.info);
        }
        return out;
    }();
    return list;
}

QString ServerConfig::envName(const QString& optionName)
{
    return QStringLiteral("HANDOFF_") + optionName.toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
}

Result<ServerConfig> ServerConfig::resolve(const QMap<QString, QString>& flags, const QMap<QString, QString>& env,
                                           const QMap<QString, QString>& file)
{
    ServerConfig config;
    auto find = [](const QString& name) -> const OptionEntry* {
        for (const auto& entry : entries()) {
            if (entry.info.name == name) {
                return &entry;
            }
        }
        return nullptr;
    };
    // Lowest precedence first: each later source overwrites.
    for (const auto* source : {&file, &env, &flags}) {
        for (auto it = source->cbegin(); it != source->cend(); ++it) {
            const OptionEntry* entry = find(it.key());
            if (!entry) {
                return Error{QStringLiteral("invalid_config"), QStringLiteral("unknown option \"%1\"").arg(it.key())};
            }
            if (!entry->set) {
                continue;
            }
            Result<void> applied = entry->set(it.value(), config);
            if (!applied) {
                return applied.error();
            }
        }
    }
    if (config.tlsCertFile.isEmpty() != config.tlsKeyFile.isEmpty()) {
        return Error{QStringLiteral("invalid_config"), QStringLiteral("--tls-cert and --tls-key go together")};
    }
    if (config.minTtlSeconds > config.maxTtlSeconds || config.defaultTtlSeconds < config.minTtlSeconds
        || config.defaultTtlSeconds > config.maxTtlSeconds) {
        return Error{QStringLiteral("invalid_config"),
                     QStringLiteral("ttl limits must satisfy min-ttl <= default-ttl <= max-ttl")};
    }
    if (config.notificationRetryInitialMs > config.notificationRetryMaxMs) {
        return Error{QStringLiteral("invalid_config"),
                     QStringLiteral("--notification-retry-initial must not exceed --notification-retry-max")};
    }
    return config;
}

} // namespace handoff::server
