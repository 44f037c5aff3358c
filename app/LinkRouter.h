#pragma once

// The one entry point for links, however they arrive: the command line, a
// second instance, QFileOpenEvent (macOS), the handoff:// scheme, or a link
// pasted into the "Open link" dialog. A pairing link (handoff://pair?... or
// <base>/pair#t=..., device::PairingLink) leaves as pairingLinkOpened() for the
// person to confirm. A session link goes through SessionLinkParser, then the
// trust check, then SessionManager.
//
// A link to a server not trusted yet could come from anyone, and the page it
// shows could imitate any bank. So the session connects first (nothing is sent
// but our key), its session_info tells which service it is for, and the person
// is asked once whether to trust that server for it. Only then does a window
// open; the answer is remembered. A session link that a paired server sent over
// its authenticated device channel, to its own address, needs no question.

#include "core/common/Result.h"
#include "core/device/PairingLink.h"
#include "core/protocol/SessionLink.h"
#include "core/session/ViewerSession.h"

#include <QObject>
#include <QUrl>

#include <functional>

namespace handoff::app {

class SessionManager;
class TrustedServers;

class LinkRouter final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LinkRouter)

public:
    enum class Source { CommandLine, OtherInstance, FileOpen, Dialog, PairedServer };
    Q_ENUM(Source)

    // Asked for an untrusted server: its origin and the session's service. True trusts it.
    using TrustQuestion = std::function<bool(const QString& origin, const QString& service)>;

    LinkRouter(TrustedServers* trustedServers, SessionManager* sessions, QObject* parent = nullptr);

    void setTrustQuestion(TrustQuestion question) { m_askTrust = std::move(question); }
    void setSessionOptions(const session::ViewerSession::Options& options) { m_options = options; }

    // Parses `text` (a pasted or command-line link) and opens it. The error says
    // what is wrong with the link, never the link itself.
    Result<void> open(const QString& text, Source source);
    Result<void> open(const QUrl& url, Source source);
    // A session link from a paired server's device channel (a session request).
    // Trusted without asking when it leads to `pairedServer` itself; a link to
    // any other server is treated like one from anywhere else.
    Result<void> openFromPairedServer(const QString& text, const QUrl& pairedServer);

    // The question shown when nothing else was set: a message box.
    static bool askWithDialog(const QString& origin, const QString& service);

Q_SIGNALS:
    // A valid link arrived (the tray announces it when no window is visible).
    void linkAccepted(handoff::app::LinkRouter::Source source);
    // Something went wrong with a link; for a person.
    void linkFailed(const QString& message);
    // A valid pairing link: the person is to be asked whether to pair.
    void pairingLinkOpened(const handoff::device::PairingLink& link, handoff::app::LinkRouter::Source source);

private:
    Result<void> openPairingLink(const QString& text, Source source);
    // Refuses a link that did not parse (saying why), else opens it as a link from
    // `source`. Given the paired server that sent it, a link to that server's own
    // origin is trusted without asking.
    Result<void> openSessionLink(const Result<protocol::SessionLink>& link, Source source,
                                 const QUrl& pairedServer = {});
    void openLink(const protocol::SessionLink& link, bool trusted);
    void askThenShow(session::ViewerSession* session, const QUrl& server);

    TrustedServers* m_trusted;
    SessionManager* m_sessions;
    TrustQuestion m_askTrust;
    session::ViewerSession::Options m_options;
};

} // namespace handoff::app
