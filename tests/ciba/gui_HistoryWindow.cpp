// GUI test of ui/HistoryWindow (offscreen): entries newest first, outcomes in
// words, binding messages as plain, read-only text, refresh asks for a new list.

#include "ui/HistoryWindow.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace handoff;

class tst_HistoryWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsEntriesNewestFirst()
    {
        ui::HistoryWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.table()->rowCount(), 0);

        device::ApprovalHistoryEntry older;
        older.authReqId = QStringLiteral("a1");
        older.clientName = QStringLiteral("Refund bot");
        older.bindingMessage = QStringLiteral("Refund $120.00 to <i>ACME</i> Corp");
        older.scope = QStringLiteral("openid payments");
        older.requestedAt = QStringLiteral("2025-01-31T12:00:00Z");
        older.decidedAt = QStringLiteral("2025-01-31T12:00:30Z");
        older.outcome = QStringLiteral("approved");
        older.deviceName = QStringLiteral("Laptop");
        device::ApprovalHistoryEntry newer = older;
        newer.authReqId = QStringLiteral("a2");
        newer.requestedAt = QStringLiteral("2025-02-01T08:00:00Z");
        newer.outcome = QStringLiteral("denied");
        device::ApprovalHistoryEntry expired = older;
        expired.authReqId = QStringLiteral("a3");
        expired.requestedAt = QStringLiteral("2025-01-01T08:00:00Z");
        expired.outcome = QStringLiteral("expired");
        expired.deviceName.clear();

        window.setEntries({older, newer, expired});
        QTableWidget* table = window.table();
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(table->item(0, ui::HistoryWindow::OutcomeColumn)->text(), QStringLiteral("Denied"));
        QCOMPARE(table->item(1, ui::HistoryWindow::OutcomeColumn)->text(), QStringLiteral("Approved"));
        QCOMPARE(table->item(2, ui::HistoryWindow::OutcomeColumn)->text(), QStringLiteral("Expired unanswered"));
        QCOMPARE(table->item(1, ui::HistoryWindow::MessageColumn)->text(), older.bindingMessage);
        QCOMPARE(table->item(1, ui::HistoryWindow::DeviceColumn)->text(), QStringLiteral("Laptop"));
        QVERIFY(!(table->item(0, 0)->flags() & Qt::ItemIsEditable));
    }

    void statusReplacesTheEmptyNote()
    {
        ui::HistoryWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.isShowingEmpty());
        // While loading (or offline) an empty table is not "no requests yet".
        window.setStatus(QStringLiteral("Loading the history from relay.example…"));
        QVERIFY(!window.isShowingEmpty());
        auto* status = window.findChild<QLabel*>(QStringLiteral("historyStatus"));
        QVERIFY(status && status->isVisible());
        QCOMPARE(status->textFormat(), Qt::PlainText);
        QCOMPARE(window.statusText(), QStringLiteral("Loading the history from relay.example…"));
        window.setStatus(QString());
        QVERIFY(!status->isVisible());
        QVERIFY(window.isShowingEmpty());
        device::ApprovalHistoryEntry entry;
        entry.authReqId = QStringLiteral("a1");
        entry.requestedAt = QStringLiteral("2025-01-31T12:00:00Z");
        entry.outcome = QStringLiteral("pending");
        window.setEntries({entry});
        QVERIFY(!window.isShowingEmpty());
    }

    void refreshAsksForANewList()
    {
        ui::HistoryWindow window;
        QSignalSpy refresh(&window, &ui::HistoryWindow::refreshRequested);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* button = window.findChild<QPushButton*>();
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(refresh.size(), 1);
    }
};

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    tst_HistoryWindow test;
    return QTest::qExec(&test, argc, argv);
}
#include "gui_HistoryWindow.moc"
