// The Northwind Bank demo site (server/demo/, resources/demo-site/): its parsers
// and one-time codes in-process, code expiry through the router with a fake clock,
// and the whole sign-in over HTTP against the real handoff-server binary, with a
// cookie jar, as a browser would post its forms.

#include "server/config/ConfigSources.h"
#include "server/config/ServerConfig.h"
#include "server/demo/DemoPages.h"
#include "server/demo/DemoSessions.h"
#include "server/demo/DemoSite.h"
#include "server/demo/FormData.h"
#include "server/demo/OneTimeCode.h"
#include "server/http/Router.h"
#include "tests/support/TestServer.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace handoff;
using namespace handoff::server;

namespace {

struct Reply final {
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(QByteArrayView name) const
    {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0) {
                return value;
            }
        }
        return {};
    }
    bool isPage(const char* page) const { return body.contains(QByteArray("data-page=\"") + page + '"'); }
};

// A browser-like client: keeps cookies, does not follow redirects (so each step's
// answer can be checked), and records everything it received.
class Browser final {
public:
    Browser() { m_manager.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); }

    Reply get(const QUrl& url, const QByteArray& cookie = {}) { return send("GET", url, {}, {}, cookie); }
    Reply post(const QUrl& url, const QByteArray& form, const QByteArray& contentType = "application/x-www-form-urlencoded",
               const QByteArray& origin = {})
    {
        return send("POST", url, form, contentType, {}, origin);
    }
    QByteArray cookie(const QUrl& url) const
    {
        for (const QNetworkCookie& cookie : m_manager.cookieJar()->cookiesForUrl(url)) {
            if (cookie.name() == DemoSite::CookieName) {
                return cookie.value();
            }
        }
        return {};
    }
    const QByteArray& received() const { return m_received; }

private:
    Reply send(const QByteArray& method, const QUrl& url, const QByteArray& body, const QByteArray& contentType,
               const QByteArray& cookie, const QByteArray& origin = {})
    {
        QNetworkRequest request(url);
        if (!contentType.isEmpty()) {
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        }
        if (!origin.isEmpty()) {
            request.setRawHeader("Origin", origin);
        }
        QNetworkAccessManager* manager = &m_manager;
        QNetworkAccessManager bare; // a raw cookie must not mix with the jar's
        if (!cookie.isEmpty()) {
            bare.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
            request.setRawHeader("Cookie", QByteArray(DemoSite::CookieName) + '=' + cookie);
            manager = &bare;
        }
        QNetworkReply* reply = manager->sendCustomRequest(request, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(15'000, &loop, &QEventLoop::quit);
        loop.exec();
        Reply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.headers = reply->rawHeaderPairs();
        for (const auto& [name, value] : result.headers) {
            m_received += name + ": " + value + '\n';
        }
        m_received += result.body;
        delete reply;
        return result;
    }

    QNetworkAccessManager m_manager;
    QByteArray m_received;
};

HttpRequest formRequest(QByteArray path, QByteArray body, const QByteArray& cookie = {})
{
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.target = std::move(path);
    request.headers.append(qMakePair(QByteArray("content-type"), QByteArray("application/x-www-form-urlencoded")));
    if (!cookie.isEmpty()) {
        request.headers.append(qMakePair(QByteArray("cookie"), QByteArray(DemoSite::CookieName) + '=' + cookie));
    }
    request.body = std::move(body);
    request.contentLength = request.body.size();
    return request;
}

QByteArray cookieOf(const HttpResponse& response)
{
    static const QRegularExpression pattern(QStringLiteral("^nw_session=([A-Za-z0-9_-]+);"));
    for (const auto& [name, value] : response.headers) {
        if (name == "Set-Cookie") {
            const auto match = pattern.match(QString::fromLatin1(value));
            if (match.hasMatch()) {
                return match.captured(1).toLatin1();
            }
        }
    }
    return {};
}

} // namespace

class tst_DemoSite final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void formData_data();
    void formData();
    void formDataRejects_data();
    void formDataRejects();
    void formContentType();
    void codeNormalize_data();
    void codeNormalize();
    void codeIssueAndCheck();
    void codeLocksAfterFiveWrong();
    void codeExpires();
    void sessionsExpireAndRotate();
    void pagesEscape();
    void formatCents_data();
    void formatCents();
    void assetNames();
    void expiryThroughRouter();
    void demoSwitchConfig();

    void offWithoutDemoFlag();
    void staticFiles();
    void signInPageAndHeaders();
    void fullFlow();
    void skippingStepsIsRefused();
    void lockoutAfterFiveWrongCodes();
    void resendReplacesCode();
    void foreignOriginAndNonFormRefused();
    void codeNeverInResponses();

private:
    QByteArray signIn(Browser& browser);
    QByteArray currentCode() const;

    QTemporaryDir m_dir;
    QString m_codeFile;
    test::TestServer m_server;
    QByteArray m_allReceived; // every byte any Browser of these tests got
    QByteArrayList m_codes;   // every code the server issued
};

void tst_DemoSite::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_codeFile = m_dir.filePath(QStringLiteral("code"));
    // Through the environment, as documented; the binary inherits it.
    qputenv("HANDOFF_DEMO_CODE_FILE", m_codeFile.toUtf8());
    QVERIFY2(m_server.start({QStringLiteral("--demo")}), qPrintable(m_server.errorString()));
    qunsetenv("HANDOFF_DEMO_CODE_FILE");
}

void tst_DemoSite::cleanupTestCase()
{
    QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
    const QString output = m_server.output();
    QVERIFY2(output.contains(QStringLiteral("demo: sign in as \"alex\" with password \"harbor-lights-42\"")),
             qPrintable(output));
    // The operator console has each code, in the documented form.
    QVERIFY(!m_codes.isEmpty());
    for (const QByteArray& code : std::as_const(m_codes)) {
        QVERIFY2(output.contains(QStringLiteral("demo: one-time code for alex: ") + QString::fromLatin1(code)),
                 code.constData());
    }
}

// --- in-process ---------------------------------------------------------------

void tst_DemoSite::formData_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("present");
    QTest::newRow("simple") << QByteArray("username=alex&password=x") << "username" << "alex" << true;
    QTest::newRow("second") << QByteArray("username=alex&password=x") << "password" << "x" << true;
    QTest::newRow("plus is space") << QByteArray("a=b+c") << "a" << "b c" << true;
    QTest::newRow("escapes") << QByteArray("a=%41%2b%26%3D") << "a" << "A+&=" << true;
    QTest::newRow("utf-8") << QByteArray("a=%C3%A9t%C3%A9") << "a" << QStringLiteral("été") << true;
    QTest::newRow("empty value") << QByteArray("a=&b=1") << "a" << "" << true;
    QTest::newRow("no equals") << QByteArray("a&b=1") << "a" << "" << true;
    QTest::newRow("absent") << QByteArray("a=1") << "b" << QString() << false;
    QTest::newRow("first wins") << QByteArray("a=1&a=2") << "a" << "1" << true;
    QTest::newRow("empty pairs") << QByteArray("&&a=1&") << "a" << "1" << true;
    QTest::newRow("empty body") << QByteArray() << "a" << QString() << false;
    QTest::newRow("escaped name") << QByteArray("o%74p=123456") << "otp" << "123456" << true;
}

void tst_DemoSite::formData()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QFETCH(bool, present);
    Result<FormData> form = FormData::parse(body);
    QVERIFY2(form.ok(), form.ok() ? "" : qPrintable(form.error().message));
    QCOMPARE(form->contains(name), present);
    QCOMPARE(form->value(name), expected);
    QCOMPARE(form->value(name).isNull(), !present);
}

void tst_DemoSite::formDataRejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("lone percent") << QByteArray("a=%");
    QTest::newRow("short escape") << QByteArray("a=%4");
    QTest::newRow("bad hex") << QByteArray("a=%G1");
    QTest::newRow("bad hex in name") << QByteArray("%zz=1");
    QTest::newRow("invalid utf-8") << QByteArray("a=%FF%FE");
    QTest::newRow("overlong utf-8") << QByteArray("a=%C0%AF");
    QTest::newRow("too long value") << QByteArray("a=") + QByteArray(FormData::MaxFieldBytes + 1, 'x');
    QTest::newRow("too long name") << QByteArray(FormData::MaxFieldBytes + 1, 'x') + "=1";
    QByteArray many;
    for (int i = 0; i <= FormData::MaxFields; ++i) {
        many += "f" + QByteArray::number(i) + "=1&";
    }
    QTest::newRow("too many fields") << many;
}

void tst_DemoSite::formDataRejects()
{
    QFETCH(QByteArray, body);
    Result<FormData> form = FormData::parse(body);
    QVERIFY(!form.ok());
    QCOMPARE(form.error().code, QStringLiteral("invalid_form"));
}

void tst_DemoSite::formContentType()
{
    QVERIFY(FormData::isFormContentType("application/x-www-form-urlencoded"));
    QVERIFY(FormData::isFormContentType("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
    QVERIFY(!FormData::isFormContentType("application/json"));
    QVERIFY(!FormData::isFormContentType("multipart/form-data; boundary=x"));
    QVERIFY(!FormData::isFormContentType(""));
    QVERIFY(!FormData::isFormContentType("application/x-www-form-urlencodedx"));
}

void tst_DemoSite::codeNormalize_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("digits") << "123456" << QByteArray("123456");
    QTest::newRow("leading zeros") << "000042" << QByteArray("000042");
    QTest::newRow("spaces") << " 123 456 " << QByteArray("123456");
    QTest::newRow("hyphen") << "123-456" << QByteArray("123456");
    QTest::newRow("short") << "12345" << QByteArray();
    QTest::newRow("long") << "1234567" << QByteArray();
    QTest::newRow("letter") << "12345a" << QByteArray();
    QTest::newRow("arabic-indic digits") << QStringLiteral("١٢٣٤٥٦") << QByteArray();
    QTest::newRow("empty") << "" << QByteArray();
}

void tst_DemoSite::codeNormalize()
{
    QFETCH(QString, typed);
    QFETCH(QByteArray, expected);
    QCOMPARE(OneTimeCode::normalize(typed), expected);
}

void tst_DemoSite::codeIssueAndCheck()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 50; ++i) {
        QByteArray digits;
        Result<OneTimeCode> code = OneTimeCode::issue(0, &digits);
        QVERIFY(code.ok());
        QCOMPARE(digits.size(), 6);
        QCOMPARE(OneTimeCode::normalize(QString::fromLatin1(digits)), digits);
        seen.insert(digits);
    }
    QVERIFY(seen.size() > 40); // random, not a counter

    QByteArray digits;
    Result<OneTimeCode> code = OneTimeCode::issue(1000, &digits);
    QVERIFY(code.ok());
    QCOMPARE(code->check(digits, 2000), OneTimeCode::Outcome::Accepted);
    // Used up: the same code again is refused.
    QCOMPARE(code->check(digits, 2000), OneTimeCode::Outcome::Locked);
}

void tst_DemoSite::codeLocksAfterFiveWrong()
{
    QByteArray digits;
    Result<OneTimeCode> code = OneTimeCode::issue(0, &digits);
    QVERIFY(code.ok());
    const QByteArray wrong = QByteArray::number((digits.toInt() + 1) % 1'000'000).rightJustified(6, '0');
    for (int left = OneTimeCode::MaxAttempts - 1; left > 0; --left) {
        QCOMPARE(code->check(wrong, 10), OneTimeCode::Outcome::Wrong);
        QCOMPARE(code->attemptsLeft(), left);
    }
    QCOMPARE(code->check(wrong, 10), OneTimeCode::Outcome::Locked);
    QCOMPARE(code->check(digits, 10), OneTimeCode::Outcome::Locked);
    QVERIFY(code->isLocked());
}

void tst_DemoSite::codeExpires()
{
    QByteArray digits;
    Result<OneTimeCode> code = OneTimeCode::issue(0, &digits);
    QVERIFY(code.ok());
    QCOMPARE(code->check(digits, OneTimeCode::LifetimeMs), OneTimeCode::Outcome::Expired);
    QCOMPARE(code->attemptsLeft(), OneTimeCode::MaxAttempts); // not counted as a try
    QCOMPARE(OneTimeCode::LifetimeMs, qint64(5 * 60 * 1000));
    QCOMPARE(OneTimeCode::MaxAttempts, 5);
}

void tst_DemoSite::sessionsExpireAndRotate()
{
    qint64 now = 0;
    DemoSessions sessions([&now] { return now; });
    const QByteArray id = sessions.create(DemoSession{});
    QVERIFY(!id.isEmpty());
    QVERIFY(sessions.find(id));
    QVERIFY(!sessions.find(id + 'x'));
    const QByteArray fresh = sessions.rotate(id);
    QVERIFY(!fresh.isEmpty());
    QVERIFY(!sessions.find(id));
    QVERIFY(sessions.find(fresh));
    now += DemoSessions::IdleTimeoutMs - 1;
    QVERIFY(sessions.find(fresh)); // touched: idle time starts again
    now += DemoSessions::IdleTimeoutMs;
    QVERIFY(!sessions.find(fresh));
    QCOMPARE(sessions.size(), 0);
}

void tst_DemoSite::pagesEscape()
{
    const QByteArray page = DemoPages::signIn(QStringLiteral("<script>x</script>{{PASSWORD_ATTRS}}\"'"),
                                              DemoPages::Alert{DemoPages::Alert::Kind::Error, QStringLiteral("<b>")});
    QVERIFY(!page.contains("<script>"));
    QVERIFY(page.contains("&lt;script&gt;x&lt;/script&gt;{{PASSWORD_ATTRS}}&quot;"));
    QVERIFY(!page.contains("<b>"));
    QVERIFY(page.contains("role=\"alert\""));
}

void tst_DemoSite::formatCents_data()
{
    QTest::addColumn<qint64>("cents");
    QTest::addColumn<bool>("plus");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << qint64(0) << false << "$0.00";
    QTest::newRow("cents") << qint64(5) << false << "$0.05";
    QTest::newRow("thousands") << qint64(481237) << false << "$4,812.37";
    QTest::newRow("millions") << qint64(123456789) << false << "$1,234,567.89";
    QTest::newRow("negative") << qint64(-31845) << false << QStringLiteral("−$318.45");
    QTest::newRow("plus") << qint64(325000) << true << "+$3,250.00";
    QTest::newRow("minimum") << std::numeric_limits<qint64>::min() << false
                             << QStringLiteral("−$92,233,720,368,547,758.08");
}

void tst_DemoSite::formatCents()
{
    QFETCH(qint64, cents);
    QFETCH(bool, plus);
    QFETCH(QString, expected);
    QCOMPARE(DemoPages::formatCents(cents, plus), expected);
}

void tst_DemoSite::assetNames()
{
    QVERIFY(DemoPages::available());
    QVERIFY(DemoPages::asset(u"northwind.css"));
    QVERIFY(DemoPages::asset(u"logo.svg"));
    QVERIFY(!DemoPages::asset(u"missing.css"));
    QVERIFY(!DemoPages::asset(u"../templates/layout.html"));
    QVERIFY(!DemoPages::asset(u"..%2Flayout.html"));
    QVERIFY(!DemoPages::asset(u"NORTHWIND.CSS"));
    QVERIFY(!DemoPages::asset(u".css"));
    QVERIFY(!DemoPages::asset(u""));
}

void tst_DemoSite::expiryThroughRouter()
{
    qint64 now = 0;
    QStringList console;
    DemoSite::Options options;
    options.clock = [&now] { return now; };
    options.console = [&console](const QString& line) { console.append(line); };
    DemoSite site(options);
    Router router;
    site.registerRoutes(router);

    HttpResponse response = router.route(formRequest("/demo/sign-in", "username=Alex&password=harbor-lights-42"));
    QCOMPARE(response.status, 303);
    QCOMPARE(response.header("Location"), QByteArray("verify"));
    const QByteArray cookie = cookieOf(response);
    QVERIFY(!cookie.isEmpty());
    QCOMPARE(console.size(), 1);
    static const QRegularExpression line(QStringLiteral("^demo: one-time code for alex: (\\d{6})$"));
    auto match = line.match(console.constLast());
    QVERIFY2(match.hasMatch(), qPrintable(console.constLast()));
    const QByteArray first = match.captured(1).toLatin1();

    now += OneTimeCode::LifetimeMs;
    response = router.route(formRequest("/demo/verify", "otp=" + first, cookie));
    QCOMPARE(response.status, 410);
    QVERIFY(response.body.contains("expired"));

    response = router.route(formRequest("/demo/resend-code", "", cookie));
    QCOMPARE(response.status, 303);
    QCOMPARE(console.size(), 2);
    match = line.match(console.constLast());
    QVERIFY(match.hasMatch());
    response = router.route(formRequest("/demo/verify", "otp=" + match.captured(1).toLatin1(), cookie));
    QCOMPARE(response.status, 303);
    QCOMPARE(response.header("Location"), QByteArray("account"));
    QVERIFY(!cookieOf(response).isEmpty());
    QVERIFY(cookieOf(response) != cookie);
}

void tst_DemoSite::demoSwitchConfig()
{
    // --demo takes no value: the next argument stays an option of its own.
    Result<ConfigSources::Flags> flags = ConfigSources::parseFlags(
        {QStringLiteral("--demo"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QVERIFY(flags.ok());
    QCOMPARE(flags->options.value(QStringLiteral("demo")), QStringLiteral("true"));
    QCOMPARE(flags->options.value(QStringLiteral("listen")), QStringLiteral("127.0.0.1:0"));
    Result<ServerConfig> config = ServerConfig::resolve(flags->options, {}, {});
    QVERIFY(config.ok());
    QVERIFY(config->demo);
    QVERIFY(!ServerConfig::resolve({}, {}, {})->demo); // off by default

    flags = ConfigSources::parseFlags({QStringLiteral("--demo=false")});
    QVERIFY(flags.ok());
    QVERIFY(!ServerConfig::resolve(flags->options, {}, {})->demo);
    QVERIFY(!ServerConfig::resolve({}, {}, {{QStringLiteral("demo"), QStringLiteral("maybe")}}).ok());

    QProcessEnvironment environment;
    environment.insert(QStringLiteral("HANDOFF_DEMO"), QStringLiteral("1"));
    environment.insert(QStringLiteral("HANDOFF_DEMO_CODE_FILE"), QStringLiteral("/tmp/code"));
    config = ServerConfig::resolve({}, ConfigSources::fromEnvironment(environment), {});
    QVERIFY(config.ok());
    QVERIFY(config->demo);
    QCOMPARE(config->demoCodeFile, QStringLiteral("/tmp/code"));
}

// --- over HTTP, against the binary -----------------------------------------------

QByteArray tst_DemoSite::currentCode() const
{
    QFile file(m_codeFile);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return file.readAll().trimmed();
}

QByteArray tst_DemoSite::signIn(Browser& browser)
{
    const Reply reply = browser.post(m_server.url(QStringLiteral("/demo/sign-in")),
                                     "username=alex&password=harbor-lights-42");
    if (reply.status != 303 || reply.header("Location") != "verify") {
        return {};
    }
    const QByteArray code = currentCode();
    m_codes.append(code);
    return code;
}

void tst_DemoSite::offWithoutDemoFlag()
{
    test::TestServer plainServer;
    QVERIFY2(plainServer.start(), qPrintable(plainServer.errorString()));
    Browser browser;
    for (const QString& path : {QStringLiteral("/demo/"), QStringLiteral("/demo"), QStringLiteral("/demo/account"),
                                QStringLiteral("/demo/static/northwind.css")}) {
        QCOMPARE(browser.get(plainServer.url(path)).status, 404);
    }
    QCOMPARE(browser.post(plainServer.url(QStringLiteral("/demo/sign-in")), "username=alex&password=harbor-lights-42")
                 .status,
             404);
    QVERIFY(plainServer.stop());
    QVERIFY(!plainServer.output().contains(QStringLiteral("demo:")));
}

void tst_DemoSite::staticFiles()
{
    Browser browser;
    Reply css = browser.get(m_server.url(QStringLiteral("/demo/static/northwind.css")));
    QCOMPARE(css.status, 200);
    QVERIFY(css.header("Content-Type").startsWith("text/css"));
    QVERIFY(css.body.contains(".signin-card"));
    Reply svg = browser.get(m_server.url(QStringLiteral("/demo/static/logo.svg")));
    QCOMPARE(svg.status, 200);
    QCOMPARE(svg.header("Content-Type"), QByteArray("image/svg+xml"));
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/static/..%2Ftemplates%2Flayout.html"))).status, 404);
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/static/nothing.css"))).status, 404);
    Reply bare = browser.get(m_server.url(QStringLiteral("/demo")));
    QCOMPARE(bare.status, 301);
    QCOMPARE(bare.header("Location"), QByteArray("demo/"));
    m_allReceived += browser.received();
}

void tst_DemoSite::signInPageAndHeaders()
{
    Browser browser;
    const Reply page = browser.get(m_server.url(QStringLiteral("/demo/")));
    QCOMPARE(page.status, 200);
    QVERIFY(page.isPage("sign-in"));
    QVERIFY(page.header("Content-Type").startsWith("text/html"));
    const QByteArray csp = page.header("Content-Security-Policy");
    QVERIFY(csp.contains("default-src 'none'"));
    QVERIFY(csp.contains("form-action 'self'"));
    QVERIFY(!csp.contains("script-src"));
    QCOMPARE(page.header("Cache-Control"), QByteArray("no-store"));
    QVERIFY(page.body.contains("id=\"username\" name=\"username\""));
    QVERIFY(page.body.contains("autocomplete=\"username\""));
    QVERIFY(page.body.contains("id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\""));
    QVERIFY(page.body.contains("<form id=\"signin-form\" class=\"form\" method=\"post\" action=\"sign-in\">"));
    QVERIFY(page.body.contains("type=\"submit\""));
    QVERIFY(!page.body.contains("<script"));
    QVERIFY(!page.body.contains("http://") && !page.body.contains("https://")); // nothing from elsewhere
    m_allReceived += browser.received();
}

void tst_DemoSite::fullFlow()
{
    Browser browser;
    const QUrl signInUrl = m_server.url(QStringLiteral("/demo/sign-in"));

    // Wrong password, unknown user, empty fields: refused, no session.
    Reply reply = browser.post(signInUrl, "username=alex&password=harbor-lights-41");
    QCOMPARE(reply.status, 401);
    QVERIFY(reply.isPage("sign-in"));
    QVERIFY(reply.body.contains("The user name or password you entered is incorrect."));
    QVERIFY(reply.body.contains("value=\"alex\""));
    QVERIFY(reply.header("Set-Cookie").isEmpty());
    reply = browser.post(signInUrl, "username=bob&password=harbor-lights-42");
    QCOMPARE(reply.status, 401);
    reply = browser.post(signInUrl, "username=alex&password=");
    QCOMPARE(reply.status, 400);
    QVERIFY(reply.body.contains("Enter your user name and password."));

    // Right password: the code page, with a strict HttpOnly cookie.
    reply = browser.post(signInUrl, "username=alex&password=harbor-lights-42");
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("Location"), QByteArray("verify"));
    const QByteArray setCookie = reply.header("Set-Cookie");
    QVERIFY(setCookie.contains("HttpOnly"));
    QVERIFY(setCookie.contains("SameSite=Strict"));
    const QByteArray code = currentCode();
    QVERIFY(QRegularExpression(QStringLiteral("^\\d{6}$")).match(QString::fromLatin1(code)).hasMatch());
    m_codes.append(code);
    QCOMPARE(QFile(m_codeFile).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());

    reply = browser.get(m_server.url(QStringLiteral("/demo/verify")));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.isPage("verify"));
    QVERIFY(reply.body.contains("id=\"otp\" name=\"otp\""));
    QVERIFY(reply.body.contains("autocomplete=\"one-time-code\""));

    // Not yet signed in: the account page sends back to the start.
    reply = browser.get(m_server.url(QStringLiteral("/demo/account")));
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("Location"), QByteArray("./"));

    // A wrong code, then a malformed one (not counted), then the right one.
    const QUrl verifyUrl = m_server.url(QStringLiteral("/demo/verify"));
    const QByteArray wrong = QByteArray::number((code.toInt() + 1) % 1'000'000).rightJustified(6, '0');
    reply = browser.post(verifyUrl, "otp=" + wrong);
    QCOMPARE(reply.status, 401);
    QVERIFY(reply.body.contains("That code is incorrect. You have 4 attempts left."));
    reply = browser.post(verifyUrl, "otp=12ab");
    QCOMPARE(reply.status, 400);
    QVERIFY(reply.body.contains("Enter the 6-digit code"));

    const QByteArray beforeCode = browser.cookie(verifyUrl);
    reply = browser.post(verifyUrl, "otp=" + code.left(3) + "+" + code.mid(3));
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("Location"), QByteArray("account"));
    const QByteArray afterCode = browser.cookie(verifyUrl);
    QVERIFY(!afterCode.isEmpty());
    QVERIFY(afterCode != beforeCode); // a new session id once signed in

    reply = browser.get(m_server.url(QStringLiteral("/demo/account")));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.isPage("account"));
    QVERIFY(reply.body.contains("Welcome back, Alex"));
    QVERIFY(reply.body.contains("Everyday Checking"));
    QVERIFY(reply.body.contains("$4,812.37"));
    QVERIFY(reply.body.contains("Payroll · Contoso Ltd"));
    QVERIFY(reply.body.contains("id=\"transactions\""));

    // The code is used up, and the cookie from before the code step opens nothing.
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/account")), beforeCode).status, 303);
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/verify"))).status, 303);

    // Signing out ends the session.
    reply = browser.post(m_server.url(QStringLiteral("/demo/sign-out")), "");
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("Location"), QByteArray("./?signed-out"));
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/account")), afterCode).status, 303);
    reply = browser.get(m_server.url(QStringLiteral("/demo/account")));
    QCOMPARE(reply.status, 303);
    m_allReceived += browser.received();
}

void tst_DemoSite::skippingStepsIsRefused()
{
    Browser browser;
    // No session at all.
    Reply reply = browser.get(m_server.url(QStringLiteral("/demo/verify")));
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("Location"), QByteArray("./"));
    reply = browser.post(m_server.url(QStringLiteral("/demo/verify")), "otp=123456");
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("Location"), QByteArray("./"));
    reply = browser.post(m_server.url(QStringLiteral("/demo/resend-code")), "");
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("Location"), QByteArray("./"));
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/account"))).status, 303);

    // A made-up cookie is no session either.
    const QByteArray forged(43, 'A');
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/account")), forged).status, 303);
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/verify")), forged).status, 303);

    // Password step done: the account page still needs the code.
    QVERIFY(!signIn(browser).isEmpty());
    reply = browser.get(m_server.url(QStringLiteral("/demo/account")));
    QCOMPARE(reply.status, 303);
    QVERIFY(!reply.isPage("account"));
    m_allReceived += browser.received();
}

void tst_DemoSite::lockoutAfterFiveWrongCodes()
{
    Browser browser;
    const QByteArray code = signIn(browser);
    QVERIFY(!code.isEmpty());
    const QUrl verifyUrl = m_server.url(QStringLiteral("/demo/verify"));
    const QByteArray wrong = QByteArray::number((code.toInt() + 7) % 1'000'000).rightJustified(6, '0');
    for (int left = 4; left >= 1; --left) {
        const Reply reply = browser.post(verifyUrl, "otp=" + wrong);
        QCOMPARE(reply.status, 401);
        QVERIFY(reply.body.contains(QStringLiteral("You have %1 attempt").arg(left).toUtf8()));
    }
    Reply reply = browser.post(verifyUrl, "otp=" + wrong);
    QCOMPARE(reply.status, 429);
    QVERIFY(reply.isPage("locked"));
    QVERIFY(reply.body.contains("Too many incorrect codes."));
    QVERIFY(!reply.body.contains("id=\"otp\""));

    // Now even the right code fails, no new code can be had, and nothing opens.
    reply = browser.post(verifyUrl, "otp=" + code);
    QCOMPARE(reply.status, 429);
    QVERIFY(reply.isPage("locked"));
    QCOMPARE(browser.post(m_server.url(QStringLiteral("/demo/resend-code")), "").status, 429);
    QCOMPARE(currentCode(), code);
    QCOMPARE(browser.get(verifyUrl).status, 429);
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/account"))).status, 303);

    // Signing in again gives a fresh code that works.
    const QByteArray fresh = signIn(browser);
    QVERIFY(!fresh.isEmpty());
    reply = browser.post(verifyUrl, "otp=" + fresh);
    QCOMPARE(reply.status, 303);
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/account"))).status, 200);
    m_allReceived += browser.received();
}

void tst_DemoSite::resendReplacesCode()
{
    Browser browser;
    const QByteArray first = signIn(browser);
    QVERIFY(!first.isEmpty());
    const QUrl resendUrl = m_server.url(QStringLiteral("/demo/resend-code"));
    Reply reply = browser.post(resendUrl, "");
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("Location"), QByteArray("verify"));
    const QByteArray second = currentCode();
    m_codes.append(second);
    reply = browser.get(m_server.url(QStringLiteral("/demo/verify")));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.body.contains("We sent you a new code."));

    const QUrl verifyUrl = m_server.url(QStringLiteral("/demo/verify"));
    if (first != second) { // equal one time in a million
        QCOMPARE(browser.post(verifyUrl, "otp=" + first).status, 401);
    }
    for (int i = 1; i < DemoSite::MaxResends; ++i) {
        QCOMPARE(browser.post(resendUrl, "").status, 303);
        m_codes.append(currentCode());
    }
    reply = browser.post(resendUrl, "");
    QCOMPARE(reply.status, 429);
    QVERIFY(reply.body.contains("more codes"));
    QCOMPARE(browser.post(verifyUrl, "otp=" + currentCode()).status, 303);
    QCOMPARE(browser.get(m_server.url(QStringLiteral("/demo/account"))).status, 200);
    m_allReceived += browser.received();
}

void tst_DemoSite::foreignOriginAndNonFormRefused()
{
    Browser browser;
    const QUrl signInUrl = m_server.url(QStringLiteral("/demo/sign-in"));
    const QByteArray form = "username=alex&password=harbor-lights-42";
    const QByteArray before = currentCode();
    QCOMPARE(browser.post(signInUrl, form, "application/x-www-form-urlencoded", "https://evil.example").status, 403);
    QCOMPARE(browser.post(signInUrl, form, "application/x-www-form-urlencoded", "null").status, 403);
    QCOMPARE(browser.post(signInUrl, "{\"username\":\"alex\"}", "application/json").status, 400);
    QCOMPARE(browser.post(signInUrl, "username=%ZZ", "application/x-www-form-urlencoded").status, 400);
    QCOMPARE(currentCode(), before); // none of these made a code
    // The page's own origin is fine.
    const QByteArray own = "http://127.0.0.1:" + QByteArray::number(m_server.port());
    QCOMPARE(browser.post(signInUrl, form, "application/x-www-form-urlencoded", own).status, 303);
    m_codes.append(currentCode());
    m_allReceived += browser.received();
}

void tst_DemoSite::codeNeverInResponses()
{
    QVERIFY(m_codes.size() >= 5);
    QVERIFY(m_allReceived.size() > 10'000);
    for (const QByteArray& code : std::as_const(m_codes)) {
        QVERIFY2(!m_allReceived.contains(code), code.constData());
    }
    QVERIFY(!m_allReceived.contains("harbor-lights-42"));
}

QTEST_GUILESS_MAIN(tst_DemoSite)
#include "tst_DemoSite.moc"
