#include "agent/cli/CommandRunner.h"

#include "agent/approval/CibaClient.h"
#include "agent/cdp/CdpClient.h"
#include "agent/cli/SignalWatcher.h"
#include "agent/detect/WallDetector.h"
#include "agent/session/AgentSession.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>

namespace handoff::agent {

namespace {

void printJson(QTextStream& out, const QJsonObject& object)
{
    out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << '\n';
    out.flush();
}

int exitCodeFor(AgentSession::Outcome outcome)
{
    switch (outcome) {
    case AgentSession::Outcome::Resolved:
        return ExitResolved;
    case AgentSession::Outcome::Cancelled:
        return ExitCancelled;
    case AgentSession::Outcome::Timeout:
        return ExitTimeout;
    case AgentSession::Outcome::Error:
        break;
    }
    return ExitError;
}

int exitCodeFor(ApprovalResult::Outcome outcome)
{
    switch (outcome) {
    case ApprovalResult::Outcome::Approved:
        return ExitResolved;
    case ApprovalResult::Outcome::Denied:
        return ExitDenied;
    case ApprovalResult::Outcome::Expired:
        return ExitTimeout;
    case ApprovalResult::Outcome::Cancelled:
        return ExitCancelled;
    case ApprovalResult::Outcome::Error:
        break;
    }
    return ExitError;
}

// What to tell the person running the command, beyond the server's words.
QString adviceFor(const Error& error)
{
    if (error.code == QLatin1String("invalid_client")) {
        return QStringLiteral(
            " Check --client-id and HANDOFF_CLIENT_SECRET (handoff-server clients list shows the clients).");
    }
    if (error.code == QLatin1String("unknown_user_id")) {
        return QStringLiteral(" Check --login-hint (handoff-server users list shows the users).");
    }
    if (error.code == QLatin1String("issuer_mismatch")) {
        return QStringLiteral(" Use that URL as --server.");
    }
    return {};
}

} // namespace

int CommandRunner::toHuman(const CliOptions& options, QTextStream& out, QTextStream& err)
{
    AgentSessionConfig config;
    config.server = options.server;
    config.apiKey = options.apiKey;
    config.cdpUrl = options.cdpUrl;
    config.target = options.target;
    config.protocolVersion = options.protocol;
    config.quality = options.quality;
    config.request.service = options.service;
    config.request.blockerType = options.blocker;
    config.request.hint = options.hint;
    config.request.ttlSeconds = options.ttl;
    config.request.loginHint = options.loginHint;
    config.request.cdpUrl = options.cdpUrl.toString(QUrl::RemoveUserInfo);

    AgentSession session(std::move(config));
    SignalWatcher signals;
    QEventLoop loop;
    int exitCode = ExitError;
    const bool json = options.json;

    QObject::connect(&signals, &SignalWatcher::terminationRequested, &session, [&](int) {
        if (!json) {
            err << "Cancelling the session...\n";
            err.flush();
        }
        session.cancel();
    });
    QObject::connect(&session, &AgentSession::linkReady, &loop,
                     [&](const QUrl& appLink, const QUrl& webLink, const QString& id) {
                         const QString link = appLink.toString(QUrl::FullyEncoded);
                         const QString web = webLink.toString(QUrl::FullyEncoded);
                         if (json) {
                             printJson(out, QJsonObject{{QStringLiteral("event"), QStringLiteral("link")},
                                                        {QStringLiteral("session_id"), id},
                                                        {QStringLiteral("session_url"), link},
                                                        {QStringLiteral("web_url"), web},
                                                        {QStringLiteral("protocol"), options.protocol}});
                         } else {
                             out << "Ask the person to open this link in the Handoff app:\n  " << link << '\n'
                                 << "(Without the app, or where handoff:// links do not open, the same link as a web "
                                    "page: "
                                 << web << " )\n";
                             if (options.protocol == 1) {
                                 out << "Protocol version 1: the relay can see the screen; use it only with AuthLoop "
                                        "viewers.\n";
                             }
                             out << "Waiting for the person...\n";
                             out.flush();
                         }
                     });
    QObject::connect(&session, &AgentSession::sasReady, &loop, [&](const QString& sas) {
        if (json) {
            printJson(out, QJsonObject{{QStringLiteral("event"), QStringLiteral("sas")}, {QStringLiteral("sas"), sas}});
        } else {
            out << "Viewer connected. Security code (must match the one the app shows): " << sas.left(3) << ' '
                << sas.mid(3) << '\n';
            out.flush();
        }
    });
    QObject::connect(&session, &AgentSession::viewerConnected, &loop, [&] {
        if (json) {
            printJson(out, QJsonObject{{QStringLiteral("event"), QStringLiteral("viewer_connected")}});
        }
    });
    QObject::connect(&session, &AgentSession::finished, &loop,
                     [&](AgentSession::Outcome outcome, const QString& message) {
                         exitCode = exitCodeFor(outcome);
                         if (json) {
                             printJson(out, QJsonObject{{QStringLiteral("event"), QStringLiteral("outcome")},
                                                        {QStringLiteral("outcome"), AgentSession::outcomeName(outcome)},
                                                        {QStringLiteral("message"), message}});
                         } else {
                             out << "Outcome: " << AgentSession::outcomeName(outcome) << " (" << message << ")\n";
                             out.flush();
                         }
                         loop.quit();
                     });
    session.start();
    if (!session.isFinished()) {
        loop.exec();
    }
    return exitCode;
}

int CommandRunner::detect(const CliOptions& options, QTextStream& out, QTextStream& err)
{
    CdpClient cdp;
    QEventLoop loop;
    int exitCode = ExitError;
    QObject::connect(&cdp, &CdpClient::connectFailed, &loop, [&](const Error& error) {
        err << "could not connect to the browser: " << error.message << '\n';
        loop.quit();
    });
    QObject::connect(&cdp, &CdpClient::connected, &loop, [&] {
        WallDetector::detect(cdp, [&](const Result<QString>& kind) {
            if (!kind) {
                err << "detection failed: " << kind.error().message << '\n';
            } else {
                exitCode = ExitResolved;
                if (options.json) {
                    printJson(out, QJsonObject{{QStringLiteral("wall"), *kind},
                                               {QStringLiteral("blocker_type"), WallDetector::blockerType(*kind)},
                                               {QStringLiteral("url"), cdp.target().url}});
                } else {
                    out << *kind << '\n';
                }
            }
            loop.quit();
        });
    });
    cdp.connectTo(options.cdpUrl, options.target);
    loop.exec();
    out.flush();
    err.flush();
    return exitCode;
}

int CommandRunner::approve(const CliOptions& options, QTextStream& out, QTextStream& err)
{
    CibaRequest request;
    request.server = options.server;
    request.clientId = options.clientId;
    request.clientSecret = options.clientSecret;
    request.scope = options.scope;
    request.loginHint = options.loginHint;
    request.bindingMessage = options.bindingMessage;
    request.userCode = options.userCode;
    request.requestedExpiry = options.expiry;

    CibaClient client(std::move(request));
    SignalWatcher signals;
    QEventLoop loop;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &client, [&](int) { client.cancel(); });
    QObject::connect(&client, &CibaClient::requestAccepted, &loop, [&](const QString&, int expiresIn, int) {
        err << "Waiting for " << options.loginHint << " to approve on their device: " << options.bindingMessage << '\n'
            << "The request expires in " << expiresIn << " s; Ctrl+C stops waiting.\n";
        err.flush();
    });
    QObject::connect(&client, &CibaClient::intervalChanged, &loop, [&](int seconds) {
        err << "The server asked to poll less often; checking every " << seconds << " s.\n";
        err.flush();
    });
    QObject::connect(&client, &CibaClient::finished, &loop, &QEventLoop::quit);
    client.start();
    if (!client.isFinished()) {
        loop.exec();
    }

    const ApprovalResult& result = client.result();
    const QString outcome = ApprovalResult::outcomeName(result.outcome);
    if (result.outcome == ApprovalResult::Outcome::Approved) {
        err << "Approved.\n";
        if (options.json) {
            QJsonObject object{{QStringLiteral("outcome"), outcome},
                               {QStringLiteral("auth_req_id"), result.authReqId},
                               {QStringLiteral("access_token"), result.tokens.accessToken},
                               {QStringLiteral("token_type"), result.tokens.tokenType},
                               {QStringLiteral("id_token"), result.tokens.idToken},
                               {QStringLiteral("scope"), result.tokens.scope}};
            if (result.tokens.expiresIn > 0) {
                object.insert(QStringLiteral("expires_in"), result.tokens.expiresIn);
            }
            printJson(out, object);
        } else {
            out << result.tokens.accessToken << '\n';
        }
    } else {
        QString sentence = result.error.message;
        while (sentence.endsWith(QLatin1Char('.'))) {
            sentence.chop(1);
        }
        // Our own words for the three plain outcomes start a sentence; the server's stay as they are.
        QString capitalized = sentence;
        if (!capitalized.isEmpty()) {
            capitalized[0] = capitalized.at(0).toUpper();
        }
        switch (result.outcome) {
        case ApprovalResult::Outcome::Denied:
            err << "Denied: " << capitalized << ".\n";
            break;
        case ApprovalResult::Outcome::Expired:
            err << "Expired: " << capitalized << ".\n";
            break;
        case ApprovalResult::Outcome::Cancelled:
            err << "Cancelled: " << capitalized << ".\n";
            break;
        default:
            err << "handoff-agent: " << sentence << " (" << result.error.code << ")." << adviceFor(result.error) << '\n';
            break;
        }
        if (options.json) {
            QJsonObject object{{QStringLiteral("outcome"), outcome},
                               {QStringLiteral("error"), result.error.code},
                               {QStringLiteral("message"), result.error.message}};
            if (!result.authReqId.isEmpty()) {
                object.insert(QStringLiteral("auth_req_id"), result.authReqId);
            }
            printJson(out, object);
        }
    }
    out.flush();
    err.flush();
    return exitCodeFor(result.outcome);
}

} // namespace handoff::agent
