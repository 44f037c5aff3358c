// `handoff-agent approve` as a script runs it, against a real handoff-server
// whose approval requests reach the app's real DeviceClient (key in the real
// keychain), which approves or denies them signed like the app does:
// approved (the token printed verifies against /jwks; --json), denied,
// expired (short --expiry), slow_down (the server's interval enforced, +5 s),
// invalid client and unknown user (clear errors), SIGTERM (cancelled), and
// usage errors; each with its documented exit code, and never the secret in
// the output.

#include "agent/cli/ArgumentParser.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/support/CibaCli.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>

using namespace handoff;
using namespace handoff::test;
using handoff::agent::ExitCancelled;
using handoff::agent::ExitDenied;
using handoff::agent::ExitError;
using handoff::agent::ExitResolved;
using handoff::agent::ExitTimeout;
using handoff::agent::ExitUsage;

namespace {

const QString Person = QStringLiteral("alex@example.com");

// One run of the program; the event loop keeps turning while it runs, so the
// device can receive and answer.
class AgentRun final {
public:
    AgentRun(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment)
    {
        m_process.setProcessEnvironment(environment);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { out += QString::fromUtf8(m_process.readAllStandardOutput()); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { err += QString::fromUtf8(m_process.readAllStandardError()); });
        m_process.start(program, arguments);
    }
    ~AgentRun()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    Q_DISABLE_COPY_MOVE(AgentRun)

    bool waitForExit(int timeoutMs = 60'000)
    {
        const bool done = QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
        out += QString::fromUtf8(m_process.readAllStandardOutput());
        err += QString::fromUtf8(m_process.readAllStandardError());
        return done;
    }
    bool waitForError(const QString& text, int timeoutMs = 30'000)
    {
        return QTest::qWaitFor([&] { return err.contains(text) || m_process.state() == QProcess::NotRunning; }, timeoutMs)
            && err.contains(text);
    }
    int exitCode() const
    {
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    qint64 pid() const { return m_process.processId(); }
    QString describe() const { return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(exitCode()).arg(out, err); }

    QString out;
    QString err;

private:
    QProcess m_process;
};

} // namespace

class TestApproveCommand final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void approvedPrintsAVerifiedToken();
    void approvedAsJson();
    void deniedOnTheDevice();
    void expiresWhenNobodyAnswers();
    void slowDownStretchesTheInterval();
    void invalidClient();
    void unknownUser();
    void wrongServerPath();
    void terminationCancels();
    void usageErrors_data();
    void usageErrors();

private:
    QProcessEnvironment environment(const QString& secret = {}) const;
    std::unique_ptr<AgentRun> approve(const QString& bindingMessage, const QStringList& extra = {},
                                      const QString& secret = {});
    QJsonObject verifiedClaims(const QString& jwt);

    QString m_program;
    TestServer m_server;
    PairedDevice m_device;
    ClientCredentials m_client;
};

void TestApproveCommand::initTestCase()
{
    m_program = TestPaths::program(QStringLiteral("handoff-agent"));
    if (m_program.isEmpty() || TestServer::program().isEmpty()) {
        QSKIP("handoff-agent or handoff-server is not built");
    }
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY2(m_device.pair(m_server, Person), qPrintable(m_device.errorString()));
    // An interval of 1 s keeps the suite quick; the server enforces it per request.
    m_client = createClient(m_server, QStringLiteral("Refund bot"));
    QVERIFY(m_client.isValid());
}

void TestApproveCommand::cleanupTestCase()
{
    if (m_server.isRunning()) {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
    }
}

QProcessEnvironment TestApproveCommand::environment(const QString& secret) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HANDOFF_SERVER"), m_server.baseUrl().toString());
    env.insert(QStringLiteral("HANDOFF_CLIENT_ID"), m_client.id);
    env.insert(QStringLiteral("HANDOFF_CLIENT_SECRET"), secret.isEmpty() ? m_client.secret : secret);
    return env;
}

std::unique_ptr<AgentRun> TestApproveCommand::approve(const QString& bindingMessage, const QStringList& extra,
                                                      const QString& secret)
{
    QStringList arguments{QStringLiteral("approve"), QStringLiteral("--binding-message"), bindingMessage,
                          QStringLiteral("--login-hint"), Person};
    return std::make_unique<AgentRun>(m_program, arguments + extra, environment(secret));
}

// The claims of a JWT whose signature verifies against the server's /jwks, or nothing.
QJsonObject TestApproveCommand::verifiedClaims(const QString& jwt)
{
    return verifiesWithJwks(m_server, jwt) ? jwtPart(jwt, 1) : QJsonObject();
}

void TestApproveCommand::approvedPrintsAVerifiedToken()
{
    const QString message = QStringLiteral("Refund $120.00 to ACME Corp, order 1234");
    auto run = approve(message, {QStringLiteral("--scope"), QStringLiteral("payments")});
    const std::optional<device::ApprovalRequest> request = m_device.waitForRequest(message);
    QVERIFY2(request, qPrintable(run->describe()));
    // openid is added to the scope (CIBA requires it), and the device shows who asks.
    QCOMPARE(request->scope, QStringLiteral("openid payments"));
    QCOMPARE(request->clientName, QStringLiteral("Refund bot"));
    QCOMPARE(request->user, Person);
    QVERIFY(m_device.decide(request->authReqId, true));
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitResolved, qPrintable(run->describe()));

    // stdout holds the access token and nothing else; it verifies against /jwks.
    const QStringList lines = run->out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    const QJsonObject claims = verifiedClaims(lines.first());
    QVERIFY2(!claims.isEmpty(), "the printed token does not verify against the server's /jwks");
    QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_server.baseUrl().toString());
    QCOMPARE(claims.value(QStringLiteral("client_id")).toString(), m_client.id);
    QCOMPARE(claims.value(QStringLiteral("scope")).toString(), QStringLiteral("openid payments"));

    QVERIFY2(run->err.contains(QStringLiteral("Waiting for alex@example.com to approve on their device: ") + message),
             qPrintable(run->err));
    QVERIFY(run->err.contains(QStringLiteral("Approved.")));
    QVERIFY(!run->out.contains(m_client.secret) && !run->err.contains(m_client.secret));
}

void TestApproveCommand::approvedAsJson()
{
    const QString message = QStringLiteral("Pay invoice 77 to Globex, EUR 980.00");
    // The secret on the command line works too (the environment is better: see --help).
    QStringList extra{QStringLiteral("--json"), QStringLiteral("--client-secret"), m_client.secret};
    auto run = approve(message, extra, QStringLiteral("not-the-secret"));
    const std::optional<device::ApprovalRequest> request = m_device.waitForRequest(message);
    QVERIFY2(request, qPrintable(run->describe()));
    QCOMPARE(request->scope, QStringLiteral("openid"));
    QVERIFY(m_device.decide(request->authReqId, true));
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitResolved, qPrintable(run->describe()));

    const QStringList lines = run->out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    const QJsonObject answer = QJsonDocument::fromJson(lines.first().toUtf8()).object();
    QCOMPARE(answer.value(QStringLiteral("outcome")).toString(), QStringLiteral("approved"));
    QCOMPARE(answer.value(QStringLiteral("auth_req_id")).toString(), request->authReqId);
    QCOMPARE(answer.value(QStringLiteral("scope")).toString(), QStringLiteral("openid"));
    QCOMPARE(answer.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
    QCOMPARE(answer.value(QStringLiteral("expires_in")).toInt(), 300);
    QVERIFY(!verifiedClaims(answer.value(QStringLiteral("access_token")).toString()).isEmpty());
    const QJsonObject idClaims = verifiedClaims(answer.value(QStringLiteral("id_token")).toString());
    QCOMPARE(idClaims.value(QStringLiteral("aud")).toString(), m_client.id);
    QCOMPARE(idClaims.value(QStringLiteral("urn:openid:params:jwt:claim:auth_req_id")).toString(), request->authReqId);
}

void TestApproveCommand::deniedOnTheDevice()
{
    const QString message = QStringLiteral("Delete the production database");
    auto run = approve(message, {QStringLiteral("--json")});
    const std::optional<device::ApprovalRequest> request = m_device.waitForRequest(message);
    QVERIFY2(request, qPrintable(run->describe()));
    QVERIFY(m_device.decide(request->authReqId, false));
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitDenied, qPrintable(run->describe()));
    const QJsonObject answer = QJsonDocument::fromJson(run->out.toUtf8()).object();
    QCOMPARE(answer.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
    QCOMPARE(answer.value(QStringLiteral("error")).toString(), QStringLiteral("access_denied"));
    QCOMPARE(answer.value(QStringLiteral("auth_req_id")).toString(), request->authReqId);
    QVERIFY(!answer.contains(QStringLiteral("access_token")));
    QVERIFY(run->err.contains(QStringLiteral("Denied: The person denied the request.")));
}

void TestApproveCommand::expiresWhenNobodyAnswers()
{
    const QString message = QStringLiteral("Nobody answers this one");
    auto run = approve(message, {QStringLiteral("--expiry"), QStringLiteral("2")});
    QVERIFY(m_device.waitForRequest(message));
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitTimeout, qPrintable(run->describe()));
    QVERIFY(run->out.isEmpty());
    QVERIFY2(run->err.contains(QStringLiteral("Expired: The request expired before the person answered.")), qPrintable(run->err));
    QVERIFY(run->err.contains(QStringLiteral("The request expires in 2 s")));
}

void TestApproveCommand::slowDownStretchesTheInterval()
{
    const QString message = QStringLiteral("Transfer $5,000.00 to Initech");
    auto run = approve(message, {QStringLiteral("--json")});
    const std::optional<device::ApprovalRequest> request = m_device.waitForRequest(message);
    QVERIFY2(request, qPrintable(run->describe()));
    // Two polls in a row from the test, as a second poller with the same client:
    // the second one is too fast, so the server stretches the request's interval
    // from 1 s to 6 s. The agent's own next poll then comes too early as well and
    // gets slow_down.
    (void)redeem(m_server, m_client, request->authReqId);
    (void)redeem(m_server, m_client, request->authReqId);
    QVERIFY2(run->waitForError(QStringLiteral("The server asked to poll less often; checking every 6 s.")),
             qPrintable(run->describe()));
    // The agent keeps waiting, now 5 s longer between polls, and gets the tokens.
    QVERIFY(m_device.decide(request->authReqId, true));
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitResolved, qPrintable(run->describe()));
    const QJsonObject answer = QJsonDocument::fromJson(run->out.toUtf8()).object();
    QCOMPARE(answer.value(QStringLiteral("outcome")).toString(), QStringLiteral("approved"));
    QVERIFY(!verifiedClaims(answer.value(QStringLiteral("access_token")).toString()).isEmpty());
}

void TestApproveCommand::invalidClient()
{
    const QString wrong = QStringLiteral("wrong-secret-value-1234567890");
    auto run = approve(QStringLiteral("Never reaches anyone"), {}, wrong);
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitError, qPrintable(run->describe()));
    QVERIFY(run->out.isEmpty());
    QVERIFY2(run->err.contains(QStringLiteral("invalid_client")), qPrintable(run->err));
    QVERIFY(run->err.contains(QStringLiteral("unknown client or wrong secret")));
    QVERIFY(run->err.contains(QStringLiteral("HANDOFF_CLIENT_SECRET")));
    QVERIFY(!run->err.contains(wrong));
    QVERIFY(m_device.waitForRequest(QStringLiteral("Never reaches anyone"), 200) == std::nullopt);
}

void TestApproveCommand::unknownUser()
{
    auto run = std::make_unique<AgentRun>(
        m_program,
        QStringList{QStringLiteral("approve"), QStringLiteral("--binding-message"), QStringLiteral("Who is this"),
                    QStringLiteral("--login-hint"), QStringLiteral("nobody@example.com"), QStringLiteral("--json")},
        environment());
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitError, qPrintable(run->describe()));
    const QJsonObject answer = QJsonDocument::fromJson(run->out.toUtf8()).object();
    QCOMPARE(answer.value(QStringLiteral("outcome")).toString(), QStringLiteral("error"));
    QCOMPARE(answer.value(QStringLiteral("error")).toString(), QStringLiteral("unknown_user_id"));
    QVERIFY(!answer.contains(QStringLiteral("auth_req_id")));
    QVERIFY(run->err.contains(QStringLiteral("login_hint names no user")));
}

void TestApproveCommand::wrongServerPath()
{
    // Not the issuer's base URL: no OpenID configuration there.
    auto run = approve(QStringLiteral("Wrong server"),
                       {QStringLiteral("--server"), m_server.url(QStringLiteral("/handoff")).toString()});
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitError, qPrintable(run->describe()));
    QVERIFY2(run->err.contains(QStringLiteral("discovery_failed")), qPrintable(run->err));
    // A trailing slash is fine: it is not part of the issuer.
    const QString message = QStringLiteral("Trailing slash approved");
    auto slash = approve(message, {QStringLiteral("--server"), m_server.baseUrl().toString() + QLatin1Char('/')});
    const std::optional<device::ApprovalRequest> request = m_device.waitForRequest(message);
    QVERIFY2(request, qPrintable(slash->describe()));
    QVERIFY(m_device.decide(request->authReqId, true));
    QVERIFY(slash->waitForExit());
    QVERIFY2(slash->exitCode() == ExitResolved, qPrintable(slash->describe()));
}

void TestApproveCommand::terminationCancels()
{
    const QString message = QStringLiteral("Wait for me, then stop");
    auto run = approve(message, {QStringLiteral("--expiry"), QStringLiteral("30")});
    QVERIFY(m_device.waitForRequest(message));
    QVERIFY(run->waitForError(QStringLiteral("Ctrl+C stops waiting")));
    ::kill(static_cast<pid_t>(run->pid()), SIGTERM);
    QVERIFY(run->waitForExit());
    QVERIFY2(run->exitCode() == ExitCancelled, qPrintable(run->describe()));
    QVERIFY(run->out.isEmpty());
    QVERIFY2(run->err.contains(QStringLiteral("Cancelled: Stopped waiting")), qPrintable(run->err));
}

void TestApproveCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString server = QStringLiteral("http://127.0.0.1:1");
    const QStringList base{QStringLiteral("approve"), QStringLiteral("--server"), server, QStringLiteral("--client-id"),
                           QStringLiteral("cl_x"), QStringLiteral("--login-hint"), Person};
    QTest::newRow("no binding message") << base << QStringLiteral("--binding-message is required");
    QTest::newRow("blank binding message") << (base + QStringList{QStringLiteral("--binding-message"), QStringLiteral("  ")})
                                           << QStringLiteral("--binding-message is required");
    QTest::newRow("binding message too long")
        << (base + QStringList{QStringLiteral("--binding-message"), QString(141, u'x')}) << QStringLiteral("at most 140");
    QTest::newRow("no login hint")
        << QStringList{QStringLiteral("approve"), QStringLiteral("--server"), server, QStringLiteral("--client-id"),
                       QStringLiteral("cl_x"), QStringLiteral("--binding-message"), QStringLiteral("x")}
        << QStringLiteral("--login-hint is required");
    QTest::newRow("remote http server")
        << (QStringList{QStringLiteral("approve"), QStringLiteral("--server"), QStringLiteral("http://handoff.example.com"),
                        QStringLiteral("--binding-message"), QStringLiteral("x"), QStringLiteral("--login-hint"), Person})
        << QStringLiteral("--server must be https");
    QTest::newRow("expiry zero") << (base + QStringList{QStringLiteral("--binding-message"), QStringLiteral("x"),
                                                        QStringLiteral("--expiry"), QStringLiteral("0")})
                                 << QStringLiteral("--expiry must be");
    QTest::newRow("a to-human flag") << (base + QStringList{QStringLiteral("--binding-message"), QStringLiteral("x"),
                                                            QStringLiteral("--cdp-url"), QStringLiteral("http://127.0.0.1:9222")})
                                     << QStringLiteral("--cdp-url is not an option of approve");
    QTest::newRow("bad scope") << (base + QStringList{QStringLiteral("--binding-message"), QStringLiteral("x"),
                                                      QStringLiteral("--scope"), QStringLiteral("openid \"quoted\"")})
                               << QStringLiteral("--scope must be");
}

void TestApproveCommand::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("HANDOFF_SERVER"));
    env.remove(QStringLiteral("HANDOFF_CLIENT_ID"));
    env.insert(QStringLiteral("HANDOFF_CLIENT_SECRET"), QStringLiteral("env-secret-never-printed"));
    AgentRun run(m_program, arguments, env);
    QVERIFY(run.waitForExit());
    QVERIFY2(run.exitCode() == ExitUsage, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(run.err.contains(QStringLiteral("usage:")));
    QVERIFY(!run.err.contains(QStringLiteral("env-secret-never-printed")));
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestApproveCommand)
#include "tst_ApproveCommand.moc"
