// core/device and core/keystore: pairing links (table-driven, the bad as numerous
// as the good), the exact bytes of the signed statements, bounded parsing of
// approval requests, and a round trip through the real OS keychain.

#include "core/crypto/SigningKey.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceStatements.h"
#include "core/device/PairingLink.h"
#include "core/keystore/Keystore.h"
#include "tests/support/FuzzSeed.h"

#include <QDateTime>
#include <QTest>

using namespace handoff;
using namespace handoff::device;

namespace {
const QString token43 = QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");

ApprovalRequest sampleRequest()
{
    ApprovalRequest request;
    request.authReqId = QStringLiteral("areq");
    request.clientId = QStringLiteral("cl_1");
    request.clientName = QStringLiteral("Refund bot");
    request.user = QStringLiteral("alice@example.com");
    request.scope = QStringLiteral("openid payments");
    request.bindingMessage = QStringLiteral("Refund $120.00 to ACME Corp, order 1234");
    request.requestedAt = QStringLiteral("2025-01-31T12:00:00Z");
    request.expiresAt = QStringLiteral("2025-01-31T12:05:00Z");
    return request;
}
} // namespace

class tst_DeviceCore final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pairingLink_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("server");
        const QString t = QStringLiteral("#t=") + token43;
        QTest::newRow("app form") << QStringLiteral("handoff://pair?server=http%3A%2F%2F127.0.0.1%3A8420") + t << true
                                  << QStringLiteral("http://127.0.0.1:8420");
        QTest::newRow("web form") << QStringLiteral("https://handoff.example.com/pair") + t << true
                                  << QStringLiteral("https://handoff.example.com");
        QTest::newRow("web form with prefix") << QStringLiteral("https://example.com/handoff/pair") + t << true
                                              << QStringLiteral("https://example.com/handoff");
        QTest::newRow("spaces around") << QStringLiteral("  https://example.com/pair") + t + QStringLiteral(" ") << true
                                       << QStringLiteral("https://example.com");
        QTest::newRow("no token") << QStringLiteral("https://example.com/pair") << false << QString();
        QTest::newRow("short token") << QStringLiteral("https://example.com/pair#t=abc") << false << QString();
        QTest::newRow("token with bad char")
            << QStringLiteral("https://example.com/pair#t=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP+") << false << QString();
        QTest::newRow("token in query") << QStringLiteral("https://example.com/pair?t=") + token43 << false << QString();
        QTest::newRow("other path") << QStringLiteral("https://example.com/s/sess_x") + t << false << QString();
        QTest::newRow("ftp") << QStringLiteral("ftp://example.com/pair") + t << false << QString();
        QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)") << false << QString();
        QTest::newRow("app form other host") << QStringLiteral("handoff://s/x?server=https%3A%2F%2Fa.b") + t << false
                                             << QString();
        QTest::newRow("app form bad server") << QStringLiteral("handoff://pair?server=file%3A%2F%2F%2Fetc") + t << false
                                             << QString();
        QTest::newRow("app form no server") << QStringLiteral("handoff://pair") + t << false << QString();
        QTest::newRow("user info") << QStringLiteral("https://user:pw@example.com/pair") + t << false << QString();
        QTest::newRow("empty") << QString() << false << QString();
        QTest::newRow("too long") << QStringLiteral("https://example.com/pair") + t + QString(3000, QLatin1Char('a'))
                                  << false << QString();
        // Found by the pairing_link fuzz target: 232 characters whose handoff:// form took 2276.
        QTest::newRow("non-ASCII path, both forms within the limit")
            << QStringLiteral("https://example.com/") + QString(150, QChar(0xe9)) + QStringLiteral("/pair") + t << true
            << QStringLiteral("https://example.com/") + QString(150, QChar(0xe9));
        QTest::newRow("non-ASCII path, handoff:// form over the limit")
            << QStringLiteral("https://example.com/") + QString(200, QChar(0xe9)) + QStringLiteral("/pair") + t << false
            << QString();
    }

    void pairingLink()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, server);
        handoff::testutil::recordFuzzSeed("pairing_link", text);
        Result<PairingLink> link = PairingLink::parse(text);
        QCOMPARE(link.ok(), valid);
        if (valid) {
            QCOMPARE(link->server.toString(), server);
            QCOMPARE(link->token, token43);
            // Both printed forms parse back to the same link.
            Result<PairingLink> app = PairingLink::parse(link->toAppLink());
            QVERIFY2(app.ok(), qPrintable(link->toAppLink()));
            QCOMPARE(app->server, link->server);
            QCOMPARE(app->token, link->token);
            Result<PairingLink> web = PairingLink::parse(link->toWebLink());
            QVERIFY2(web.ok(), qPrintable(link->toWebLink()));
            QCOMPARE(web->server, link->server);
        } else {
            QCOMPARE(link.error().code, QStringLiteral("invalid_pairing_link"));
        }
    }

    void serverIdentity()
    {
        QCOMPARE(DeviceStatements::serverIdentity(QUrl(QStringLiteral("HTTPS://Example.COM:443/"))),
                 QStringLiteral("https://example.com"));
        QCOMPARE(DeviceStatements::serverIdentity(QUrl(QStringLiteral("http://127.0.0.1:8420"))),
                 QStringLiteral("http://127.0.0.1:8420"));
        QCOMPARE(DeviceStatements::serverIdentity(QUrl(QStringLiteral("https://example.com/handoff/"))),
                 QStringLiteral("https://example.com/handoff"));
    }

    void approvalStatementBytes()
    {
        const QByteArray bytes = DeviceStatements::approvalDecision(QStringLiteral("https://example.com"), sampleRequest(),
                                                                    QStringLiteral("dev_1"), QStringLiteral("approve"),
                                                                    QStringLiteral("2025-01-31T12:01:00Z"));
        const QByteArray expected = "handoff approval decision v1\n"
                                    "server=19:https://example.com\n"
                                    "auth_req_id=4:areq\n"
                                    "client_id=4:cl_1\n"
                                    "client_name=10:Refund bot\n"
                                    "user=17:alice@example.com\n"
                                    "scope=15:openid payments\n"
                                    "binding_message=39:Refund $120.00 to ACME Corp, order 1234\n"
                                    "requested_at=20:2025-01-31T12:00:00Z\n"
                                    "expires_at=20:2025-01-31T12:05:00Z\n"
                                    "device_id=5:dev_1\n"
                                    "decision=7:approve\n"
                                    "decided_at=20:2025-01-31T12:01:00Z\n";
        QCOMPARE(bytes, expected);
        // Lengths count UTF-8 bytes, so a field cannot spill into the next.
        ApprovalRequest tricky = sampleRequest();
        tricky.bindingMessage = QStringLiteral("Pay \u20ac5\ndecision=7:approve");
        const QByteArray trickyBytes = DeviceStatements::approvalDecision(
            QStringLiteral("s"), tricky, QStringLiteral("d"), QStringLiteral("deny"), QStringLiteral("t"));
        QVERIFY(trickyBytes.contains("binding_message=27:Pay \xe2\x82\xac" "5\ndecision=7:approve\n"));
        QVERIFY(trickyBytes.contains("decision=4:deny\n"));
    }

    void signatureBindsEveryField()
    {
        Result<crypto::SigningKey> key = crypto::SigningKey::generate();
        QVERIFY(key.ok());
        const ApprovalRequest request = sampleRequest();
        const auto statement = [](const ApprovalRequest& r, const QString& decision) {
            return DeviceStatements::approvalDecision(QStringLiteral("https://example.com"), r, QStringLiteral("dev_1"),
                                                      decision, QStringLiteral("2025-01-31T12:01:00Z"));
        };
        Result<QByteArray> signature = key->sign(statement(request, QStringLiteral("approve")));
        QVERIFY(signature.ok());
        QVERIFY(crypto::SigningKey::verify(key->publicPoint(), statement(request, QStringLiteral("approve")), *signature));
        QVERIFY(!crypto::SigningKey::verify(key->publicPoint(), statement(request, QStringLiteral("deny")), *signature));
        ApprovalRequest other = request;
        other.bindingMessage = QStringLiteral("Refund $1200.00 to ACME Corp, order 1234");
        QVERIFY(!crypto::SigningKey::verify(key->publicPoint(), statement(other, QStringLiteral("approve")), *signature));
        other = request;
        other.authReqId = QStringLiteral("another");
        QVERIFY(!crypto::SigningKey::verify(key->publicPoint(), statement(other, QStringLiteral("approve")), *signature));
    }

    void approvalRequestParsing()
    {
        const QJsonObject good = sampleRequest().toJson();
        Result<ApprovalRequest> parsed = ApprovalRequest::fromJson(good);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->bindingMessage, sampleRequest().bindingMessage);
        QCOMPARE(parsed->expiresAtTime(), QDateTime(QDate(2025, 1, 31), QTime(12, 5), Qt::UTC));

        const QStringList required = {QStringLiteral("auth_req_id"), QStringLiteral("client_id"),
                                      QStringLiteral("client_name"), QStringLiteral("user"), QStringLiteral("scope"),
                                      QStringLiteral("requested_at"), QStringLiteral("expires_at")};
        for (const QString& field : required) {
            QJsonObject missing = good;
            missing.remove(field);
            QVERIFY2(!ApprovalRequest::fromJson(missing).ok(), qPrintable(field));
            QJsonObject wrongType = good;
            wrongType.insert(field, 42);
            QVERIFY2(!ApprovalRequest::fromJson(wrongType).ok(), qPrintable(field));
        }
        QJsonObject longName = good;
        longName.insert(QStringLiteral("client_name"), QString(201, QLatin1Char('x')));
        QVERIFY(!ApprovalRequest::fromJson(longName).ok());
        QJsonObject longMessage = good;
        longMessage.insert(QStringLiteral("binding_message"), QString(281, QLatin1Char('x')));
        QVERIFY(!ApprovalRequest::fromJson(longMessage).ok());
        QJsonObject badTime = good;
        badTime.insert(QStringLiteral("expires_at"), QStringLiteral("tomorrow"));
        QVERIFY(!ApprovalRequest::fromJson(badTime).ok());
        QJsonObject noMessage = good;
        noMessage.remove(QStringLiteral("binding_message"));
        QVERIFY(ApprovalRequest::fromJson(noMessage).ok());
    }

    void keychainRoundTrip()
    {
        keystore::Keystore keystore(QStringLiteral("Handoff test"));
        const QString key = QStringLiteral("tst_DeviceCore/%1").arg(QDateTime::currentMSecsSinceEpoch());
        const QByteArray secret = QByteArray("\x00\x01secret\xff", 9);

        std::optional<Result<void>> written;
        keystore.write(key, secret, [&written](Result<void> result) { written = std::move(result); });
        QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 20'000);
        QVERIFY2(written->ok(), written->ok() ? "" : qPrintable(written->error().message));

        std::optional<Result<crypto::SecretBytes>> read;
        keystore.read(key, [&read](Result<crypto::SecretBytes> result) { read = std::move(result); });
        QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 20'000);
        QVERIFY2(read->ok(), read->ok() ? "" : qPrintable(read->error().message));
        QCOMPARE((*read)->bytes(), secret);

        std::optional<Result<void>> removed;
        keystore.remove(key, [&removed](Result<void> result) { removed = std::move(result); });
        QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), 20'000);
        QVERIFY(removed->ok());

        std::optional<Result<crypto::SecretBytes>> gone;
        keystore.read(key, [&gone](Result<crypto::SecretBytes> result) { gone = std::move(result); });
        QTRY_VERIFY_WITH_TIMEOUT(gone.has_value(), 20'000);
        QVERIFY(!gone->ok());
        QCOMPARE(gone->error().code, QStringLiteral("not_found"));
    }
};

QTEST_GUILESS_MAIN(tst_DeviceCore)
#include "tst_DeviceCore.moc"
