#include "agent/cli/CommandRunner.h"

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
    QObject::connect(&session, &AgentSession::linkReady, &loop, [&](const QUrl& url, const QString& id) {
        const QString link = url.toString(QUrl::FullyEncoded);
        if (json) {
            printJson(out, QJsonObject{{QStringLiteral("event"), QStringLiteral("link")},
                                       {QStringLiteral("session_id"), id},
                                       {QStringLiteral("session_url"), link},
                                       {QStringLiteral("protocol"), options.protocol}});
        } else {
            out << "Ask the person to open this link in the Handoff app:\n  " << link << '\n';
            if (options.protocol == 1) {
                out << "Protocol version 1: the relay can see the screen; use it only with AuthLoop viewers.\n";
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

} // namespace handoff::agent
