// "Approval history…" from the tray, in-process against a real handoff-server:
// the window asks every online account for its history and shows it newest
// first (outcome in words, deciding device); an account that is offline, and
// an app paired with nothing, are said so instead of an empty list.

#include "app/HistoryController.h"
#include "tests/app/AppFixture.h"
#include "ui/ApprovalDialog.h"
#include "ui/HistoryWindow.h"

#include <QTableWidget>

using namespace handoff;
using namespace handoff::test;

namespace {

const QString Hana = QStringLiteral("hana@example.com");

} // namespace

class tst_ApprovalHistoryWindow final : public QObject {
    Q_OBJECT

private:
    AppFixture m_fixture;
    std::unique_ptr<app::AppController> m_app;
    QString m_key;

    ui::HistoryWindow* openFromTray()
    {
        QAction* item = AppFixture::menuAction(*m_app->tray(), QStringLiteral("Approval history…"));
        if (!item) {
            return nullptr;
        }
        item->trigger();
        return m_app->history()->window();
    }

    bool decideInTheApp(const QString& authReqId, bool approve)
    {
        ui::ApprovalDialog* dialog = nullptr;
        if (!QTest::qWaitFor([&] { return (dialog = m_app->approvals()->dialog(m_key, authReqId)) != nullptr; },
                             15'000)) {
            return false;
        }
        QPushButton* button = approve ? dialog->approveButton() : dialog->denyButton();
        if (!QTest::qWaitFor([button] { return button->isEnabled(); }, 5000)) {
            return false;
        }
        QTest::mouseClick(button, Qt::LeftButton);
        return QTest::qWaitFor([dialog] { return dialog->statusText().startsWith(QStringLiteral("You ")); }, 15'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (TestServer::program().isEmpty())
            QSKIP("handoff-server is not part of this build");
        QVERIFY2(m_fixture.startServer({Hana}), qPrintable(m_fixture.server().errorString()));
        m_app = m_fixture.makeApp();
        QVERIFY(m_app);
        m_app->start({});
    }

    void cleanupTestCase()
    {
        m_app.reset();
    }

    void notPairedSaysSo()
    {
        ui::HistoryWindow* window = openFromTray();
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QVERIFY2(window->statusText().contains(QStringLiteral("not paired with a server")),
                 qPrintable(window->statusText()));
        QVERIFY(!window->isShowingEmpty());
        window->close();
    }

    void listsTheAccountsRequests()
    {
        m_key = m_fixture.pairThroughLink(*m_app, Hana, QStringLiteral("Studio"));
        QVERIFY(!m_key.isEmpty());
        QVERIFY(m_fixture.isOnline(*m_app, m_key));
        const QString approved = m_fixture.bcAuthorize(Hana, QStringLiteral("Publish the spring catalogue"));
        QVERIFY(decideInTheApp(approved, true));
        const QString denied = m_fixture.bcAuthorize(Hana, QStringLiteral("Email all customers"));
        QVERIFY(decideInTheApp(denied, false));

        ui::HistoryWindow* window = openFromTray();
        QVERIFY(window);
        QTRY_COMPARE_WITH_TIMEOUT(window->table()->rowCount(), 2, 15'000);
        QTRY_COMPARE(window->statusText(), QString());
        QTableWidget* table = window->table();
        QCOMPARE(table->item(0, ui::HistoryWindow::MessageColumn)->text(), QStringLiteral("Email all customers"));
        QCOMPARE(table->item(0, ui::HistoryWindow::OutcomeColumn)->text(), QStringLiteral("Denied"));
        QCOMPARE(table->item(1, ui::HistoryWindow::MessageColumn)->text(), QStringLiteral("Publish the spring catalogue"));
        QCOMPARE(table->item(1, ui::HistoryWindow::OutcomeColumn)->text(), QStringLiteral("Approved"));
        QCOMPARE(table->item(1, ui::HistoryWindow::DeviceColumn)->text(), QStringLiteral("Studio"));
        QCOMPARE(table->item(1, ui::HistoryWindow::ClientColumn)->text(), QStringLiteral("Deploy bot"));
    }

    void offlineAccountIsSaidSo()
    {
        ui::HistoryWindow* window = m_app->history()->window();
        QVERIFY(window);
        m_app->channels()->client(m_key)->stop();
        auto* refresh = window->findChild<QPushButton*>();
        QVERIFY(refresh);
        QTest::mouseClick(refresh, Qt::LeftButton);
        QTRY_VERIFY2(window->statusText().contains(QStringLiteral("is offline")), qPrintable(window->statusText()));
        QVERIFY(window->statusText().contains(Hana));
        QCOMPARE(window->table()->rowCount(), 0);
        QVERIFY(!window->isShowingEmpty()); // not "no requests yet": it cannot know

        // Back online while the window is open: its part fills in by itself.
        m_app->channels()->restart(m_key);
        QTRY_COMPARE_WITH_TIMEOUT(window->table()->rowCount(), 2, 15'000);
        QTRY_COMPARE(window->statusText(), QString());
        window->close();
    }
};

HANDOFF_APP_TEST_MAIN(tst_ApprovalHistoryWindow)
#include "tst_ApprovalHistoryWindow.moc"
