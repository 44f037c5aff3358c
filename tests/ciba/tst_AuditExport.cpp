// handoff-server audit export / audit verify on the database of a real server,
// after real decisions by the app's real DeviceClient (key in the real keychain):
// the export has one line per request with every field of the signed statement,
// the device's public key, signature and outcome, plus a line per block (one after
// a denial, one after a request left to expire unanswered); verify
// passes on it (with and without the server database at hand) and fails, with a
// non-zero exit, on a line whose binding message, decision, signature or public
// key was changed, and, with the database, on a line re-signed by another key.
// Neither the client notification token nor any secret is ever in the file.

#include "core/crypto/SigningKey.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceStatements.h"
#include "tests/ciba/CibaHttp.h"
#include "tests/support/CibaCli.h"
#include "tests/support/PairedDevice.h"
#include "tests/support/TestServer.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace handoff;
using namespace handoff::test;

namespace {

const QString user = QStringLiteral("mia@example.com");
const QString notificationToken = QStringLiteral("notify-me-ZX81-secret-token");

CliResult runIn(const QString& dataDir, const QStringList& arguments)
{
    return runServerProgram(arguments + QStringList{QStringLiteral("--data-dir"), dataDir});
}

QList<QJsonObject> readLines(const QString& path)
{
    QFile file(path);
    QList<QJsonObject> lines;
    if (!file.open(QIODevice::ReadOnly)) {
        return lines;
    }
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty()) {
            lines.append(QJsonDocument::fromJson(line).object());
        }
    }
    return lines;
}

bool writeLines(const QString& path, const QList<QJsonObject>& lines)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return false;
    }
    for (const QJsonObject& line : lines) {
        file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    }
    return true;
}

} // namespace

class tst_AuditExport final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    QTemporaryDir m_files;
    QTemporaryDir m_noDatabase;
    PairedDevice m_device;
    CibaClient m_poller;
    CibaClient m_pinger;
    QString m_approved, m_denied, m_expired, m_pending;
    QString m_export;

    QString file(const QString& name) const { return m_files.filePath(name); }
    qsizetype indexOf(const QList<QJsonObject>& lines, const QString& authReqId) const
    {
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (lines.at(i).value(QStringLiteral("auth_req_id")).toString() == authReqId) {
                return i;
            }
        }
        return -1;
    }
    // Writes the export with one line changed by `change` and verifies it.
    CliResult verifyTampered(const QString& name, const std::function<void(QJsonObject&)>& change, bool withDatabase = true)
    {
        QList<QJsonObject> lines = readLines(m_export);
        change(lines[indexOf(lines, m_approved)]);
        writeLines(file(name), lines);
        return withDatabase ? runCli(m_server, {QStringLiteral("audit"), QStringLiteral("verify"), file(name)})
                            : runIn(m_noDatabase.path(), {QStringLiteral("audit"), QStringLiteral("verify"), file(name)});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_files.isValid() && m_noDatabase.isValid());
        // One denial blocks here, so that the export holds a block line.
        QVERIFY2(m_server.start({QStringLiteral("--denial-block-count"), QStringLiteral("1")}), qPrintable(m_server.errorString()));
        QVERIFY2(m_device.pair(m_server, user, {.deviceName = QStringLiteral("Mia's laptop")}),
                 qPrintable(m_device.errorString()));
        m_poller = createClient(m_server, QStringLiteral("Refund bot"));
        m_pinger = createClient(m_server, QStringLiteral("Ping bot"),
                                QStringList{QStringLiteral("--mode"), QStringLiteral("ping"),
                                            QStringLiteral("--notification-endpoint"),
                                            QStringLiteral("http://127.0.0.1:9/ciba-callback")});
        QVERIFY(!m_poller.secret.isEmpty() && !m_pinger.secret.isEmpty());
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void decisions()
    {
        // Approved, by a ping client that sent a notification token.
        const OAuthReply asked = oauthPost(m_server, QStringLiteral("/bc-authorize"),
                                           "scope=openid%20payments&login_hint=" + QUrl::toPercentEncoding(user)
                                               + "&binding_message=" + QUrl::toPercentEncoding(QStringLiteral("Refund $120.00 to ACME Corp"))
                                               + "&client_notification_token=" + QUrl::toPercentEncoding(notificationToken),
                                           m_pinger.id, m_pinger.secret);
        m_approved = asked.json.value(QStringLiteral("auth_req_id")).toString();
        QVERIFY2(!m_approved.isEmpty(), asked.body.constData());
        QVERIFY(m_device.decide(m_approved, true));
        // Denied (and so blocked, with count 1).
        m_denied = bcAuthorize(m_server, m_poller, user, QStringLiteral("Refund $9,999.00 to Mallory")).json.value(QStringLiteral("auth_req_id")).toString();
        QVERIFY(!m_denied.isEmpty());
        QVERIFY(m_device.decide(m_denied, false));
        QCOMPARE(bcAuthorize(m_server, m_poller, user, QStringLiteral("Refund again")).status, 403);
        // Expired and pending, from the client that is not blocked (yet: the request
        // left to expire blocks it too, so the pending one is asked first).
        const auto pingAsk = [this](const QString& message, int expiry) {
            return oauthPost(m_server, QStringLiteral("/bc-authorize"),
                             "scope=openid&login_hint=" + QUrl::toPercentEncoding(user) + "&requested_expiry="
                                 + QByteArray::number(expiry) + "&binding_message=" + QUrl::toPercentEncoding(message)
                                 + "&client_notification_token=" + QUrl::toPercentEncoding(notificationToken),
                             m_pinger.id, m_pinger.secret)
                .json.value(QStringLiteral("auth_req_id"))
                .toString();
        };
        m_expired = pingAsk(QStringLiteral("Expire me"), 1);
        QVERIFY(!m_expired.isEmpty());
        m_pending = pingAsk(QStringLiteral("Still waiting"), 300);
        QVERIFY(!m_pending.isEmpty());
        QVERIFY(m_device.waitClosed(m_expired));
        QVERIFY(pingAsk(QStringLiteral("Blocked now"), 300).isEmpty()); // the unanswered one blocked it
    }

    void exportHoldsEverything()
    {
        m_export = file(QStringLiteral("audit.jsonl"));
        const CliResult exported = runCli(m_server, {QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--output"), m_export});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.out.contains(QStringLiteral("4 request line(s) and 2 block line(s)")), qPrintable(exported.out));
        QCOMPARE(QFile::permissions(m_export) & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());

        const QList<QJsonObject> lines = readLines(m_export);
        QCOMPARE(lines.size(), 6);
        const QJsonObject approved = lines.at(indexOf(lines, m_approved));
        QCOMPARE(approved.value(QStringLiteral("type")).toString(), QStringLiteral("approval"));
        QCOMPARE(approved.value(QStringLiteral("outcome")).toString(), QStringLiteral("approved"));
        QCOMPARE(approved.value(QStringLiteral("decision")).toString(), QStringLiteral("approve"));
        QCOMPARE(approved.value(QStringLiteral("device_id")).toString(), m_device.account().deviceId);
        QCOMPARE(approved.value(QStringLiteral("device_name")).toString(), QStringLiteral("Mia's laptop"));
        QCOMPARE(approved.value(QStringLiteral("binding_message")).toString(), QStringLiteral("Refund $120.00 to ACME Corp"));
        QCOMPARE(approved.value(QStringLiteral("server")).toString(),
                 device::DeviceStatements::serverIdentity(m_server.baseUrl()));
        QCOMPARE(approved.value(QStringLiteral("user")).toString(), user);

        // The statement rebuilt from the line alone verifies with the key in the line.
        const device::ApprovalRequest request = *device::ApprovalRequest::fromJson(approved);
        const QByteArray statement = device::DeviceStatements::approvalDecision(
            approved.value(QStringLiteral("server")).toString(), request, approved.value(QStringLiteral("device_id")).toString(),
            approved.value(QStringLiteral("decision")).toString(), approved.value(QStringLiteral("decided_at")).toString());
        QVERIFY(crypto::SigningKey::verify(
            QByteArray::fromBase64(approved.value(QStringLiteral("device_public_key")).toString().toLatin1()), statement,
            QByteArray::fromBase64(approved.value(QStringLiteral("signature")).toString().toLatin1(), QByteArray::Base64UrlEncoding)));

        QCOMPARE(lines.at(indexOf(lines, m_denied)).value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
        QCOMPARE(lines.at(indexOf(lines, m_denied)).value(QStringLiteral("decision")).toString(), QStringLiteral("deny"));
        for (const QString& id : {m_expired, m_pending}) {
            const QJsonObject line = lines.at(indexOf(lines, id));
            QVERIFY(!line.contains(QStringLiteral("signature")) && !line.contains(QStringLiteral("device_id")));
        }
        QCOMPARE(lines.at(indexOf(lines, m_expired)).value(QStringLiteral("outcome")).toString(), QStringLiteral("expired"));
        QCOMPARE(lines.at(indexOf(lines, m_pending)).value(QStringLiteral("outcome")).toString(), QStringLiteral("pending"));

        const QJsonObject block = lines.at(4);
        QCOMPARE(block.value(QStringLiteral("type")).toString(), QStringLiteral("block"));
        QCOMPARE(block.value(QStringLiteral("client_id")).toString(), m_poller.id);
        QCOMPARE(block.value(QStringLiteral("user")).toString(), user);
        QCOMPARE(block.value(QStringLiteral("last_denied_auth_req_id")).toString(), m_denied);
        QCOMPARE(block.value(QStringLiteral("denials")).toInt(), 1);
        QCOMPARE(block.value(QStringLiteral("ignored")).toInt(), 0);
        QCOMPARE(block.value(QStringLiteral("refused_requests")).toInt(), 1);
        QCOMPARE(block.value(QStringLiteral("devices_told")).toInt(), 1);
        const QJsonObject ignoredBlock = lines.at(5);
        QCOMPARE(ignoredBlock.value(QStringLiteral("type")).toString(), QStringLiteral("block"));
        QCOMPARE(ignoredBlock.value(QStringLiteral("client_id")).toString(), m_pinger.id);
        QCOMPARE(ignoredBlock.value(QStringLiteral("last_denied_auth_req_id")).toString(), m_expired);
        QCOMPARE(ignoredBlock.value(QStringLiteral("ignored")).toInt(), 1);
        QVERIFY(ignoredBlock.value(QStringLiteral("refused_requests")).toInt() >= 1);

        // No secret of any kind.
        QFile raw(m_export);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray bytes = raw.readAll();
        QVERIFY(!bytes.contains(notificationToken.toUtf8()));
        QVERIFY(!bytes.contains(m_poller.secret.toUtf8()));
        QVERIFY(!bytes.contains(m_pinger.secret.toUtf8()));
        QVERIFY(!bytes.contains("notification_token"));
        QVERIFY(!bytes.contains("secret"));
        QVERIFY(!bytes.contains("hash"));

        // --since after everything exports nothing; stdout works too.
        const CliResult later = runCli(m_server, {QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--since"),
                                                  QDateTime::currentDateTimeUtc().addSecs(60).toString(Qt::ISODate)});
        QCOMPARE(later.exitCode, 0);
        QVERIFY(later.out.isEmpty());
        const CliResult all = runCli(m_server, {QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--since"),
                                                QStringLiteral("2000-01-01")});
        QCOMPARE(all.exitCode, 0);
        QCOMPARE(all.out.count(QLatin1Char('\n')), 6);
        QCOMPARE(runCli(m_server, {QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--since"),
                                   QStringLiteral("yesterday")}).exitCode, 2);
    }

    void verifyPasses()
    {
        const CliResult checked = runCli(m_server, {QStringLiteral("audit"), QStringLiteral("verify"), m_export});
        QVERIFY2(checked.exitCode == 0, qPrintable(checked.out + checked.err));
        QVERIFY2(checked.out.contains(QStringLiteral("6 line(s): 2 verified, 2 unsigned (pending or expired), 2 block event(s), 0 failed")),
                 qPrintable(checked.out));
        QVERIFY(checked.out.contains(QStringLiteral("against the server database")));
        // Anyone without the database can check it too, trusting the keys in the lines.
        const CliResult alone = runIn(m_noDatabase.path(), {QStringLiteral("audit"), QStringLiteral("verify"), m_export});
        QVERIFY2(alone.exitCode == 0, qPrintable(alone.out + alone.err));
        QVERIFY(alone.out.contains(QStringLiteral("No server database")));
        QVERIFY(alone.out.contains(QStringLiteral("2 verified")));
    }

    void tamperedLinesFail_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("withDatabase");
        for (const bool withDatabase : {true, false}) {
            const char* where = withDatabase ? " (with database)" : " (line alone)";
            for (const char* field : {"binding_message", "decision", "signature", "device_public_key", "scope", "outcome"}) {
                QTest::newRow(qPrintable(QString::fromLatin1(field) + QString::fromLatin1(where)))
                    << QString::fromLatin1(field) << withDatabase;
            }
        }
    }

    void tamperedLinesFail()
    {
        QFETCH(QString, field);
        QFETCH(bool, withDatabase);
        Result<crypto::SigningKey> other = crypto::SigningKey::generate();
        QVERIFY(other.ok());
        const QByteArray otherKey = other->publicPoint().toBase64();
        const CliResult result = verifyTampered(QStringLiteral("tampered-%1.jsonl").arg(field), [&](QJsonObject& line) {
            if (field == QLatin1String("binding_message")) {
                line.insert(field, QStringLiteral("Refund $12,000.00 to ACME Corp"));
            } else if (field == QLatin1String("decision")) {
                line.insert(field, QStringLiteral("deny"));
                line.insert(QStringLiteral("outcome"), QStringLiteral("denied"));
            } else if (field == QLatin1String("signature")) {
                QByteArray signature = QByteArray::fromBase64(line.value(field).toString().toLatin1(), QByteArray::Base64UrlEncoding);
                signature[10] = char(signature.at(10) ^ 0x01);
                line.insert(field, b64url(signature));
            } else if (field == QLatin1String("device_public_key")) {
                line.insert(field, QString::fromLatin1(otherKey));
            } else if (field == QLatin1String("scope")) {
                line.insert(field, QStringLiteral("openid payments admin"));
            } else if (field == QLatin1String("outcome")) {
                line.insert(field, QStringLiteral("denied"));
            }
        }, withDatabase);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.out.contains(QStringLiteral("1 failed")), qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("FAILED")));
    }

    void reSignedByAnotherKeyFailsAgainstTheDatabase()
    {
        Result<crypto::SigningKey> forger = crypto::SigningKey::generate();
        QVERIFY(forger.ok());
        const auto forge = [&](QJsonObject& line) {
            line.insert(QStringLiteral("binding_message"), QStringLiteral("Refund $12,000.00 to ACME Corp"));
            const device::ApprovalRequest request = *device::ApprovalRequest::fromJson(line);
            const QByteArray statement = device::DeviceStatements::approvalDecision(
                line.value(QStringLiteral("server")).toString(), request, line.value(QStringLiteral("device_id")).toString(),
                line.value(QStringLiteral("decision")).toString(), line.value(QStringLiteral("decided_at")).toString());
            line.insert(QStringLiteral("signature"), b64url(*forger->sign(statement)));
            line.insert(QStringLiteral("device_public_key"), QString::fromLatin1(forger->publicPoint().toBase64()));
        };
        // The line alone cannot tell: its own key signed it (what "trusting the line's key" means)...
        const CliResult alone = verifyTampered(QStringLiteral("forged-alone.jsonl"), forge, false);
        QCOMPARE(alone.exitCode, 0);
        // ...but the server never registered that key for the device.
        const CliResult checked = verifyTampered(QStringLiteral("forged.jsonl"), forge, true);
        QCOMPARE(checked.exitCode, 1);
        QVERIFY2(checked.out.contains(QStringLiteral("not the one the server registered")), qPrintable(checked.out));
    }

    void droppedSignatureFailsAgainstTheDatabase()
    {
        // An approval passed off as an expired request.
        const CliResult checked = verifyTampered(QStringLiteral("dropped.jsonl"), [](QJsonObject& line) {
            for (const char* field : {"server", "device_id", "device_name", "device_public_key", "decision", "decided_at",
                                      "signature", "recorded_at"}) {
                line.remove(QLatin1String(field));
            }
            line.insert(QStringLiteral("outcome"), QStringLiteral("expired"));
        });
        QCOMPARE(checked.exitCode, 1);
        QVERIFY2(checked.out.contains(QStringLiteral("that the line drops")), qPrintable(checked.out));
    }

    void garbageFails()
    {
        QFile garbage(file(QStringLiteral("garbage.jsonl")));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("not json at all\n{\"type\":\"approval\"}\n{\"type\":\"surprise\"}\n\x1b[31m\n");
        garbage.close();
        const CliResult checked = runCli(m_server, {QStringLiteral("audit"), QStringLiteral("verify"), garbage.fileName()});
        QCOMPARE(checked.exitCode, 1);
        QVERIFY2(checked.out.contains(QStringLiteral("4 failed")), qPrintable(checked.out));
        QVERIFY(!checked.out.contains(QLatin1Char('\x1b')));
        QCOMPARE(runCli(m_server, {QStringLiteral("audit"), QStringLiteral("verify"), file(QStringLiteral("missing.jsonl"))}).exitCode, 1);
        QCOMPARE(runCli(m_server, {QStringLiteral("audit"), QStringLiteral("verify")}).exitCode, 2);
    }

    void oversizedLineFails()
    {
        // A line longer than any export writes (here one that would otherwise read as
        // a block event) fails and counts; the lines after it are still read.
        QFile original(m_export);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray lines = original.readAll();
        const QByteArray lastLine = lines.mid(lines.lastIndexOf('\n', lines.size() - 2) + 1);
        QFile oversized(file(QStringLiteral("oversized.jsonl")));
        QVERIFY(oversized.open(QIODevice::WriteOnly));
        oversized.write(lines + "{\"type\":\"block\",\"padding\":\"" + QByteArray(70 * 1024, 'x') + "\"}\n" + lastLine);
        oversized.close();
        const CliResult checked = runCli(m_server, {QStringLiteral("audit"), QStringLiteral("verify"), oversized.fileName()});
        QCOMPARE(checked.exitCode, 1);
        QVERIFY2(checked.out.contains(QStringLiteral("line 7: FAILED    -: the line is longer than 65536 bytes")),
                 qPrintable(checked.out));
        QVERIFY2(checked.out.contains(QStringLiteral("line 8: event")), qPrintable(checked.out));
        QVERIFY2(checked.out.contains(QStringLiteral("8 line(s): 2 verified, 2 unsigned (pending or expired), 3 block event(s), 1 failed")),
                 qPrintable(checked.out));
    }
};

QTEST_GUILESS_MAIN(tst_AuditExport)
#include "tst_AuditExport.moc"
