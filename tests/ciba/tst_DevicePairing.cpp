// Users, devices and clients on a real handoff-server: the operator commands, the
// one-time pairing link (single use, stored hashed), POST /device/pair with its
// proof of possession and field checks, and the app's real DeviceClient pairing
// with its key in the real keychain.

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceClient.h"
#include "core/device/DeviceStatements.h"
#include "core/keystore/Keystore.h"
#include "tests/support/CibaCli.h"
#include "tests/server/HttpTestClient.h"
#include "tests/support/TestServer.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

class tst_DevicePairing final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    HttpTestClient m_http;

    QString newPairingLink(const QString& email)
    {
        const CliResult result = runCli(m_server, {QStringLiteral("devices"), QStringLiteral("pair"), email});
        if (result.exitCode != 0) {
            qWarning() << result.err;
            return {};
        }
        return pairingLinkFrom(result.out);
    }

    // A pairing request made by hand, as a device would.
    QJsonObject pairBody(const device::PairingLink& link, const crypto::SigningKey& key, const QString& name)
    {
        const QByteArray publicKey = key.publicPoint().toBase64();
        const QString identity = device::DeviceStatements::serverIdentity(link.server);
        const QByteArray signature = *key.sign(device::DeviceStatements::pairing(identity, link.token, publicKey, name));
        return QJsonObject{
            {QStringLiteral("pairing_token"), link.token},
            {QStringLiteral("public_key"), QString::fromLatin1(publicKey)},
            {QStringLiteral("name"), name},
            {QStringLiteral("signature"),
             QString::fromLatin1(signature.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))},
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_server.stop(), qPrintable(m_server.errorString()));
    }

    void users()
    {
        CliResult added = runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("alice@example.com")});
        QCOMPARE(added.exitCode, 0);
        QVERIFY(added.out.contains(QStringLiteral("alice@example.com")));
        CliResult again = runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("ALICE@example.com")});
        QCOMPARE(again.exitCode, 1); // email compared without case
        CliResult withCode = runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("bob@example.com"),
                                               QStringLiteral("--user-code"), QStringLiteral("4711")});
        QCOMPARE(withCode.exitCode, 0);
        QVERIFY(withCode.out.contains(QStringLiteral("with a user code")));
        QVERIFY(!withCode.out.contains(QStringLiteral("4711")));
        CliResult notEmail = runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("nobody")});
        QCOMPARE(notEmail.exitCode, 1);
        CliResult list = runCli(m_server, {QStringLiteral("users"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(QStringLiteral("alice@example.com")));
        QVERIFY(list.out.contains(QStringLiteral("bob@example.com")));
    }

    void pairingNeedsAKnownUser()
    {
        const CliResult result = runCli(m_server, {QStringLiteral("devices"), QStringLiteral("pair"), QStringLiteral("carol@example.com")});
        QCOMPARE(result.exitCode, 3);
    }

    void pairingLinkIsSingleUseAndHashed()
    {
        const QString text = newPairingLink(QStringLiteral("alice@example.com"));
        Result<device::PairingLink> link = device::PairingLink::parse(text);
        QVERIFY2(link.ok(), qPrintable(text));
        QCOMPARE(link->server, m_server.baseUrl());

        Result<crypto::SigningKey> key = crypto::SigningKey::generate();
        QVERIFY(key.ok());
        const QUrl pairUrl = m_server.url(QStringLiteral("/device/pair"));

        // Field checks come first and do not spend the token.
        QJsonObject badKey = pairBody(*link, *key, QStringLiteral("Laptop"));
        badKey.insert(QStringLiteral("public_key"), QString::fromLatin1(QByteArray(65, '\x04').toBase64()));
        HttpResult result = m_http.postJson(pairUrl, {}, badKey);
        QCOMPARE(result.status, 400);
        QCOMPARE(result.json().value(QStringLiteral("field")).toString(), QStringLiteral("public_key"));

        QJsonObject badName = pairBody(*link, *key, QStringLiteral("Laptop"));
        badName.insert(QStringLiteral("name"), QStringLiteral("Lap\u202etop"));
        QCOMPARE(m_http.postJson(pairUrl, {}, badName).status, 400);

        // A signature by another key (no proof of possession) is refused.
        Result<crypto::SigningKey> other = crypto::SigningKey::generate();
        QJsonObject stolen = pairBody(*link, *other, QStringLiteral("Laptop"));
        stolen.insert(QStringLiteral("public_key"), QString::fromLatin1(key->publicPoint().toBase64()));
        result = m_http.postJson(pairUrl, {}, stolen);
        QCOMPARE(result.status, 401);
        QCOMPARE(result.errorCode(), QStringLiteral("invalid_signature"));

        QCOMPARE(m_http.post(pairUrl, {}, "not json").status, 400);

        result = m_http.postJson(pairUrl, {}, pairBody(*link, *key, QStringLiteral("Laptop")));
        QCOMPARE(result.status, 201);
        QVERIFY(result.json().value(QStringLiteral("device_id")).toString().startsWith(QStringLiteral("dev_")));
        QCOMPARE(result.json().value(QStringLiteral("user")).toString(), QStringLiteral("alice@example.com"));

        // Second use of the same link.
        Result<crypto::SigningKey> third = crypto::SigningKey::generate();
        result = m_http.postJson(pairUrl, {}, pairBody(*link, *third, QStringLiteral("Phone")));
        QCOMPARE(result.status, 401);
        QCOMPARE(result.errorCode(), QStringLiteral("invalid_pairing_token"));

        // The database holds the token's hash only.
        QFile database(m_server.dataDir() + QStringLiteral("/handoff-server.sqlite"));
        QVERIFY(database.open(QIODevice::ReadOnly));
        QVERIFY(!database.readAll().contains(link->token.toLatin1()));
    }

    void deviceClientPairsWithTheKeychain()
    {
        const QString text = newPairingLink(QStringLiteral("alice@example.com"));
        Result<device::PairingLink> link = device::PairingLink::parse(text);
        QVERIFY(link.ok());
        keystore::Keystore keystore(device::DeviceClient::keychainService());
        device::DeviceClient client(keystore);
        QSignalSpy paired(&client, &device::DeviceClient::paired);
        QSignalSpy failed(&client, &device::DeviceClient::pairingFailed);
        client.pair(*link, QStringLiteral("Work laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(paired.size() + failed.size() > 0, 30'000);
        if (!failed.isEmpty()) {
            QFAIL(qPrintable(failed.first().first().value<Error>().message));
        }
        const auto account = paired.first().first().value<device::DeviceAccount>();
        QVERIFY(account.deviceId.startsWith(QStringLiteral("dev_")));
        QCOMPARE(account.user, QStringLiteral("alice@example.com"));

        // The private key is in the keychain, and it is the key the server knows.
        std::optional<Result<crypto::SecretBytes>> read;
        keystore.read(account.keyName, [&read](Result<crypto::SecretBytes> r) { read = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 20'000);
        QVERIFY2(read->ok(), read->ok() ? "" : qPrintable(read->error().message));
        Result<crypto::SigningKey> key = crypto::SigningKey::importPkcs8((*read)->bytes());
        QVERIFY(key.ok());

        const CliResult list = runCli(m_server, {QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("alice@example.com")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(account.deviceId));
        QVERIFY(list.out.contains(QStringLiteral("Work laptop")));
        QCOMPARE(list.out.count(QStringLiteral("active")), 2); // a user may have several devices

        // A spent link fails through the client too, and leaves no key behind.
        device::DeviceClient again(keystore);
        QSignalSpy againFailed(&again, &device::DeviceClient::pairingFailed);
        again.pair(*link, QStringLiteral("Second try"));
        QTRY_VERIFY_WITH_TIMEOUT(!againFailed.isEmpty(), 30'000);
        QCOMPARE(againFailed.first().first().value<Error>().code, QStringLiteral("invalid_pairing_token"));

        const CliResult revoked = runCli(m_server, {QStringLiteral("devices"), QStringLiteral("revoke"), account.deviceId});
        QCOMPARE(revoked.exitCode, 0);
        const CliResult unknown = runCli(m_server, {QStringLiteral("devices"), QStringLiteral("revoke"), QStringLiteral("dev_nope")});
        QCOMPARE(unknown.exitCode, 3);
        keystore.remove(account.keyName, [](Result<void>) {});
    }

    void clients()
    {
        CliResult created = runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                              QStringLiteral("Refund bot"), QStringLiteral("--mode"), QStringLiteral("poll")});
        QCOMPARE(created.exitCode, 0);
        const QString id = clientFieldFrom(created.out, QStringLiteral("client_id"));
        const QString secret = clientFieldFrom(created.out, QStringLiteral("client_secret"));
        QVERIFY(id.startsWith(QStringLiteral("cl_")));
        QCOMPARE(secret.size(), 43);

        QCOMPARE(runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                   QStringLiteral("x"), QStringLiteral("--mode"), QStringLiteral("ping")})
                     .exitCode,
                 2); // ping needs an endpoint
        QCOMPARE(runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                   QStringLiteral("x"), QStringLiteral("--mode"), QStringLiteral("push"),
                                   QStringLiteral("--notification-endpoint"), QStringLiteral("http://example.com/cb")})
                     .exitCode,
                 2); // plain http only to loopback
        QCOMPARE(runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                   QStringLiteral("x"), QStringLiteral("--mode"), QStringLiteral("fax")})
                     .exitCode,
                 2);
        CliResult ping = runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                                           QStringLiteral("Pinger"), QStringLiteral("--mode"), QStringLiteral("ping"),
                                           QStringLiteral("--notification-endpoint"),
                                           QStringLiteral("http://127.0.0.1:9/ciba")});
        QCOMPARE(ping.exitCode, 0);

        CliResult list = runCli(m_server, {QStringLiteral("clients"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(id));
        QVERIFY(list.out.contains(QStringLiteral("Pinger")));
        QVERIFY(!list.out.contains(secret));

        QFile database(m_server.dataDir() + QStringLiteral("/handoff-server.sqlite"));
        QVERIFY(database.open(QIODevice::ReadOnly));
        QVERIFY(!database.readAll().contains(secret.toLatin1()));
        // The server never logged it either.
        QVERIFY(!m_server.output().contains(secret));

        QCOMPARE(runCli(m_server, {QStringLiteral("clients"), QStringLiteral("revoke"), id}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(tst_DevicePairing)
#include "tst_DevicePairing.moc"
