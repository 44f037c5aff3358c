#include "app/LinkRouter.h"

#include "app/SessionManager.h"
#include "app/TrustedServers.h"
#include "core/protocol/SessionLinkParser.h"
#include "ui/SessionWindow.h"

#include <QLoggingCategory>
#include <QMessageBox>
#include <QPushButton>
#include <QPointer>

Q_LOGGING_CATEGORY(lcLinks, "handoff.links", QtInfoMsg)

namespace handoff::app {

using session::ViewerSession;

LinkRouter::LinkRouter(TrustedServers* trustedServers, SessionManager* sessions, QObject* parent)
    : QObject(parent), m_trusted(trustedServers), m_sessions(sessions), m_askTrust(&LinkRouter::askWithDialog)
{
}

Result<void> LinkRouter::open(const QString& text, Source source)
{
    if (device::PairingLink::looksLikePairingLink(text))
        return openPairingLink(text, source);
    return openSessionLink(protocol::SessionLinkParser::parse(text), source);
}

Result<void> LinkRouter::open(const QUrl& url, Source source)
{
    const QString text = url.toString(QUrl::FullyEncoded);
    if (device::PairingLink::looksLikePairingLink(text))
        return openPairingLink(text, source);
    return openSessionLink(protocol::SessionLinkParser::parse(url), source);
}

Result<void> LinkRouter::openSessionLink(const Result<protocol::SessionLink>& link, Source source,
                                         const QUrl& pairedServer)
{
    if (!link) {
        qCWarning(lcLinks) << "Refused a link from" << source << ":" << link.error().code;
        Q_EMIT linkFailed(link.error().message);
        return link.error();
    }
    bool trusted = false;
    if (!pairedServer.isEmpty()) {
        const QString origin = TrustedServers::originOf(link->serverBase());
        trusted = !origin.isEmpty() && origin == TrustedServers::originOf(pairedServer);
        if (!trusted)
            qCWarning(lcLinks) << "A paired server sent a link to another server; asking as for any link";
    }
    Q_EMIT linkAccepted(source);
    openLink(*link, trusted);
    return {};
}

Result<void> LinkRouter::openFromPairedServer(const QString& text, const QUrl& pairedServer)
{
    return openSessionLink(protocol::SessionLinkParser::parse(text), Source::PairedServer, pairedServer);
}

Result<void> LinkRouter::openPairingLink(const QString& text, Source source)
{
    auto link = device::PairingLink::parse(text);
    if (!link) {
        qCWarning(lcLinks) << "Refused a pairing link from" << source << ":" << link.error().code;
        Q_EMIT linkFailed(link.error().message);
        return link.error();
    }
    // The server only: the token is a secret.
    qCInfo(lcLinks) << "Pairing link for" << TrustedServers::originOf(link->server);
    Q_EMIT pairingLinkOpened(*link, source);
    return {};
}

void LinkRouter::openLink(const protocol::SessionLink& link, bool trusted)
{
    qCInfo(lcLinks) << "Opening" << link.describe(); // server and session only, never the token
    if (ui::SessionWindow* window = m_sessions->find(link.sessionId())) {
        SessionManager::raise(window);
        return;
    }
    auto* session = new ViewerSession(link, m_options);
    if (trusted || m_trusted->isTrusted(link.serverBase())) {
        m_sessions->show(session);
        return;
    }
    askThenShow(session, link.serverBase());
}

void LinkRouter::askThenShow(ViewerSession* session, const QUrl& server)
{
    session->setParent(this);
    QPointer<ViewerSession> guard(session);
    // The question waits for the service name; a session that ends first says why.
    connect(session, &ViewerSession::ended, this, [this, session](ViewerSession::EndReason, const QString& message) {
        Q_EMIT linkFailed(message);
        session->deleteLater();
    });
    connect(session, &ViewerSession::sessionInfoReceived, this, [this, guard, server](const session::SessionInfo& info) {
        if (!guard)
            return;
        // Version 2 names the service only once the agent itself has said it,
        // end-to-end encrypted; the question waits for those words.
        if (info.source == session::SessionInfo::Source::None)
            return;
        guard->disconnect(this);
        const QString origin = TrustedServers::originOf(server);
        if (!m_askTrust(origin, info.service)) {
            qCInfo(lcLinks) << "The person did not trust" << origin;
            guard->close();
            guard->deleteLater();
            return;
        }
        if (!guard)
            return;
        m_trusted->trust(server);
        m_sessions->show(guard);
    });
    session->start();
}

bool LinkRouter::askWithDialog(const QString& origin, const QString& service)
{
    QMessageBox box(QMessageBox::Question, QObject::tr("Trust this server?"),
                    QObject::tr("A session link from a server you have not used before wants to show you a "
                                "sign-in step."),
                    QMessageBox::NoButton);
    // Rich text with every outside word escaped: the service name is the agent's
    // (or, in version 1, the relay's) and must show as written, never as markup.
    box.setInformativeText(QObject::tr("<p>Server: %1<br>Service: %2</p><p>Open it only if you expected an agent to "
                                       "ask for your help with this service. Handoff will remember your answer.</p>")
                               .arg(origin.toHtmlEscaped(),
                                    service.isEmpty() ? QObject::tr("(not given)") : service.toHtmlEscaped()));
    auto* trust = box.addButton(QObject::tr("Trust and open"), QMessageBox::AcceptRole);
    auto* refuse = box.addButton(QObject::tr("Don't open"), QMessageBox::RejectRole);
    box.setDefaultButton(refuse); // Enter must not trust a server by accident
    box.exec();
    return box.clickedButton() == trust;
}

} // namespace handoff::app
