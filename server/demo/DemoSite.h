#pragma once

// The demo bank served by `handoff-server --demo` under /demo/: sign in with user
// name and password, then a one-time code that only the operator's console (and
// the optional code file) ever shows, then the account page. Something to hand to a
// person through Handoff. Every step is checked on the server: each page is only
// reachable from the one before it, with the right values typed. Plain HTML forms,
// no script; an HttpOnly SameSite=Strict cookie carries the sign-in session.
//
//   GET  /demo/              sign-in page             POST /demo/sign-in     user name and password
//   GET  /demo/verify        one-time code page       POST /demo/verify      the code
//   GET  /demo/account       account page             POST /demo/resend-code a new code
//   GET  /demo/static/NAME   stylesheet and images    POST /demo/sign-out

#include "server/demo/DemoConsole.h"
#include "server/demo/DemoSessions.h"
#include "server/http/HttpRequest.h"
#include "server/http/HttpResponse.h"

#include <QUrl>

namespace handoff::server {

class DemoAccount;
class FormData;
class Router;

class DemoSite final {
public:
    static constexpr int MaxResends = 3; // new codes per sign-in
    static constexpr const char* CookieName = "nw_session";

    struct Options final {
        bool secureCookies = false;    // add Secure (when the public URL is https)
        QString codeFile;              // also write each code here (--demo-code-file)
        DemoConsole::Writer console;   // empty: stdout
        DemoSessions::Clock clock;     // empty: a monotonic clock
    };

    explicit DemoSite(Options options);
    Q_DISABLE_COPY_MOVE(DemoSite)

    void registerRoutes(Router& router);

    // What the operator reads at start: where the site is, the account, where codes appear.
    static QString operatorBanner(const QUrl& publicBase, const QString& codeFile);

private:
    HttpResponse signInPage(const HttpRequest& request);
    HttpResponse signIn(const HttpRequest& request);
    HttpResponse verifyPage(const HttpRequest& request);
    HttpResponse verify(const HttpRequest& request);
    HttpResponse resendCode(const HttpRequest& request);
    HttpResponse accountPage(const HttpRequest& request);
    HttpResponse signOut(const HttpRequest& request);
    static HttpResponse staticFile(const QString& name);

    // The form of a POST, or the answer refusing it (foreign origin, not a form).
    Result<FormData> postedForm(const HttpRequest& request, HttpResponse* refusal) const;
    // A fresh code for `session`, announced to the operator. False if none could be made.
    bool sendCode(DemoSession& session);
    static HttpResponse lockedPage();
    HttpResponse failure() const;

    static QByteArray sessionCookie(const HttpRequest& request);
    HttpResponse withSessionCookie(HttpResponse response, const QByteArray& id) const;
    HttpResponse withClearedCookie(HttpResponse response) const;

    Options m_options;
    const DemoAccount& m_account;
    DemoConsole m_console;
    DemoSessions m_sessions;
};

} // namespace handoff::server
