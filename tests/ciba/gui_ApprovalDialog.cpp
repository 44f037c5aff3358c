// GUI test of ui/ApprovalDialog (offscreen): the binding message is shown as plain
// text, Enter never approves, Approve is armed only after its delay, Deny is one
// click, an expired request cannot be approved, and a request settled elsewhere
// closes the dialog with a message.

#include "ui/ApprovalDialog.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace handoff;

namespace {

device::ApprovalRequest requestExpiringIn(int seconds, const QString& message)
{
    device::ApprovalRequest request;
    request.authReqId = QStringLiteral("areq-1");
    request.clientId = QStringLiteral("cl_1");
    request.clientName = QStringLiteral("Refund bot");
    request.user = QStringLiteral("alice@example.com");
    request.scope = QStringLiteral("openid payments:refund");
    request.bindingMessage = message;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    request.requestedAt = now.toString(Qt::ISODate);
    request.expiresAt = now.addSecs(seconds).toString(Qt::ISODate);
    return request;
}

} // namespace

class tst_ApprovalDialog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheBindingMessageAsPlainText()
    {
        const QString message = QStringLiteral("Refund $120.00 to <b>ACME</b> Corp, order 1234");
        ui::ApprovalDialog dialog(requestExpiringIn(120, message));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.bindingMessageText(), message);
        auto* label = dialog.findChild<QLabel*>(QStringLiteral("bindingMessage"));
        QVERIFY(label);
        QCOMPARE(label->textFormat(), Qt::PlainText);
        QVERIFY(label->font().bold());
        auto* scope = dialog.findChild<QLabel*>(QStringLiteral("scope"));
        QVERIFY(scope->text().contains(QStringLiteral("Confirm that it is you")));
        QVERIFY(scope->text().contains(QStringLiteral("payments:refund")));
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("countdown"))->text().startsWith(QStringLiteral("Expires in")));
    }

    void enterDoesNotApprove()
    {
        ui::ApprovalDialog dialog(requestExpiringIn(120, QStringLiteral("Delete the staging database")));
        dialog.setApproveDelay(0);
        QSignalSpy approved(&dialog, &ui::ApprovalDialog::approveClicked);
        QSignalSpy denied(&dialog, &ui::ApprovalDialog::denyClicked);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.canApprove());
        QVERIFY(!dialog.approveButton()->isDefault());
        QVERIFY(!dialog.approveButton()->autoDefault());
        // Even with the focus on Approve, Enter and Return do nothing.
        dialog.approveButton()->setFocus();
        QTest::keyClick(&dialog, Qt::Key_Return);
        QTest::keyClick(&dialog, Qt::Key_Enter);
        QTest::keyClick(dialog.approveButton(), Qt::Key_Return);
        QTest::qWait(100);
        QCOMPARE(approved.size(), 0);
        QCOMPARE(denied.size(), 0);
        QVERIFY(dialog.isVisible());
        // A deliberate click approves.
        QTest::mouseClick(dialog.approveButton(), Qt::LeftButton);
        QCOMPARE(approved.size(), 1);
        QCOMPARE(approved.first().first().toString(), QStringLiteral("areq-1"));
        QVERIFY(!dialog.denyButton()->isEnabled());
    }

    void approveIsArmedAfterADelay()
    {
        ui::ApprovalDialog dialog(requestExpiringIn(120, QStringLiteral("Pay invoice 77")));
        dialog.setApproveDelay(400);
        QSignalSpy approved(&dialog, &ui::ApprovalDialog::approveClicked);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.approveButton()->isEnabled());
        QTest::mouseClick(dialog.approveButton(), Qt::LeftButton);
        QCOMPARE(approved.size(), 0);
        QTRY_VERIFY(dialog.approveButton()->isEnabled());
    }

    void approveIsArmedAgainWhenShownAgain()
    {
        ui::ApprovalDialog dialog(requestExpiringIn(120, QStringLiteral("Pay invoice 79")));
        dialog.setApproveDelay(300);
        QSignalSpy approved(&dialog, &ui::ApprovalDialog::approveClicked);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.canApprove());
        dialog.hide(); // closed undecided, later reopened from the tray
        dialog.show();
        QVERIFY(!dialog.canApprove());
        QVERIFY(!dialog.approveButton()->isEnabled());
        QTest::mouseClick(dialog.approveButton(), Qt::LeftButton);
        QCOMPARE(approved.size(), 0);
        QTRY_VERIFY(dialog.approveButton()->isEnabled());
    }

    void denyIsOneClick()
    {
        ui::ApprovalDialog dialog(requestExpiringIn(120, QStringLiteral("Pay invoice 77")));
        QSignalSpy denied(&dialog, &ui::ApprovalDialog::denyClicked);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.denyButton()->isEnabled());
        QTest::mouseClick(dialog.denyButton(), Qt::LeftButton);
        QCOMPARE(denied.size(), 1);
    }

    void expiredRequestCannotBeApproved()
    {
        ui::ApprovalDialog dialog(requestExpiringIn(60, QStringLiteral("Transfer 10 EUR")));
        dialog.setApproveDelay(0);
        QSignalSpy approved(&dialog, &ui::ApprovalDialog::approveClicked);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.canApprove());
        // Time passes beyond the expiry.
        dialog.setClock([] { return QDateTime::currentDateTimeUtc().addSecs(120); });
        QVERIFY(!dialog.canApprove());
        QVERIFY(!dialog.approveButton()->isEnabled());
        QTest::mouseClick(dialog.approveButton(), Qt::LeftButton);
        dialog.approveButton()->click(); // even a programmatic click on the disabled button
        QCOMPARE(approved.size(), 0);
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("countdown"))->text().contains(QStringLiteral("expired")));
    }

    void alreadyExpiredOnArrival()
    {
        ui::ApprovalDialog dialog(requestExpiringIn(-5, QStringLiteral("Too late")));
        dialog.setApproveDelay(0);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::qWait(50);
        QVERIFY(!dialog.canApprove());
        QVERIFY(!dialog.approveButton()->isEnabled());
    }

    void retryAfterADecisionDidNotGetThrough()
    {
        ui::ApprovalDialog dialog(requestExpiringIn(120, QStringLiteral("Pay invoice 78")));
        dialog.setApproveDelay(0);
        QSignalSpy approved(&dialog, &ui::ApprovalDialog::approveClicked);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.canApprove());
        QTest::mouseClick(dialog.approveButton(), Qt::LeftButton);
        QCOMPARE(approved.size(), 1);
        QVERIFY(!dialog.canApprove());
        dialog.allowRetry(QStringLiteral("Not connected to the server; try again in a moment."));
        QCOMPARE(dialog.statusText(), QStringLiteral("Not connected to the server; try again in a moment."));
        QVERIFY(dialog.denyButton()->isEnabled());
        QVERIFY(dialog.canApprove());
        QTest::mouseClick(dialog.approveButton(), Qt::LeftButton);
        QCOMPARE(approved.size(), 2);

        // Once expired, a retry is not offered.
        dialog.setClock([] { return QDateTime::currentDateTimeUtc().addSecs(300); });
        dialog.allowRetry(QStringLiteral("Not connected."));
        QVERIFY(!dialog.canApprove());
        QVERIFY(!dialog.approveButton()->isEnabled());
        QVERIFY(!dialog.denyButton()->isEnabled());
    }

    void closesWhenAnotherDeviceDecided()
    {
        ui::ApprovalDialog dialog(requestExpiringIn(120, QStringLiteral("Pay invoice 77")));
        dialog.setApproveDelay(0);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.closeWithMessage(QStringLiteral("Approved on another device (Phone)."), 200);
        QVERIFY(!dialog.approveButton()->isEnabled());
        QVERIFY(!dialog.denyButton()->isEnabled());
        QCOMPARE(dialog.statusText(), QStringLiteral("Approved on another device (Phone)."));
        QTRY_VERIFY(!dialog.isVisible());
    }
};

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    tst_ApprovalDialog test;
    return QTest::qExec(&test, argc, argv);
}
#include "gui_ApprovalDialog.moc"
