// Guessing a person's user_code on a real handoff-server (issue 13), with the
// app's real DeviceClient for the person who is told:
// - five wrong codes for one person lock that person's code: the fifth answer
//   says so, the person's device gets the user_code_locked notice, and even the
//   right code (from any client) is refused with access_denied until the lock
//   ends; after it, one wrong code does not lock again at once;
// - concurrent guesses cannot slip past the limit: checks under way count;
// - a client spraying wrong codes over several people is stopped from sending
//   codes, while another client with the right code is served;
// - the slow derivation runs off the event loop: a request sent after a burst of
//   user_code requests is answered while their checks are still under way (an
//   ordering check);
// - one client's /bc-authorize calls are rate limited (429 slow_down, Retry-After);
// - the locks are in /metrics and in the audit export.

#include "server/ciba/UserCodeLockPolicy.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/server/RawHttp.h"
#include "tests/support/PairedDevice.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>
#include <vector>

using namespace handoff;
using namespace handoff::test;

namespace {

constexpr int lockSeconds = 4;
constexpr int clientAttempts = 6;
constexpr int requestRate = 20;
const QString person = QStringLiteral("kim@example.com");
const QString personCode = QStringLiteral("kim-code-7Q2x");

// A raw /bc-authorize, so that many can be under way at once on their own connections.
QByteArray bcAuthorizeRequest(const CibaClient& client, const QString& user, const QString& code)
{
    const QByteArray body = "scope=openid&binding_message=Sign%20in&login_hint=" + QUrl::toPercentEncoding(user)
                            + "&user_code=" + QUrl::toPercentEncoding(code);
    return "POST /bc-authorize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           "Authorization: Basic "
           + (client.id + QLatin1Char(':') + client.secret).toUtf8().toBase64() + "\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QJsonObject bodyOf(const QByteArray& response)
{
    return QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
}

OAuthReply withCode(const TestServer& server, const CibaClient& client, const QString& user, const QString& code)
{
    return postForm(server, QStringLiteral("/bc-authorize"),
                    "scope=openid&binding_message=Sign%20in&login_hint=" + QUrl::toPercentEncoding(user)
                        + "&user_code=" + QUrl::toPercentEncoding(code),
                    client);
}

} // namespace

class tst_UserCodeLimits final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    PairedDevice m_device;
    CibaClient m_honest; // sends the right codes, and one wrong one in all

    bool addUser(const QString& email, const QString& code, bool withDevice = true)
    {
        if (runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), email, QStringLiteral("--user-code"), code})
                .exitCode
            != 0) {
            return false;
        }
        if (!withDevice) {
            return true;
        }
        Result<crypto::SigningKey> key = crypto::SigningKey::generate();
        return key.ok() && !pairHandDevice(m_server, *key, email, QStringLiteral("Laptop")).isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start({QStringLiteral("--user-code-lock-duration"), QStringLiteral("%1s").arg(lockSeconds),
                                 QStringLiteral("--user-code-client-attempts"), QString::number(clientAttempts),
                                 QStringLiteral("--ciba-request-rate"), QString::number(requestRate)}),
                 qPrintable(m_server.errorString()));
        QVERIFY(addUser(person, personCode, false));
        QVERIFY2(m_device.pair(m_server, person, {.deviceName = QStringLiteral("Kim's laptop"), .addUser = false}),
                 qPrintable(m_device.errorString()));
        m_honest = createClient(m_server, QStringLiteral("Honest bot"));
        QVERIFY(m_honest.isValid());
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
        // The operator reads of both kinds of lock in the log...
        QVERIFY(m_server.output().contains(QStringLiteral("locked the user code of user")));
        QVERIFY(m_server.output().contains(QStringLiteral("may send no user code")));
        // ...but never the codes themselves.
        QVERIFY(!m_server.output().contains(QStringLiteral("wrong-")));
        QVERIFY(!m_server.output().contains(personCode));
    }

    void wrongCodesLockThePersonsCode()
    {
        const CibaClient guesser = createClient(m_server, QStringLiteral("Guesser"));
        const CibaClient& honest = m_honest;
        QSignalSpy notices(&m_device.client(), &device::DeviceClient::noticeReceived);
        const int limit = server::UserCodeLockPolicy::DefaultPerUser;
        for (int i = 1; i <= limit; ++i) {
            const OAuthReply reply = withCode(m_server, guesser, person, QStringLiteral("wrong-%1").arg(i));
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.error(), QStringLiteral("invalid_user_code"));
            const QString description = reply.json.value(QStringLiteral("error_description")).toString();
            QCOMPARE(description.contains(QStringLiteral("no user_code is taken until")), i == limit);
        }
        // The person learns of it.
        QTRY_COMPARE_WITH_TIMEOUT(notices.size(), 1, 15'000);
        QCOMPARE(notices.first().at(0).toString(), QStringLiteral("user_code_locked"));
        const QString message = notices.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("%1 wrong user codes").arg(limit)) && message.contains(QStringLiteral("Guesser")),
                 qPrintable(message));
        // Now not even the right code, from another client, is taken: the OP refuses without asking.
        const OAuthReply refused = withCode(m_server, honest, person, personCode);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.error(), QStringLiteral("access_denied"));
        const QString why = refused.json.value(QStringLiteral("error_description")).toString();
        QVERIFY2(why.contains(QStringLiteral("wrong user codes were sent for this person")), qPrintable(why));
        QTest::qWait(300);
        QCOMPARE(m_device.client().pendingRequests().size(), 0);

        QCOMPARE(metric(m_server, "handoff_ciba_user_code_failures_total"), qint64(limit));
        QCOMPARE(metric(m_server, R"(handoff_ciba_user_code_locks_total{scope="user"})"), qint64(1));
        QVERIFY(metric(m_server, "handoff_ciba_user_code_refusals_total") >= 1);
    }

    void lockEnds()
    {
        const CibaClient& honest = m_honest;
        QTest::qWait(lockSeconds * 1000 + 500);
        const OAuthReply accepted = withCode(m_server, honest, person, personCode);
        QCOMPARE(accepted.status, 200);
        QVERIFY(m_device.decide(accepted.json.value(QStringLiteral("auth_req_id")).toString(), true));
        // One wrong code after the lock is one, not six.
        const OAuthReply wrong = withCode(m_server, honest, person, QStringLiteral("wrong-after"));
        QCOMPARE(wrong.error(), QStringLiteral("invalid_user_code"));
        QVERIFY(!wrong.json.value(QStringLiteral("error_description")).toString().contains(QStringLiteral("until")));
        QCOMPARE(withCode(m_server, honest, person, personCode).status, 200);
    }

    void concurrentGuessesCannotSlipPast()
    {
        const QString user = QStringLiteral("oli@example.com");
        QVERIFY(addUser(user, QStringLiteral("1357")));
        const CibaClient rusher = createClient(m_server, QStringLiteral("Rusher"));
        const CibaClient& honest = m_honest;
        constexpr int guesses = 12;
        std::vector<std::unique_ptr<RawConnection>> connections;
        for (int i = 0; i < guesses; ++i) {
            connections.push_back(std::make_unique<RawConnection>(m_server.port()));
            connections.back()->send(bcAuthorizeRequest(rusher, user, QStringLiteral("wrong-%1").arg(i)));
        }
        int checked = 0;
        int slowedDown = 0;
        for (auto& connection : connections) {
            QVERIFY(connection->readResponse(30'000));
            const QByteArray response = connection->takeResponse();
            const QString error = bodyOf(response).value(QStringLiteral("error")).toString();
            if (error == QLatin1String("invalid_user_code")) {
                ++checked;
            } else {
                QCOMPARE(RawConnection::statusOf(response), 429);
                QCOMPARE(error, QStringLiteral("slow_down"));
                QVERIFY(response.contains("Retry-After: "));
                ++slowedDown;
            }
        }
        QVERIFY2(checked <= server::UserCodeLockPolicy::DefaultPerUser,
                 qPrintable(QStringLiteral("%1 wrong codes were checked").arg(checked)));
        QCOMPARE(checked + slowedDown, guesses);
        // Whatever order they were checked in, the limit was reached: the code is locked.
        QTRY_COMPARE_WITH_TIMEOUT(withCode(m_server, honest, user, QStringLiteral("1357")).status, 403, 10'000);
    }

    void clientSprayingCodesIsStopped()
    {
        const CibaClient sprayer = createClient(m_server, QStringLiteral("Sprayer"));
        const CibaClient& honest = m_honest;
        const QStringList users{QStringLiteral("pia@example.com"), QStringLiteral("quinn@example.com"),
                                QStringLiteral("rae@example.com")};
        for (const QString& user : users) {
            QVERIFY(addUser(user, QStringLiteral("8642")));
        }
        // Two wrong codes each: no person reaches their limit, the client reaches its own.
        for (int i = 0; i < clientAttempts; ++i) {
            QCOMPARE(withCode(m_server, sprayer, users.at(i % users.size()), QStringLiteral("wrong-s%1").arg(i)).error(),
                     QStringLiteral("invalid_user_code"));
        }
        const OAuthReply refused = withCode(m_server, sprayer, users.first(), QStringLiteral("8642"));
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.error(), QStringLiteral("access_denied"));
        QVERIFY2(refused.json.value(QStringLiteral("error_description")).toString().contains(QStringLiteral("this client sent")),
                 qPrintable(refused.json.value(QStringLiteral("error_description")).toString()));
        // Another client with the right code is served.
        QCOMPARE(withCode(m_server, honest, users.first(), QStringLiteral("8642")).status, 200);
        QCOMPARE(metric(m_server, R"(handoff_ciba_user_code_locks_total{scope="client"})"), qint64(1));
    }

    void derivationDoesNotHoldUpOthers()
    {
        // Ten checks from two clients over five people (two each: no limit is reached).
        const CibaClient first = createClient(m_server, QStringLiteral("Busy bot 1"));
        const CibaClient second = createClient(m_server, QStringLiteral("Busy bot 2"));
        QStringList users;
        for (int i = 0; i < 5; ++i) {
            users << QStringLiteral("busy%1@example.com").arg(i);
            QVERIFY(addUser(users.last(), QStringLiteral("5555"), false));
        }
        std::vector<std::unique_ptr<RawConnection>> checks;
        for (int i = 0; i < 10; ++i) {
            checks.push_back(std::make_unique<RawConnection>(m_server.port()));
            checks.back()->send(bcAuthorizeRequest(i < 5 ? first : second, users.at(i % 5), QStringLiteral("wrong-b%1").arg(i)));
        }
        // Sent after all of them, answered before the last of them.
        RawConnection health(m_server.port());
        health.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY(health.readResponse(30'000));
        QCOMPARE(RawConnection::statusOf(health.takeResponse()), 200);
        QCoreApplication::processEvents(); // whatever has arrived by now is read
        int answeredBefore = 0;
        for (auto& check : checks) {
            check->buffer += check->socket.readAll();
            answeredBefore += RawConnection::responseSize(check->buffer) > 0 ? 1 : 0;
        }
        QVERIFY2(answeredBefore < int(checks.size()),
                 "every user_code check was answered before a request sent after them: they held up the event loop");
        for (auto& check : checks) {
            QVERIFY(check->readResponse(30'000));
            QCOMPARE(bodyOf(check->takeResponse()).value(QStringLiteral("error")).toString(),
                     QStringLiteral("invalid_user_code"));
        }
    }

    void requestsPerClientAreRateLimited()
    {
        const CibaClient flooder = createClient(m_server, QStringLiteral("Flooder"));
        const CibaClient& calm = m_honest;
        for (int i = 0; i < requestRate; ++i) {
            // Any request counts, even one that names no one.
            QCOMPARE(bcAuthorize(m_server, flooder, QStringLiteral("nobody@example.com"), QStringLiteral("Hi")).error(),
                     QStringLiteral("unknown_user_id"));
        }
        // The bucket refills at the rate a minute: within the next few calls one is refused.
        std::optional<OAuthReply> limited;
        for (int i = 0; i < 3 && !limited; ++i) {
            const OAuthReply reply = bcAuthorize(m_server, flooder, QStringLiteral("nobody@example.com"), QStringLiteral("Hi"));
            if (reply.status == 429) {
                limited = reply;
            }
        }
        QVERIFY(limited);
        QCOMPARE(limited->error(), QStringLiteral("slow_down"));
        QCOMPARE(bcAuthorize(m_server, calm, QStringLiteral("nobody@example.com"), QStringLiteral("Hi")).error(),
                 QStringLiteral("unknown_user_id"));
        QVERIFY(metric(m_server, "handoff_ciba_rate_limited_total") >= 1);
    }

    void locksAreInTheAuditExport()
    {
        const CliResult exported = runCli(m_server, {QStringLiteral("audit"), QStringLiteral("export")});
        QCOMPARE(exported.exitCode, 0);
        QStringList scopes;
        for (const QString& line : exported.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
            if (object.value(QStringLiteral("type")).toString() == QLatin1String("user_code_lock")) {
                scopes << object.value(QStringLiteral("scope")).toString();
                QVERIFY(object.value(QStringLiteral("failures")).toInt() > 0);
                QVERIFY(!object.value(QStringLiteral("ends_at")).toString().isEmpty());
            }
        }
        QVERIFY2(scopes.count(QStringLiteral("user")) >= 2 && scopes.count(QStringLiteral("client")) == 1,
                 qPrintable(scopes.join(QLatin1Char(','))));
        QVERIFY2(exported.err.contains(QStringLiteral("user-code lock line(s)")), qPrintable(exported.err));
    }
};

QTEST_GUILESS_MAIN(tst_UserCodeLimits)
#include "tst_UserCodeLimits.moc"
