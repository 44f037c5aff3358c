// CibaClient against a scripted provider (TestPageServer): what no well-behaved
// handoff-server does, and the client must still survive. A discovery document
// naming another issuer, a redirect (never followed: it would carry the
// secret), an answer too large, 503s (retried, then given up), an ID token for
// another client, a provider that never says expired (the local deadline ends
// it), a cancel while polling; and the exact request it sends (Basic with
// form-encoded credentials, openid added to the scope). The flow against the
// real server is in tst_ApproveCommand and tst_McpApproval.

#include "agent/approval/CibaClient.h"
#include "tests/support/TestPageServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace handoff;
using namespace handoff::agent;
using handoff::test::RecordedRequest;
using handoff::test::TestPageServer;

Q_DECLARE_METATYPE(handoff::agent::ApprovalResult::Outcome)

namespace {

const QString ClientId = QStringLiteral("cl_test");
const QByteArray Secret = QByteArrayLiteral("s3cr:et+/=");

QByteArray json(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString b64url(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

class TestCibaClient final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sendsTheRequestAsSpecified();
    void issuerMismatchStopsBeforeAnySecretIsSent();
    void redirectIsNotFollowed();
    void answerTooLarge();
    void transientFailuresAreRetriedThenGivenUp();
    void transientFailureThenApproved();
    void idTokenForAnotherClient();
    void localDeadlineEndsAProviderThatNeverExpires();
    void cancelStopsPolling();
    void badRequestFailsFromTheEventLoop();

private:
    QString issuer() const { return m_provider->url(QString()).toString(); }
    void serveDiscovery(const QString& issuer);
    void serveAuthentication(int expiresIn = 60, int interval = 1);
    QByteArray tokens(const QString& audience) const;
    CibaRequest request() const;
    int count(const QByteArray& path) const;
    ApprovalResult::Outcome run(CibaClient& client, int timeoutMs = 30'000);

    std::unique_ptr<TestPageServer> m_provider;
};

void TestCibaClient::init()
{
    m_provider = std::make_unique<TestPageServer>();
    QVERIFY(m_provider->listen());
}

void TestCibaClient::cleanup()
{
    m_provider.reset();
}

void TestCibaClient::serveDiscovery(const QString& issuer)
{
    const QString base = this->issuer();
    m_provider->setPage("/.well-known/openid-configuration",
                        json(QJsonObject{{QStringLiteral("issuer"), issuer},
                                         {QStringLiteral("backchannel_authentication_endpoint"), base + QStringLiteral("/bc")},
                                         {QStringLiteral("token_endpoint"), base + QStringLiteral("/token")},
                                         {QStringLiteral("backchannel_token_delivery_modes_supported"),
                                          QJsonArray{QStringLiteral("poll")}}}),
                        "application/json");
}

void TestCibaClient::serveAuthentication(int expiresIn, int interval)
{
    m_provider->setPage("/bc",
                        json(QJsonObject{{QStringLiteral("auth_req_id"), QStringLiteral("areq-1")},
                                         {QStringLiteral("expires_in"), expiresIn},
                                         {QStringLiteral("interval"), interval}}),
                        "application/json");
}

QByteArray TestCibaClient::tokens(const QString& audience) const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QString idToken = b64url(json(QJsonObject{{QStringLiteral("alg"), QStringLiteral("ES256")}})) + QLatin1Char('.')
        + b64url(json(QJsonObject{{QStringLiteral("iss"), issuer()},
                                  {QStringLiteral("aud"), audience},
                                  {QStringLiteral("exp"), now + 300},
                                  {QStringLiteral("urn:openid:params:jwt:claim:auth_req_id"), QStringLiteral("areq-1")}}))
        + QStringLiteral(".c2ln");
    return json(QJsonObject{{QStringLiteral("access_token"), QStringLiteral("at-123")},
                            {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                            {QStringLiteral("id_token"), idToken},
                            {QStringLiteral("expires_in"), 300}});
}

CibaRequest TestCibaClient::request() const
{
    CibaRequest r;
    r.server = QUrl(issuer());
    r.clientId = ClientId;
    r.clientSecret = Secret;
    r.scope = QStringLiteral("payments");
    r.loginHint = QStringLiteral("alex@example.com");
    r.bindingMessage = QStringLiteral("Refund $120.00 to ACME Corp & Co");
    r.requestedExpiry = 120;
    return r;
}

int TestCibaClient::count(const QByteArray& path) const
{
    const QList<RecordedRequest>& requests = m_provider->requests();
    return int(std::count_if(requests.begin(), requests.end(), [&](const RecordedRequest& r) { return r.path == path; }));
}

ApprovalResult::Outcome TestCibaClient::run(CibaClient& client, int timeoutMs)
{
    QSignalSpy finished(&client, &CibaClient::finished);
    client.start();
    if (!QTest::qWaitFor([&] { return !finished.isEmpty(); }, timeoutMs)) {
        return ApprovalResult::Outcome::Cancelled; // never: a test expecting this checks isFinished()
    }
    return client.result().outcome;
}

void TestCibaClient::sendsTheRequestAsSpecified()
{
    serveDiscovery(issuer());
    serveAuthentication();
    m_provider->setPage("/token", tokens(ClientId), "application/json");
    CibaClient client(request());
    QSignalSpy accepted(&client, &CibaClient::requestAccepted);
    QCOMPARE(run(client), ApprovalResult::Outcome::Approved);
    QCOMPARE(client.result().authReqId, QStringLiteral("areq-1"));
    QCOMPARE(client.result().tokens.accessToken, QStringLiteral("at-123"));
    QCOMPARE(client.result().tokens.scope, QStringLiteral("openid payments")); // the server named none: as requested
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(accepted.first().at(1).toInt(), 60);
    QCOMPARE(accepted.first().at(2).toInt(), 1);

    const QList<RecordedRequest>& requests = m_provider->requests();
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests.at(0).method, QByteArray("GET"));
    QCOMPARE(requests.at(0).path, QByteArray("/.well-known/openid-configuration"));
    QVERIFY(requests.at(0).header("authorization").isEmpty());

    const RecordedRequest& bc = requests.at(1);
    QCOMPARE(bc.method, QByteArray("POST"));
    QCOMPARE(bc.header("content-type"), QByteArray("application/x-www-form-urlencoded"));
    // RFC 6749 2.3.1: id and secret form-encoded, then base64.
    QCOMPARE(bc.header("authorization"), "Basic " + QByteArray("cl_test:s3cr%3Aet%2B%2F%3D").toBase64());
    const QUrlQuery form(QString::fromLatin1(bc.body));
    QCOMPARE(form.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded), QStringLiteral("openid payments"));
    QCOMPARE(form.queryItemValue(QStringLiteral("login_hint"), QUrl::FullyDecoded), QStringLiteral("alex@example.com"));
    QCOMPARE(form.queryItemValue(QStringLiteral("binding_message"), QUrl::FullyDecoded),
             QStringLiteral("Refund $120.00 to ACME Corp & Co"));
    QCOMPARE(form.queryItemValue(QStringLiteral("requested_expiry")), QStringLiteral("120"));
    QVERIFY(!form.hasQueryItem(QStringLiteral("user_code")));
    QVERIFY(!form.hasQueryItem(QStringLiteral("client_secret")));

    const RecordedRequest& token = requests.at(2);
    QCOMPARE(token.path, QByteArray("/token"));
    QCOMPARE(token.header("authorization"), bc.header("authorization"));
    const QUrlQuery poll(QString::fromLatin1(token.body));
    QCOMPARE(poll.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded),
             QStringLiteral("urn:openid:params:grant-type:ciba"));
    QCOMPARE(poll.queryItemValue(QStringLiteral("auth_req_id")), QStringLiteral("areq-1"));
}

void TestCibaClient::issuerMismatchStopsBeforeAnySecretIsSent()
{
    serveDiscovery(QStringLiteral("https://evil.example.com"));
    serveAuthentication();
    CibaClient client(request());
    QCOMPARE(run(client), ApprovalResult::Outcome::Error);
    QCOMPARE(client.result().error.code, QStringLiteral("issuer_mismatch"));
    QVERIFY(client.result().error.message.contains(QStringLiteral("https://evil.example.com")));
    QCOMPARE(m_provider->requests().size(), 1);
}

void TestCibaClient::redirectIsNotFollowed()
{
    serveDiscovery(issuer());
    m_provider->setResponse("/bc", 307, {}, "text/plain", "Location: " + m_provider->url(QStringLiteral("/steal")).toEncoded() + "\r\n");
    m_provider->setPage("/steal", "{}", "application/json");
    CibaClient client(request());
    QCOMPARE(run(client), ApprovalResult::Outcome::Error);
    QCOMPARE(client.result().error.code, QStringLiteral("http_307"));
    QCOMPARE(count("/steal"), 0);
}

void TestCibaClient::answerTooLarge()
{
    serveDiscovery(issuer());
    m_provider->setPage("/bc", "{\"auth_req_id\":\"" + QByteArray(300 * 1024, 'a') + "\",\"expires_in\":60}", "application/json");
    CibaClient client(request());
    QCOMPARE(run(client), ApprovalResult::Outcome::Error);
    QCOMPARE(client.result().error.code, QStringLiteral("bad_server_answer"));
    QVERIFY2(client.result().error.message.contains(QStringLiteral("larger than 64 KiB")), qPrintable(client.result().error.message));
}

void TestCibaClient::transientFailuresAreRetriedThenGivenUp()
{
    serveDiscovery(issuer());
    serveAuthentication();
    m_provider->setResponse("/token", 503, "{\"error\":\"temporarily_unavailable\"}");
    CibaClient client(request());
    QCOMPARE(run(client), ApprovalResult::Outcome::Error);
    QCOMPARE(client.result().error.code, QStringLiteral("http_503"));
    QVERIFY2(client.result().error.message.contains(QStringLiteral("gave up after 3 failed polls")),
             qPrintable(client.result().error.message));
    QCOMPARE(count("/token"), PollSchedule::MaxTransientFailures);
}

void TestCibaClient::transientFailureThenApproved()
{
    serveDiscovery(issuer());
    serveAuthentication();
    m_provider->setResponse("/token", 502, "<html>bad gateway</html>", "text/html");
    // After the first failed poll the provider recovers: pending, then the tokens.
    connect(m_provider.get(), &TestPageServer::requestReceived, this, [this](const RecordedRequest& r) {
        if (r.path != "/token") {
            return;
        }
        if (count("/token") == 1) {
            m_provider->setResponse("/token", 400, "{\"error\":\"authorization_pending\"}");
        } else {
            m_provider->setPage("/token", tokens(ClientId), "application/json");
        }
    });
    CibaClient client(request());
    QSignalSpy pending(&client, &CibaClient::stillPending);
    QCOMPARE(run(client), ApprovalResult::Outcome::Approved);
    QCOMPARE(count("/token"), 3);
    QCOMPARE(pending.size(), 1);
}

void TestCibaClient::idTokenForAnotherClient()
{
    serveDiscovery(issuer());
    serveAuthentication();
    m_provider->setPage("/token", tokens(QStringLiteral("cl_someone_else")), "application/json");
    CibaClient client(request());
    QCOMPARE(run(client), ApprovalResult::Outcome::Error);
    QCOMPARE(client.result().error.code, QStringLiteral("invalid_id_token"));
    QVERIFY(client.result().tokens.accessToken.isEmpty());
}

void TestCibaClient::localDeadlineEndsAProviderThatNeverExpires()
{
    serveDiscovery(issuer());
    serveAuthentication(2, 1);
    m_provider->setResponse("/token", 400, "{\"error\":\"authorization_pending\"}");
    CibaClient client(request());
    QCOMPARE(run(client), ApprovalResult::Outcome::Expired);
    QCOMPARE(client.result().error.code, QStringLiteral("expired_token"));
    // One poll after the interval, the last one at the deadline.
    QCOMPARE(count("/token"), 2);
}

void TestCibaClient::cancelStopsPolling()
{
    serveDiscovery(issuer());
    serveAuthentication(60, 1);
    m_provider->setResponse("/token", 400, "{\"error\":\"authorization_pending\"}");
    CibaClient client(request());
    QSignalSpy pending(&client, &CibaClient::stillPending);
    QSignalSpy finished(&client, &CibaClient::finished);
    client.start();
    QVERIFY(QTest::qWaitFor([&] { return !pending.isEmpty(); }, 15'000));
    client.cancel();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(client.result().outcome, ApprovalResult::Outcome::Cancelled);
    const int polls = count("/token");
    QTest::qWait(2500); // more than two intervals
    QCOMPARE(count("/token"), polls);
    QCOMPARE(finished.size(), 1);
    client.cancel(); // twice is harmless
    QCOMPARE(finished.size(), 1);
}

void TestCibaClient::badRequestFailsFromTheEventLoop()
{
    CibaRequest remote = request();
    remote.server = QUrl(QStringLiteral("http://handoff.example.com"));
    CibaClient client(remote);
    QSignalSpy finished(&client, &CibaClient::finished);
    client.start();
    QCOMPARE(finished.size(), 0); // not from inside start()
    QVERIFY(finished.wait(5000));
    QCOMPARE(client.result().error.code, QStringLiteral("bad_request"));
    QVERIFY(client.result().error.message.contains(QStringLiteral("https")));
    QVERIFY(m_provider->requests().isEmpty());
}

QTEST_GUILESS_MAIN(TestCibaClient)
#include "tst_CibaClient.moc"
