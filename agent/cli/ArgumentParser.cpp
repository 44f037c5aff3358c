#include "agent/cli/ArgumentParser.h"

#include "agent/approval/CibaClient.h"
#include "agent/approval/ProviderMetadata.h"
#include "core/common/EndpointPolicy.h"

#include <QProcessEnvironment>
#include <QSet>

namespace handoff::agent {

namespace {

Error usageError(const QString& message)
{
    return Error{QStringLiteral("usage"), message};
}

bool isHttpUrl(const QUrl& url)
{
    return url.isValid() && !url.host().isEmpty()
        && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
}

// RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
bool isScopeToken(const QString& token)
{
    return !token.isEmpty() && std::all_of(token.begin(), token.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
    });
}

Result<CliOptions> finishApprove(CliOptions options, const QString& server, const QString& clientId,
                                 const QString& clientSecret)
{
    if (server.isEmpty()) {
        return usageError(QStringLiteral("--server (or HANDOFF_SERVER) is required"));
    }
    options.server = QUrl(server);
    if (ProviderMetadata::issuerFor(options.server).isEmpty()) {
        return usageError(QStringLiteral("--server must be the server's http(s) base URL, without query or fragment"));
    }
    if (!EndpointPolicy::isAcceptable(options.server)) {
        return usageError(QStringLiteral("--server must be https (http only to a loopback host): the client secret and "
                                         "the tokens travel over it"));
    }
    if (clientId.isEmpty()) {
        return usageError(QStringLiteral("--client-id (or HANDOFF_CLIENT_ID) is required"));
    }
    if (clientSecret.isEmpty()) {
        return usageError(QStringLiteral("--client-secret (or, better, HANDOFF_CLIENT_SECRET) is required"));
    }
    options.clientId = clientId;
    options.clientSecret = clientSecret.toUtf8();
    const QString message = options.bindingMessage.trimmed();
    if (message.isEmpty()) {
        return usageError(QStringLiteral("--binding-message is required: the action the person approves, e.g. "
                                         "\"Refund $120.00 to ACME Corp, order 1234\""));
    }
    if (options.bindingMessage.toUcs4().size() > CibaRequest::MaxBindingMessageLength) {
        return usageError(
            QStringLiteral("--binding-message is at most %1 characters").arg(CibaRequest::MaxBindingMessageLength));
    }
    if (options.loginHint.trimmed().isEmpty() || options.loginHint.size() > CibaRequest::MaxLoginHintLength) {
        return usageError(
            QStringLiteral("--login-hint is required: the person to ask (1 to %1 characters, e.g. an email)")
                .arg(CibaRequest::MaxLoginHintLength));
    }
    const QStringList scopes = options.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (options.scope.size() > CibaRequest::MaxScopeLength
        || !std::all_of(scopes.begin(), scopes.end(), isScopeToken)) {
        return usageError(QStringLiteral("--scope must be space-separated OAuth scope values"));
    }
    if (options.userCode.size() > CibaRequest::MaxUserCodeLength) {
        return usageError(QStringLiteral("--user-code is at most %1 characters").arg(CibaRequest::MaxUserCodeLength));
    }
    return options;
}

} // namespace

QHash<QString, QString> ArgumentParser::systemEnvironment()
{
    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const char* name :
         {"HANDOFF_SERVER", "HANDOFF_API_KEY", "HANDOFF_CDP_URL", "HANDOFF_CLIENT_ID", "HANDOFF_CLIENT_SECRET"}) {
        const QString key = QString::fromLatin1(name);
        if (system.contains(key)) {
            env.insert(key, system.value(key));
        }
    }
    return env;
}

QString ArgumentParser::usage()
{
    return QStringLiteral(
        "usage:\n"
        "  handoff-agent to-human --server URL --api-key KEY --cdp-url URL --service NAME\n"
        "                [--blocker TYPE] [--hint TEXT] [--ttl SECONDS] [--login-hint USER]\n"
        "                [--protocol 1|2] [--quality 60|75|90] [--target ID|URL-PART] [--json]\n"
        "  handoff-agent detect --cdp-url URL [--target ID|URL-PART] [--json]\n"
        "  handoff-agent approve --server URL --client-id ID --client-secret SECRET\n"
        "                --binding-message TEXT --login-hint USER [--scope \"openid ...\"]\n"
        "                [--user-code CODE] [--expiry SECONDS] [--json]\n"
        "  handoff-agent mcp [--client-id ID] [--client-secret SECRET]\n"
        "\n"
        "environment: HANDOFF_SERVER, HANDOFF_API_KEY, HANDOFF_CDP_URL, HANDOFF_CLIENT_ID and\n"
        "  HANDOFF_CLIENT_SECRET stand in for the flags. Prefer them for the key and the secret:\n"
        "  other users of this machine can read a command line.\n"
        "blocker types: otp password captcha security_question document_upload other\n"
        "approve: asks the person on their device (OpenID Connect CIBA) and prints the access\n"
        "  token on stdout when they approve; progress goes to stderr. openid is added to the scope.\n"
        "exit codes: 0 resolved/approved, 2 usage, 3 cancelled, 4 timeout/expired, 5 error, 6 denied\n");
}

Result<CliOptions> ArgumentParser::parse(const QStringList& arguments, const QHash<QString, QString>& environment)
{
    CliOptions options;
    if (arguments.isEmpty()) {
        return usageError(QStringLiteral("no command given"));
    }
    const QString command = arguments.first();
    if (command == QLatin1String("to-human")) {
        options.command = CliOptions::Command::ToHuman;
    } else if (command == QLatin1String("detect")) {
        options.command = CliOptions::Command::Detect;
    } else if (command == QLatin1String("approve")) {
        options.command = CliOptions::Command::Approve;
    } else if (command == QLatin1String("mcp")) {
        options.command = CliOptions::Command::Mcp;
    } else if (command == QLatin1String("help") || command == QLatin1String("--help") || command == QLatin1String("-h")) {
        options.command = CliOptions::Command::Help;
        return options;
    } else {
        return usageError(QStringLiteral("unknown command (expected to-human, detect, approve or mcp)"));
    }

    QString server = environment.value(QStringLiteral("HANDOFF_SERVER"));
    QString apiKey = environment.value(QStringLiteral("HANDOFF_API_KEY"));
    QString cdpUrl = environment.value(QStringLiteral("HANDOFF_CDP_URL"));
    QString clientId = environment.value(QStringLiteral("HANDOFF_CLIENT_ID"));
    QString clientSecret = environment.value(QStringLiteral("HANDOFF_CLIENT_SECRET"));
    static const QSet<QString> sessionFlags = {
        QStringLiteral("--server"), QStringLiteral("--api-key"), QStringLiteral("--cdp-url"),
        QStringLiteral("--service"), QStringLiteral("--blocker"), QStringLiteral("--hint"),
        QStringLiteral("--ttl"), QStringLiteral("--login-hint"), QStringLiteral("--protocol"),
        QStringLiteral("--quality"), QStringLiteral("--target"),
    };
    static const QSet<QString> approveFlags = {
        QStringLiteral("--server"), QStringLiteral("--client-id"), QStringLiteral("--client-secret"),
        QStringLiteral("--scope"), QStringLiteral("--binding-message"), QStringLiteral("--login-hint"),
        QStringLiteral("--user-code"), QStringLiteral("--expiry"),
    };
    static const QSet<QString> mcpFlags =
        sessionFlags + QSet<QString>{QStringLiteral("--client-id"), QStringLiteral("--client-secret")};
    const QSet<QString>& valued = options.command == CliOptions::Command::Approve ? approveFlags
        : options.command == CliOptions::Command::Mcp                             ? mcpFlags
                                                                                  : sessionFlags;
    static const QSet<QString> allFlags = sessionFlags + approveFlags;
    bool scopeGiven = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        QString name = arguments.at(i);
        QString value;
        bool hasInlineValue = false;
        if (const qsizetype eq = name.indexOf(QLatin1Char('=')); name.startsWith(QLatin1String("--")) && eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
            hasInlineValue = true;
        }
        if (name == QLatin1String("--json")) {
            options.json = true;
            continue;
        }
        if (!valued.contains(name)) {
            if (allFlags.contains(name)) {
                return usageError(QStringLiteral("%1 is not an option of %2").arg(name, command));
            }
            // Never echo the argument: it might be a secret given in the wrong place.
            return usageError(QStringLiteral("unknown option at position %1").arg(i));
        }
        if (!hasInlineValue) {
            if (i + 1 >= arguments.size()) {
                return usageError(QStringLiteral("%1 needs a value").arg(name));
            }
            value = arguments.at(++i);
        }
        if (name == QLatin1String("--server")) {
            server = value;
        } else if (name == QLatin1String("--api-key")) {
            apiKey = value;
        } else if (name == QLatin1String("--cdp-url")) {
            cdpUrl = value;
        } else if (name == QLatin1String("--service")) {
            options.service = value;
        } else if (name == QLatin1String("--blocker")) {
            options.blocker = value;
        } else if (name == QLatin1String("--hint")) {
            options.hint = value;
        } else if (name == QLatin1String("--login-hint")) {
            options.loginHint = value;
        } else if (name == QLatin1String("--target")) {
            options.target = value;
        } else if (name == QLatin1String("--client-id")) {
            clientId = value;
        } else if (name == QLatin1String("--client-secret")) {
            clientSecret = value;
        } else if (name == QLatin1String("--scope")) {
            options.scope = value;
            scopeGiven = true;
        } else if (name == QLatin1String("--binding-message")) {
            options.bindingMessage = value;
        } else if (name == QLatin1String("--user-code")) {
            options.userCode = value;
        } else if (name == QLatin1String("--expiry")) {
            bool ok = false;
            options.expiry = value.toInt(&ok);
            if (!ok || options.expiry < 1 || options.expiry > CibaRequest::MaxExpirySeconds) {
                return usageError(
                    QStringLiteral("--expiry must be 1 to %1 seconds").arg(CibaRequest::MaxExpirySeconds));
            }
        } else if (name == QLatin1String("--ttl")) {
            bool ok = false;
            options.ttl = value.toInt(&ok);
            if (!ok || options.ttl < 30 || options.ttl > 3600) {
                return usageError(QStringLiteral("--ttl must be 30 to 3600 seconds"));
            }
        } else if (name == QLatin1String("--protocol")) {
            if (value != QLatin1String("1") && value != QLatin1String("2")) {
                return usageError(QStringLiteral("--protocol must be 1 or 2"));
            }
            options.protocol = value.toInt();
        } else if (name == QLatin1String("--quality")) {
            if (value != QLatin1String("60") && value != QLatin1String("75") && value != QLatin1String("90")) {
                return usageError(QStringLiteral("--quality must be 60, 75 or 90"));
            }
            options.quality = value.toInt();
        }
    }

    if (options.command == CliOptions::Command::Mcp) {
        options.server = QUrl(server);
        options.apiKey = apiKey.toUtf8();
        options.cdpUrl = QUrl(cdpUrl);
        options.clientId = clientId;
        options.clientSecret = clientSecret.toUtf8();
        return options;
    }
    if (options.command == CliOptions::Command::Approve) {
        if (scopeGiven && options.scope.trimmed().isEmpty()) {
            return usageError(QStringLiteral("--scope is empty (leave it out for just openid)"));
        }
        return finishApprove(std::move(options), server, clientId, clientSecret);
    }
    if (cdpUrl.isEmpty()) {
        return usageError(QStringLiteral("--cdp-url (or HANDOFF_CDP_URL) is required"));
    }
    options.cdpUrl = QUrl(cdpUrl);
    const QString scheme = options.cdpUrl.scheme();
    if (!options.cdpUrl.isValid() || options.cdpUrl.host().isEmpty()
        || !(scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("ws")
             || scheme == QLatin1String("wss"))) {
        return usageError(QStringLiteral("--cdp-url must be an http(s) or ws(s) URL"));
    }
    if (options.command == CliOptions::Command::Detect) {
        return options;
    }
    if (server.isEmpty()) {
        return usageError(QStringLiteral("--server (or HANDOFF_SERVER) is required"));
    }
    options.server = QUrl(server);
    if (!isHttpUrl(options.server)) {
        return usageError(QStringLiteral("--server must be an http(s) URL"));
    }
    if (apiKey.isEmpty()) {
        return usageError(QStringLiteral("--api-key (or HANDOFF_API_KEY) is required"));
    }
    options.apiKey = apiKey.toUtf8();
    if (options.service.isEmpty() || options.service.size() > 100) {
        return usageError(QStringLiteral("--service is required (1 to 100 characters)"));
    }
    static const QStringList blockers = {
        QStringLiteral("otp"), QStringLiteral("password"), QStringLiteral("captcha"),
        QStringLiteral("security_question"), QStringLiteral("document_upload"), QStringLiteral("other"),
    };
    if (!options.blocker.isEmpty() && !blockers.contains(options.blocker)) {
        return usageError(QStringLiteral("--blocker must be one of: %1").arg(blockers.join(u' ')));
    }
    if (options.hint.size() > 200) {
        return usageError(QStringLiteral("--hint is at most 200 characters"));
    }
    return options;
}

} // namespace handoff::agent
