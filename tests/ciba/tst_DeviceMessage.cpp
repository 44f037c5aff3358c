// DeviceMessage: what a device sends on /device, as the server reads it before
// any lookup. Table-driven: good "authenticate" and "approval_decision"
// messages, and each way one is refused (missing, mistyped, too long, not
// base64url, a wrong signature length, an unknown decision word, a bad time).

#include "server/device/DeviceMessage.h"
#include "tests/support/FuzzSeed.h"

#include <QJsonDocument>
#include <QTest>

using handoff::server::DeviceMessage;

namespace {

const QString Signature = QString::fromLatin1(
    QByteArray(64, '\x5a').toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));

QJsonObject authenticate(const QString& field = {}, const QJsonValue& value = QJsonValue::Undefined)
{
    QJsonObject message { { QStringLiteral("type"), QStringLiteral("authenticate") },
                          { QStringLiteral("device_id"), QStringLiteral("dev_0123") },
                          { QStringLiteral("signature"), Signature } };
    if (field.isEmpty()) {
        return message;
    }
    if (value.isUndefined()) {
        message.remove(field);
    } else {
        message.insert(field, value);
    }
    return message;
}

QJsonObject decision(const QString& field = {}, const QJsonValue& value = QJsonValue::Undefined)
{
    QJsonObject message { { QStringLiteral("type"), QStringLiteral("approval_decision") },
                          { QStringLiteral("auth_req_id"), QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1") },
                          { QStringLiteral("decision"), QStringLiteral("approve") },
                          { QStringLiteral("decided_at"), QStringLiteral("2025-01-31T12:01:00Z") },
                          { QStringLiteral("signature"), Signature } };
    if (field.isEmpty()) {
        return message;
    }
    if (value.isUndefined()) {
        message.remove(field);
    } else {
        message.insert(field, value);
    }
    return message;
}

void record(const QJsonObject& message)
{
    handoff::testutil::recordFuzzSeed("device_message", QJsonDocument(message).toJson(QJsonDocument::Compact));
}

} // namespace

class TestDeviceMessage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void authenticateReads()
    {
        record(authenticate());
        const auto read = DeviceMessage::authenticate(authenticate());
        QVERIFY(read.ok());
        QCOMPARE(read->deviceId, QStringLiteral("dev_0123"));
        QCOMPARE(read->signature, QByteArray(64, '\x5a'));
        QVERIFY(DeviceMessage::authenticate(authenticate(QStringLiteral("device_id"), QString(64, u'd'))).ok());
    }

    void authenticateRefuses_data()
    {
        QTest::addColumn<QJsonObject>("message");
        QTest::newRow("no device id") << authenticate(QStringLiteral("device_id"));
        QTest::newRow("empty device id") << authenticate(QStringLiteral("device_id"), QString());
        QTest::newRow("device id of 65") << authenticate(QStringLiteral("device_id"), QString(65, u'd'));
        QTest::newRow("device id a number") << authenticate(QStringLiteral("device_id"), 7);
        QTest::newRow("signature not base64url") << authenticate(QStringLiteral("signature"), QStringLiteral("a+b/"));
    }

    void authenticateRefuses()
    {
        QFETCH(QJsonObject, message);
        record(message);
        const auto read = DeviceMessage::authenticate(message);
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code, QStringLiteral("invalid_message"));
    }

    void decisionReads()
    {
        record(decision());
        const auto read = DeviceMessage::decision(decision());
        QVERIFY(read.ok());
        QVERIFY(read->approves());
        QCOMPARE(read->authReqId, QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1"));
        QCOMPARE(read->decidedAt, QStringLiteral("2025-01-31T12:01:00Z"));
        QCOMPARE(read->decidedTime.toSecsSinceEpoch(), 1738324860);
        QCOMPARE(read->signature, QByteArray(64, '\x5a'));
        const auto deny = DeviceMessage::decision(decision(QStringLiteral("decision"), QStringLiteral("deny")));
        QVERIFY(deny.ok());
        QVERIFY(!deny->approves());
        // An over-long id is cut, and then matches no request.
        const QJsonObject longId = decision(QStringLiteral("auth_req_id"), QString(300, u'r'));
        QCOMPARE(DeviceMessage::decisionRequestId(longId), QString(256, u'r'));
        QCOMPARE(DeviceMessage::decision(longId)->authReqId, QString(256, u'r'));
    }

    void decisionRefuses_data()
    {
        QTest::addColumn<QJsonObject>("message");
        QTest::newRow("no id") << decision(QStringLiteral("auth_req_id"));
        QTest::newRow("id a number") << decision(QStringLiteral("auth_req_id"), 5);
        QTest::newRow("no decision") << decision(QStringLiteral("decision"));
        QTest::newRow("decision approved") << decision(QStringLiteral("decision"), QStringLiteral("approved"));
        QTest::newRow("decision upper-case") << decision(QStringLiteral("decision"), QStringLiteral("APPROVE"));
        QTest::newRow("no time") << decision(QStringLiteral("decided_at"));
        QTest::newRow("time not ISO") << decision(QStringLiteral("decided_at"), QStringLiteral("yesterday"));
        QTest::newRow("time too long") << decision(QStringLiteral("decided_at"),
                                                   QStringLiteral("2025-01-31T12:01:00.") + QString(60, u'0')
                                                       + QStringLiteral("Z"));
        QTest::newRow("no signature") << decision(QStringLiteral("signature"));
        QTest::newRow("signature of 63 bytes")
            << decision(QStringLiteral("signature"),
                        QString::fromLatin1(QByteArray(63, 'a').toBase64(QByteArray::Base64UrlEncoding
                                                                         | QByteArray::OmitTrailingEquals)));
        QTest::newRow("signature not base64url") << decision(QStringLiteral("signature"), QStringLiteral("!!"));
    }

    void decisionRefuses()
    {
        QFETCH(QJsonObject, message);
        record(message);
        const auto read = DeviceMessage::decision(message);
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code, QStringLiteral("invalid_message"));
        QVERIFY(!read.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDeviceMessage)
#include "tst_DeviceMessage.moc"
