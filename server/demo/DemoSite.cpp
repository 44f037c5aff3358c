#include "server/demo/DemoSite.h"

#include "core/crypto/SecureMemory.h"
#include "server/demo/DemoAccount.h"
#include "server/demo/DemoLogging.h"
#include "server/demo/DemoPages.h"
#include "server/demo/FormData.h"
#include "server/http/Router.h"

#include <QDate>
#include <QElapsedTimer>

namespace handoff::server {

namespace {

using Alert = DemoPages::Alert;

constexpr qsizetype maxUserNameLength = 64;

qint64 monotonicMs()
{
    static const QElapsedTimer timer = [] {
        QElapsedTimer started;
        started.start();
        return started;
    }();
    return timer.elapsed();
}

Alert error(QString text)
{
    return Alert{Alert::Kind::Error, std::move(text)};
}

Alert info(QString text)
{
    return Alert{Alert::Kind::Info, std::move(text)};
}

// Headers every demo answer carries. No script runs on these pages at all.
HttpResponse& secure(HttpResponse& response)
{
    response.setHeader("Content-Security-Policy",
                       "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
                       "frame-ancestors 'none'");
    // same-origin (not no-referrer): a browser then sends the page's real Origin on
    // its own form posts, which postedForm() checks.
    response.setHeader("Referrer-Policy", "same-origin");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    return response;
}

HttpResponse html(int status, QByteArray body)
{
    HttpResponse response = HttpResponse::text(status, "text/html; charset=utf-8", std::move(body));
    response.setHeader("Cache-Control", "no-store");
    return secure(response);
}

// After a POST, 303 so that the browser GETs the next page (and a reload does not post again).
HttpResponse redirect(QByteArray location, int status = 303)
{
    HttpResponse response;
    response.status = status;
    response.setHeader("Location", std::move(location));
    response.setHeader("Cache-Control", "no-store");
    return secure(response);
}

HttpResponse plain(int status, const QString& message)
{
    HttpResponse response = HttpResponse::text(status, "text/plain; charset=utf-8", message.toUtf8() + '\n');
    response.setHeader("Cache-Control", "no-store");
    return secure(response);
}

} // namespace

DemoSite::DemoSite(Options options)
    : m_options(std::move(options))
    , m_account(DemoAccount::alex())
    , m_console(m_options.codeFile, m_options.console)
    , m_sessions(m_options.clock ? m_options.clock : DemoSessions::Clock(&monotonicMs))
{
    if (!DemoPages::available()) {
        qCWarning(lcDemo) << "the demo site's files are not embedded in this build; its pages will be empty";
    }
}

QString DemoSite::operatorBanner(const QUrl& publicBase, const QString& codeFile)
{
    const DemoAccount& account = DemoAccount::alex();
    QUrl site = publicBase;
    site.setPath(publicBase.path() + QStringLiteral("/demo/"));
    QString text = QStringLiteral("demo: Northwind Bank demo site at %1\n"
                                  "demo: sign in as \"%2\" with password \"%3\"; one-time codes are printed here\n")
                       .arg(site.toString(), account.userName(), account.password());
    if (!codeFile.isEmpty()) {
        text += QStringLiteral("demo: one-time codes are also written to %1\n").arg(codeFile);
    }
    return text;
}

void DemoSite::registerRoutes(Router& router)
{
    auto bind = [this](HttpResponse (DemoSite::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& request, const QStringList&) { return (this->*handler)(request); };
    };
    router.add("GET", "/demo", [](const HttpRequest&, const QStringList&) { return redirect("demo/", 301); });
    router.add("GET", "/demo/", bind(&DemoSite::signInPage));
    router.add("POST", "/demo/sign-in", bind(&DemoSite::signIn));
    router.add("GET", "/demo/verify", bind(&DemoSite::verifyPage));
    router.add("POST", "/demo/verify", bind(&DemoSite::verify));
    router.add("POST", "/demo/resend-code", bind(&DemoSite::resendCode));
    router.add("GET", "/demo/account", bind(&DemoSite::accountPage));
    router.add("POST", "/demo/sign-out", bind(&DemoSite::signOut));
    router.add("GET", "/demo/static/{}",
               [](const HttpRequest&, const QStringList& params) { return staticFile(params.at(0)); });
}

QByteArray DemoSite::sessionCookie(const HttpRequest& request)
{
    const QByteArray prefix = QByteArray(CookieName) + '=';
    for (const auto& [name, value] : request.headers) {
        if (name != "cookie") {
            continue;
        }
        for (const QByteArray& part : value.split(';')) {
            const QByteArray cookie = part.trimmed();
            if (cookie.startsWith(prefix)) {
                return cookie.mid(prefix.size());
            }
        }
    }
    return {};
}

// No Path attribute: the default is the folder of the page that set it ("/demo", or
// "/prefix/demo" behind a proxy), which is exactly where the cookie is wanted.
HttpResponse DemoSite::withSessionCookie(HttpResponse response, const QByteArray& id) const
{
    QByteArray cookie = QByteArray(CookieName) + '=' + id + "; HttpOnly; SameSite=Strict";
    if (m_options.secureCookies) {
        cookie += "; Secure";
    }
    response.headers.append({"Set-Cookie", cookie});
    return response;
}

HttpResponse DemoSite::withClearedCookie(HttpResponse response) const
{
    QByteArray cookie = QByteArray(CookieName) + "=; Max-Age=0; HttpOnly; SameSite=Strict";
    if (m_options.secureCookies) {
        cookie += "; Secure";
    }
    response.headers.append({"Set-Cookie", cookie});
    return response;
}

Result<FormData> DemoSite::postedForm(const HttpRequest& request, HttpResponse* refusal) const
{
    // SameSite=Strict already keeps the cookie off cross-site posts; checking the
    // Origin also stops another site from posting a sign-in form on its own.
    if (request.hasHeader("origin")) {
        const QUrl origin(QString::fromLatin1(request.header("origin")), QUrl::StrictMode);
        const QString host = QString::fromLatin1(request.header("host"));
        if (!origin.isValid() || origin.host().isEmpty()
            || origin.authority().compare(host, Qt::CaseInsensitive) != 0) {
            *refusal = plain(403, QStringLiteral("This form was sent from another site and has been refused."));
            return Error{QStringLiteral("foreign_origin"), QStringLiteral("foreign origin")};
        }
    }
    if (!FormData::isFormContentType(request.header("content-type"))) {
        *refusal = plain(400, QStringLiteral("Expected an HTML form (application/x-www-form-urlencoded)."));
        return Error{QStringLiteral("not_a_form"), QStringLiteral("not a form")};
    }
    Result<FormData> form = FormData::parse(request.body);
    if (!form) {
        *refusal = plain(400, form.error().message);
    }
    return form;
}

HttpResponse DemoSite::failure() const
{
    return plain(500, QStringLiteral("Something went wrong on our side. Please try again."));
}

HttpResponse DemoSite::lockedPage()
{
    return html(429, DemoPages::locked(error(QStringLiteral(
                         "Too many incorrect codes. For your security, this sign-in has been locked."))));
}

bool DemoSite::sendCode(DemoSession& session)
{
    QByteArray digits;
    Result<OneTimeCode> code = OneTimeCode::issue(m_sessions.now(), &digits);
    if (!code) {
        qCWarning(lcDemo).noquote() << "could not make a one-time code:" << code.error().message;
        return false;
    }
    session.code = std::move(*code);
    m_console.oneTimeCode(session.userName, digits);
    crypto::wipe(digits);
    return true;
}

HttpResponse DemoSite::signInPage(const HttpRequest& request)
{
    const DemoSession* session = m_sessions.find(sessionCookie(request));
    if (session && session->stage == DemoSession::Stage::SignedIn) {
        return redirect("account", 303);
    }
    std::optional<Alert> alert;
    if (request.queryItems().hasQueryItem(QStringLiteral("signed-out"))) {
        alert = info(QStringLiteral("You have signed out. Thank you for banking with Northwind."));
    }
    return html(200, DemoPages::signIn(QString(), alert));
}

HttpResponse DemoSite::signIn(const HttpRequest& request)
{
    HttpResponse refusal;
    Result<FormData> form = postedForm(request, &refusal);
    if (!form) {
        return refusal;
    }
    const QString userName = form->value(u"username").trimmed().left(maxUserNameLength);
    const QString password = form->value(u"password");
    if (userName.isEmpty() || password.isEmpty()) {
        return html(400, DemoPages::signIn(userName, error(QStringLiteral("Enter your user name and password."))));
    }
    if (!m_account.matches(userName, password)) {
        qCInfo(lcDemo) << "sign-in refused: wrong user name or password";
        return html(401, DemoPages::signIn(userName, error(QStringLiteral(
                                                           "The user name or password you entered is incorrect. "
                                                           "Check them and try again."))));
    }
    // A sign-in always starts a new session: whatever the old cookie held is dropped.
    m_sessions.remove(sessionCookie(request));
    DemoSession session;
    session.stage = DemoSession::Stage::AwaitingCode;
    session.userName = m_account.userName();
    if (!sendCode(session)) {
        return failure();
    }
    const QByteArray id = m_sessions.create(std::move(session));
    if (id.isEmpty()) {
        return failure();
    }
    qCInfo(lcDemo) << "password accepted; one-time code sent to the operator";
    return withSessionCookie(redirect("verify"), id);
}

HttpResponse DemoSite::verifyPage(const HttpRequest& request)
{
    DemoSession* session = m_sessions.find(sessionCookie(request));
    if (!session) {
        return redirect("./");
    }
    switch (session->stage) {
    case DemoSession::Stage::SignedIn:
        return redirect("account");
    case DemoSession::Stage::Locked:
        return lockedPage();
    case DemoSession::Stage::AwaitingCode:
        break;
    }
    std::optional<Alert> alert;
    if (session->codeResent) {
        session->codeResent = false;
        alert = info(QStringLiteral("We sent you a new code. Earlier codes no longer work."));
    }
    return html(200, DemoPages::verify(m_account, alert));
}

HttpResponse DemoSite::verify(const HttpRequest& request)
{
    HttpResponse refusal;
    Result<FormData> form = postedForm(request, &refusal);
    if (!form) {
        return refusal;
    }
    const QByteArray id = sessionCookie(request);
    DemoSession* session = m_sessions.find(id);
    if (!session) {
        // No password step behind this post: start at the beginning.
        return redirect("./");
    }
    if (session->stage == DemoSession::Stage::SignedIn) {
        return redirect("account");
    }
    if (session->stage == DemoSession::Stage::Locked || !session->code) {
        return lockedPage();
    }
    QByteArray typed = OneTimeCode::normalize(form->value(u"otp"));
    if (typed.isEmpty()) {
        return html(400, DemoPages::verify(m_account, error(QStringLiteral(
                                                           "Enter the 6-digit code from your text message, "
                                                           "using digits only."))));
    }
    const OneTimeCode::Outcome outcome = session->code->check(typed, m_sessions.now());
    crypto::wipe(typed);
    switch (outcome) {
    case OneTimeCode::Outcome::Accepted: {
        session->stage = DemoSession::Stage::SignedIn;
        session->code.reset();
        const QByteArray fresh = m_sessions.rotate(id);
        if (fresh.isEmpty()) {
            return failure();
        }
        qCInfo(lcDemo) << "one-time code accepted; signed in";
        return withSessionCookie(redirect("account"), fresh);
    }
    case OneTimeCode::Outcome::Wrong: {
        const int left = session->code->attemptsLeft();
        qCInfo(lcDemo) << "one-time code refused," << left << "tries left";
        return html(401, DemoPages::verify(m_account,
                                           error(QStringLiteral("That code is incorrect. You have %1 %2 left.")
                                                     .arg(left)
                                                     .arg(left == 1 ? QStringLiteral("attempt")
                                                                    : QStringLiteral("attempts")))));
    }
    case OneTimeCode::Outcome::Expired:
        return html(410, DemoPages::verify(m_account, error(QStringLiteral(
                                                          "This code has expired. Choose “Send a new code” to get "
                                                          "another one."))));
    case OneTimeCode::Outcome::Locked:
        break;
    }
    qCInfo(lcDemo) << "one-time code refused too often; sign-in locked";
    session->stage = DemoSession::Stage::Locked;
    session->code.reset();
    return lockedPage();
}

HttpResponse DemoSite::resendCode(const HttpRequest& request)
{
    HttpResponse refusal;
    Result<FormData> form = postedForm(request, &refusal);
    if (!form) {
        return refusal;
    }
    DemoSession* session = m_sessions.find(sessionCookie(request));
    if (!session) {
        return redirect("./");
    }
    if (session->stage == DemoSession::Stage::SignedIn) {
        return redirect("account");
    }
    if (session->stage == DemoSession::Stage::Locked) {
        return lockedPage();
    }
    if (session->resends >= MaxResends) {
        return html(429, DemoPages::verify(m_account, error(QStringLiteral(
                                                          "We can’t send more codes for this sign-in. Use the last "
                                                          "code we sent, or cancel and sign in again."))));
    }
    if (!sendCode(*session)) {
        return failure();
    }
    ++session->resends;
    session->codeResent = true;
    qCInfo(lcDemo) << "new one-time code sent to the operator";
    return redirect("verify");
}

HttpResponse DemoSite::accountPage(const HttpRequest& request)
{
    const DemoSession* session = m_sessions.find(sessionCookie(request));
    if (!session || session->stage != DemoSession::Stage::SignedIn) {
        return redirect("./");
    }
    return html(200, DemoPages::account(m_account, QDate::currentDate()));
}

HttpResponse DemoSite::signOut(const HttpRequest& request)
{
    HttpResponse refusal;
    Result<FormData> form = postedForm(request, &refusal);
    if (!form) {
        return refusal;
    }
    m_sessions.remove(sessionCookie(request));
    return withClearedCookie(redirect("./?signed-out"));
}

HttpResponse DemoSite::staticFile(const QString& name)
{
    std::optional<DemoPages::Asset> asset = DemoPages::asset(name);
    if (!asset) {
        return plain(404, QStringLiteral("No such file."));
    }
    HttpResponse response = HttpResponse::text(200, asset->contentType, asset->body);
    response.setHeader("Cache-Control", "public, max-age=300");
    return secure(response);
}

} // namespace handoff::server
