// The app's approval prompts, in-process against a real handoff-server and the
// real keychain: a /bc-authorize request opens one ApprovalDialog and a tray
// notification; a real click on Approve makes /token hand out tokens, Deny
// makes it answer access_denied; when another device of the same user decides
// first the dialog closes saying where; a request made while the app was not
// running appears once it connects, and seeing it again on a reconnect opens
// no second dialog; the server's expiry closes the dialog; a client blocked after
// repeated denials is announced. The words for the server's refusals are checked too.

#include "ui/ApprovalDialog.h"
#include "tests/app/AppFixture.h"

#include <QJsonObject>

using namespace handoff;
using namespace handoff::test;

namespace {

const QString Frank = QStringLiteral("frank@example.com");

} // namespace

class tst_ApprovalPrompts final : public QObject {
    Q_OBJECT

private:
    AppFixture m_fixture;
    std::unique_ptr<app::AppController> m_app;
    QString m_key;

    // Waits for the dialog of `authReqId`.
    ui::ApprovalDialog* dialogFor(const QString& authReqId)
    {
        ui::ApprovalDialog* found = nullptr;
        (void)QTest::qWaitFor(
            [&] {
                found = m_app->approvals()->dialog(m_key, authReqId);
                return found && found->isVisible();
            },
            15'000);
        return found;
    }

    int dialogCount(const QString& authReqId) const
    {
        int count = 0;
        const QList<ui::ApprovalDialog*> dialogs = m_app->approvals()->dialogs();
        for (const ui::ApprovalDialog* dialog : dialogs) {
            count += dialog->authReqId() == authReqId ? 1 : 0;
        }
        return count;
    }

    static void clickWhenArmed(QPushButton* button)
    {
        QVERIFY(QTest::qWaitFor([button] { return button->isEnabled(); }, 5000));
        QTest::mouseClick(button, Qt::LeftButton);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (TestServer::program().isEmpty())
            QSKIP("handoff-server is not part of this build");
        QVERIFY2(m_fixture.startServer({Frank}), qPrintable(m_fixture.server().errorString()));
        m_app = m_fixture.makeApp();
        QVERIFY(m_app);
        m_app->start({});
        m_key = m_fixture.pairThroughLink(*m_app, Frank, QStringLiteral("Laptop A"));
        QVERIFY(!m_key.isEmpty());
        QVERIFY(m_fixture.isOnline(*m_app, m_key));
    }

    void cleanupTestCase()
    {
        m_app.reset();
    }

    void refusalsInPlainWords_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("already decided") << QStringLiteral("already_decided") << QStringLiteral("on another device");
        QTest::newRow("expired") << QStringLiteral("expired") << QStringLiteral("expired before your answer");
        QTest::newRow("unknown") << QStringLiteral("unknown_request") << QStringLiteral("no longer knows");
        QTest::newRow("clock") << QStringLiteral("clock_skew") << QStringLiteral("clock is more than five minutes off");
        QTest::newRow("signature") << QStringLiteral("bad_signature") << QStringLiteral("Pair this computer again");
        QTest::newRow("malformed") << QStringLiteral("invalid_message") << QStringLiteral("could not read");
        QTest::newRow("new code") << QStringLiteral("something_new") << QStringLiteral("the server's own words");
    }

    void refusalsInPlainWords()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        const QString text = app::ApprovalController::refusalText(code, QStringLiteral("the server's own words"));
        QVERIFY2(text.contains(expected), qPrintable(text));
    }

    void closedElsewhereInPlainWords()
    {
        QCOMPARE(app::ApprovalController::closedText(QStringLiteral("approved"), QStringLiteral("Phone"), {}),
                 QStringLiteral("Approved on Phone."));
        QCOMPARE(app::ApprovalController::closedText(QStringLiteral("denied"), QStringLiteral("Phone"), {}),
                 QStringLiteral("Denied on Phone."));
        QCOMPARE(app::ApprovalController::closedText(QStringLiteral("expired"), {}, {}),
                 QStringLiteral("This request expired."));
        QCOMPARE(app::ApprovalController::closedText(QStringLiteral("closed"), {}, QStringLiteral("Ended.")),
                 QStringLiteral("Ended."));
    }

    void approveGivesATokenToTheClient()
    {
        QSignalSpy notified(m_app->tray(), &app::TrayController::notified);
        const QString message = QStringLiteral("Deploy release 4.2 to production");
        const QString id = m_fixture.bcAuthorize(Frank, message);
        QVERIFY(!id.isEmpty());
        ui::ApprovalDialog* dialog = dialogFor(id);
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(dialog->bindingMessageText(), message);
        QTRY_VERIFY(!notified.isEmpty());
        QCOMPARE(notified.last().at(0).toString(), QStringLiteral("Approval requested"));
        QCOMPARE(notified.last().at(1).toString(), QStringLiteral("Deploy bot asks you to approve: ") + message);
        // Listed in the tray until answered.
        QTRY_VERIFY(AppFixture::menuAction(*m_app->tray(), QStringLiteral("Approve? Deploy bot: Deploy release")));

        clickWhenArmed(dialog->approveButton());
        QTRY_COMPARE_WITH_TIMEOUT(dialog->statusText(), QStringLiteral("You approved this request."), 15'000);
        const HttpResult token = m_fixture.token(id);
        QCOMPARE(token.status, 200);
        QVERIFY(!token.json().value(QStringLiteral("access_token")).toString().isEmpty());
        QVERIFY(!token.json().value(QStringLiteral("id_token")).toString().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->approvals()->dialog(m_key, id), 10'000);
        QTRY_VERIFY(!AppFixture::menuAction(*m_app->tray(), QStringLiteral("Approve?")));
    }

    void denyGivesAccessDenied()
    {
        const QString id = m_fixture.bcAuthorize(Frank, QStringLiteral("Delete the staging database"));
        QVERIFY(!id.isEmpty());
        ui::ApprovalDialog* dialog = dialogFor(id);
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QTest::mouseClick(dialog->denyButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->statusText(), QStringLiteral("You denied this request."), 15'000);
        QCOMPARE(m_fixture.token(id).errorCode(), QStringLiteral("access_denied"));
    }

    void anotherDeviceDecidingFirstClosesTheDialog()
    {
        std::unique_ptr<device::DeviceClient> phone = m_fixture.pairOtherDevice(Frank, QStringLiteral("Phone B"));
        QVERIFY(phone);
        const QString id = m_fixture.bcAuthorize(Frank, QStringLiteral("Rotate the API keys"));
        QVERIFY(!id.isEmpty());
        ui::ApprovalDialog* dialog = dialogFor(id);
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(phone->pendingRequest(id).has_value(), 15'000);
        QVERIFY(phone->decide(id, true).ok());
        QTRY_COMPARE_WITH_TIMEOUT(dialog->statusText(), QStringLiteral("Approved on Phone B."), 15'000);
        QVERIFY(!dialog->approveButton()->isEnabled());
        QVERIFY(!dialog->denyButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->approvals()->dialog(m_key, id), 15'000);
        QCOMPARE(m_fixture.token(id).status, 200);

        // And a denial elsewhere says so as well.
        const QString second = m_fixture.bcAuthorize(Frank, QStringLiteral("Rotate the API keys again"));
        dialog = dialogFor(second);
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(phone->pendingRequest(second).has_value(), 15'000);
        QVERIFY(phone->decide(second, false).ok());
        QTRY_COMPARE_WITH_TIMEOUT(dialog->statusText(), QStringLiteral("Denied on Phone B."), 15'000);
        phone->stop();
    }

    void expiryClosesTheDialog()
    {
        // A client of its own (of the same name): a request left to expire counts
        // toward the denial block, which must not stop the other tests' client.
        const AppFixture::Client unanswered = m_fixture.createClient(QStringLiteral("Deploy bot"));
        QVERIFY(!unanswered.id.isEmpty());
        const QString id = m_fixture.bcAuthorize(Frank, QStringLiteral("Restart the payment service"), 2, unanswered);
        QVERIFY(!id.isEmpty());
        ui::ApprovalDialog* dialog = dialogFor(id);
        QVERIFY(dialog);
        // The server's expiry job tells every device; nothing can be approved any more.
        QTRY_COMPARE_WITH_TIMEOUT(dialog->statusText(), QStringLiteral("This request expired."), 15'000);
        QVERIFY(!dialog->canApprove());
        QVERIFY(!dialog->approveButton()->isEnabled());
        QCOMPARE(m_fixture.token(id, unanswered).errorCode(), QStringLiteral("expired_token"));
        QTRY_VERIFY(!AppFixture::menuAction(*m_app->tray(), QStringLiteral("Approve? Deploy bot: Restart")));
    }

    void repeatedDenialsNoticeIsShown()
    {
        // A client of its own: the block it earns must not stop the other tests' client.
        const AppFixture::Client pushy = m_fixture.createClient(QStringLiteral("Pushy bot"));
        QVERIFY(!pushy.id.isEmpty());
        QSignalSpy notified(m_app->tray(), &app::TrayController::notified);
        for (int round = 1; round <= 3; ++round) {
            const QString id = m_fixture.bcAuthorize(Frank, QStringLiteral("Buy more ads, round %1").arg(round), 300, pushy);
            QVERIFY2(!id.isEmpty(), qPrintable(QString::number(round)));
            ui::ApprovalDialog* dialog = dialogFor(id);
            QVERIFY(dialog);
            QTest::mouseClick(dialog->denyButton(), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(dialog->statusText(), QStringLiteral("You denied this request."), 15'000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(notified.last().at(0).toString() == QStringLiteral("A client is blocked for now"),
                                 15'000);
        const QString message = notified.last().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("Pushy bot")), qPrintable(message));
        QVERIFY2(message.startsWith(QStringLiteral("You denied 3 requests")), qPrintable(message));
        QVERIFY(m_fixture.bcAuthorize(Frank, QStringLiteral("Buy more ads, round 4"), 300, pushy).isEmpty());
    }

    void requestMadeWhileTheAppWasOffAppearsOnConnect()
    {
        m_app.reset(); // the app is not running
        const QString id = m_fixture.bcAuthorize(Frank, QStringLiteral("Pay invoice 77"));
        QVERIFY(!id.isEmpty());
        m_app = m_fixture.makeApp();
        QVERIFY(m_app);
        QSignalSpy notified(m_app->tray(), &app::TrayController::notified);
        m_app->start({});
        ui::ApprovalDialog* dialog = dialogFor(id);
        QVERIFY(dialog);
        QCOMPARE(dialog->bindingMessageText(), QStringLiteral("Pay invoice 77"));
        QCOMPARE(notified.size(), 1);

        // Seen again in the next welcome: still one dialog, no second notification.
        m_app->channels()->restart(m_key);
        QVERIFY(m_fixture.isOnline(*m_app, m_key));
        QTest::qWait(500);
        QCOMPARE(dialogCount(id), 1);
        QCOMPARE(notified.size(), 1);

        // Closed by the person without deciding: it waits in the tray menu, which reopens it.
        dialog->close();
        QVERIFY(!dialog->isVisible());
        QAction* item = nullptr;
        QTRY_VERIFY((item = AppFixture::menuAction(*m_app->tray(), QStringLiteral("Approve? Deploy bot: Pay invoice 77"))));
        item->trigger();
        QTRY_VERIFY(dialog->isVisible());
        clickWhenArmed(dialog->approveButton());
        QTRY_COMPARE_WITH_TIMEOUT(dialog->statusText(), QStringLiteral("You approved this request."), 15'000);
        QCOMPARE(m_fixture.token(id).status, 200);
    }
};

HANDOFF_APP_TEST_MAIN(tst_ApprovalPrompts)
#include "tst_ApprovalPrompts.moc"
