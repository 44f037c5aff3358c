// NotificationOutbox on a real SQLite database (schema 5): only ping and push
// clients get a row; a row written inside a transaction that is rolled back is
// gone with it; due rows are taken oldest first, counted and leased so they are
// not taken twice; retries wait for their time; delivery of a push redeems the
// request; failures are kept with their error; a start makes leased rows due;
// the client's token, endpoint and revocation come from the live records.

#include "server/ciba/ClientStore.h"
#include "server/ciba/NotificationOutbox.h"
#include "server/device/UserStore.h"
#include "server/store/Database.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace handoff;
using namespace handoff::server;

class tst_NotificationOutbox final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<NotificationOutbox> m_outbox;
    QString m_userId;
    ClientRecord m_poll, m_ping, m_push;
    int m_counter = 0;

    ClientRecord client(const QString& mode)
    {
        ClientStore clients(*m_database);
        Result<NewClient> created = clients.create(QStringLiteral("Client ") + mode, mode,
                                                   mode == QLatin1String("poll") ? QString() : QStringLiteral("https://rp.example/cb"));
        return created ? created->record : ClientRecord{};
    }
    QString request(const ClientRecord& client, const QString& token = QStringLiteral("tok"))
    {
        const QString id = QStringLiteral("areq-%1").arg(++m_counter);
        QSqlQuery insert(m_database->handle());
        insert.prepare(QStringLiteral(
            "INSERT INTO ciba_requests (auth_req_id, client_id, client_name, user_id, user_email, scope, "
            "client_notification_token, requested_at, expires_at, status, poll_interval, decided_at) "
            "VALUES (?, ?, ?, ?, 'lee@example.com', 'openid', ?, 1000, 301000, 'approved', 5, 2000)"));
        insert.addBindValue(id);
        insert.addBindValue(client.id);
        insert.addBindValue(client.name);
        insert.addBindValue(m_userId);
        insert.addBindValue(token);
        return insert.exec() ? id : QString();
    }
    qint64 count(const QString& state)
    {
        Result<QMap<QString, qint64>> counts = m_outbox->countByState();
        return counts ? counts->value(state) : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        Result<std::unique_ptr<Database>> database = Database::open(m_dir.filePath(QStringLiteral("t.sqlite")));
        QVERIFY2(database.ok(), database.ok() ? "" : qPrintable(database.error().message));
        m_database = std::move(database).value();
        QVERIFY(m_database->schemaVersion() >= 5);
        m_outbox = std::make_unique<NotificationOutbox>(*m_database);
        Result<UserRecord> user = UserStore(*m_database).add(QStringLiteral("lee@example.com"));
        QVERIFY(user.ok());
        m_userId = user->id;
        m_poll = client(QStringLiteral("poll"));
        m_ping = client(QStringLiteral("ping"));
        m_push = client(QStringLiteral("push"));
        QVERIFY(!m_poll.id.isEmpty() && !m_ping.id.isEmpty() && !m_push.id.isEmpty());
    }

    void onlyPingAndPushClientsAreQueued()
    {
        const QString poll = request(m_poll);
        const QString ping = request(m_ping);
        const QString push = request(m_push);
        QCOMPARE(*m_outbox->enqueue(poll, QStringLiteral("approved"), 10'000), false);
        QCOMPARE(*m_outbox->enqueue(ping, QStringLiteral("denied"), 10'000), true);
        QCOMPARE(*m_outbox->enqueue(push, QStringLiteral("approved"), 10'001), true);
        // One notification per request.
        QVERIFY(!m_outbox->enqueue(ping, QStringLiteral("denied"), 10'002).ok());
        QCOMPARE(count(QStringLiteral("pending")), 2);
    }

    void takenOldestFirstAndLeased()
    {
        // Not yet due before they were queued.
        QCOMPARE(m_outbox->takeDue(9'999, 10, 1000)->size(), 0);
        Result<QList<NotificationJob>> first = m_outbox->takeDue(20'000, 1, 1000);
        QCOMPARE(first->size(), 1);
        const NotificationJob ping = first->first();
        QCOMPARE(ping.mode, QStringLiteral("ping"));
        QCOMPARE(ping.outcome, QStringLiteral("denied"));
        QCOMPARE(ping.attempts, 1);
        QCOMPARE(ping.queuedAtMs, 10'000);
        QCOMPARE(ping.endpoint, QStringLiteral("https://rp.example/cb"));
        QCOMPARE(ping.notificationToken, QStringLiteral("tok"));
        QVERIFY(!ping.clientRevoked);
        QCOMPARE(ping.grant.clientId, m_ping.id);
        QCOMPARE(ping.grant.userId, m_userId);
        QCOMPARE(ping.grant.scope, QStringLiteral("openid"));
        QCOMPARE(ping.grant.authTimeMs, 2000);
        // The leased one is not taken again; the other one is.
        Result<QList<NotificationJob>> second = m_outbox->takeDue(20'500, 10, 1000);
        QCOMPARE(second->size(), 1);
        QCOMPARE(second->first().mode, QStringLiteral("push"));
        // Past the lease, both are due again, with the attempt counted.
        Result<QList<NotificationJob>> again = m_outbox->takeDue(30'000, 10, 1000);
        QCOMPARE(again->size(), 2);
        QCOMPARE(again->at(0).attempts, 2);
        QCOMPARE(*m_outbox->nextDue(), std::optional<qint64>(31'000));
    }

    void retriesWaitForTheirTime()
    {
        Result<QList<NotificationJob>> jobs = m_outbox->takeDue(40'000, 10, 1000);
        QCOMPARE(jobs->size(), 2);
        for (const NotificationJob& job : *jobs) {
            QVERIFY(m_outbox->scheduleRetry(job.authReqId, 50'000, QStringLiteral("HTTP 500")).ok());
        }
        QCOMPARE(m_outbox->takeDue(49'999, 10, 1000)->size(), 0);
        QCOMPARE(*m_outbox->nextDue(), std::optional<qint64>(50'000));
        QCOMPARE(m_outbox->takeDue(50'000, 10, 1000)->size(), 2);
    }

    void startMakesLeasedRowsDue()
    {
        // Both are leased until 51'000 now, as after a crash in mid-attempt.
        QCOMPARE(m_outbox->takeDue(50'500, 10, 1000)->size(), 0);
        QCOMPARE(*m_outbox->makePendingDue(50'500), 2);
        QCOMPARE(m_outbox->takeDue(50'500, 10, 1000)->size(), 2);
    }

    void deliveredAndFailedAreFinal()
    {
        Result<QList<NotificationJob>> jobs = m_outbox->takeDue(60'000, 10, 1000);
        QCOMPARE(jobs->size(), 2);
        const NotificationJob ping = jobs->at(0).mode == QLatin1String("ping") ? jobs->at(0) : jobs->at(1);
        const NotificationJob push = jobs->at(0).mode == QLatin1String("push") ? jobs->at(0) : jobs->at(1);
        QVERIFY(m_outbox->markFailed(ping.authReqId, 61'000, QStringLiteral("connection refused")).ok());
        QVERIFY(m_outbox->markDelivered(push.authReqId, 61'000, true).ok());
        QCOMPARE(count(QStringLiteral("pending")), 0);
        QCOMPARE(count(QStringLiteral("failed")), 1);
        QCOMPARE(count(QStringLiteral("delivered")), 1);
        QCOMPARE(*m_outbox->nextDue(), std::nullopt);
        QCOMPARE(*m_outbox->makePendingDue(70'000), 0);
        QCOMPARE(m_outbox->takeDue(1'000'000, 10, 1000)->size(), 0);
        // A failed row is not brought back by a late retry.
        QVERIFY(m_outbox->scheduleRetry(ping.authReqId, 80'000, QStringLiteral("late")).ok());
        QCOMPARE(count(QStringLiteral("failed")), 1);

        QSqlQuery query(m_database->handle());
        query.prepare(QStringLiteral("SELECT redeemed_at FROM ciba_requests WHERE auth_req_id = ?"));
        query.addBindValue(push.authReqId);
        QVERIFY(query.exec() && query.next());
        QCOMPARE(query.value(0).toLongLong(), 61'000);
        query.prepare(QStringLiteral("SELECT last_error, attempts FROM ciba_notifications WHERE auth_req_id = ?"));
        query.addBindValue(ping.authReqId);
        QVERIFY(query.exec() && query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("connection refused"));
        QCOMPARE(query.value(1).toInt(), 6);
    }

    void rolledBackWithTheState()
    {
        const QString id = request(m_ping);
        QVERIFY(m_database->handle().transaction());
        QCOMPARE(*m_outbox->enqueue(id, QStringLiteral("approved"), 90'000), true);
        QVERIFY(m_database->handle().rollback());
        QCOMPARE(count(QStringLiteral("pending")), 0);
    }

    void liveClientRecordIsUsed()
    {
        const QString id = request(m_ping, QStringLiteral("other-token"));
        QCOMPARE(*m_outbox->enqueue(id, QStringLiteral("approved"), 100'000), true);
        QVERIFY(ClientStore(*m_database).revoke(m_ping.id).ok());
        Result<QList<NotificationJob>> jobs = m_outbox->takeDue(100'000, 10, 1000);
        QCOMPARE(jobs->size(), 1);
        QVERIFY(jobs->first().clientRevoked);
        QCOMPARE(jobs->first().notificationToken, QStringLiteral("other-token"));
    }
};

QTEST_GUILESS_MAIN(tst_NotificationOutbox)
#include "tst_NotificationOutbox.moc"
