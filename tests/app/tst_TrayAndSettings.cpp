// The tray menu (Open link…, the active sessions, Settings…, Quit) and the
// Settings dialog (close to tray, trusted servers with Remove). The tray icon
// itself shows only where a tray host runs (Xvfb with trayer in scripts/test).

#include "app/AppSettings.h"
#include "app/SessionManager.h"
#include "app/SettingsDialog.h"
#include "app/TrayController.h"
#include "app/TrustedServers.h"
#include "core/protocol/SessionLinkParser.h"
#include "tests/ui/ScriptedAgentRelay.h"
#include "ui/SessionWindow.h"

#include <QCheckBox>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace handoff::app;

namespace {

QStringList actionTexts(const QMenu* menu)
{
    QStringList texts;
    for (const QAction* action : menu->actions()) {
        if (!action->isSeparator() || !action->text().isEmpty())
            texts << action->text();
    }
    return texts;
}

} // namespace

class TestTrayAndSettings final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void menuListsActiveSessions();
    void menuActionsSignal();
    void settingsDialogEditsSettings();
};

void TestTrayAndSettings::menuListsActiveSessions()
{
    SessionManager sessions;
    TrayController tray(&sessions);
    QStringList texts = actionTexts(tray.menu());
    QVERIFY(texts.contains(QStringLiteral("Open link…")));
    QVERIFY(texts.contains(QStringLiteral("No active sessions")));
    QVERIFY(texts.contains(QStringLiteral("Settings…")));
    QVERIFY(texts.contains(QStringLiteral("Quit Handoff")));

    handoff::test::ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    auto link = handoff::protocol::SessionLinkParser::parse(relay.link());
    QVERIFY(link.ok());
    sessions.show(new handoff::session::ViewerSession(*link));
    // Named by the service once the relay described the session.
    QTRY_VERIFY_WITH_TIMEOUT(actionTexts(tray.menu()).contains(QStringLiteral("Demo Bank")), 10000);
    QVERIFY(!actionTexts(tray.menu()).contains(QStringLiteral("No active sessions")));
    delete sessions.windows().first();
    QTRY_VERIFY(actionTexts(tray.menu()).contains(QStringLiteral("No active sessions")));
}

void TestTrayAndSettings::menuActionsSignal()
{
    SessionManager sessions;
    TrayController tray(&sessions);
    QSignalSpy open(&tray, &TrayController::openLinkRequested);
    QSignalSpy settings(&tray, &TrayController::settingsRequested);
    QSignalSpy quit(&tray, &TrayController::quitRequested);
    for (QAction* action : tray.menu()->actions()) {
        if (action->text() == QStringLiteral("Open link…") || action->text() == QStringLiteral("Settings…")
            || action->text() == QStringLiteral("Quit Handoff"))
            action->trigger();
    }
    QCOMPARE(open.count(), 1);
    QCOMPARE(settings.count(), 1);
    QCOMPARE(quit.count(), 1);
}

void TestTrayAndSettings::settingsDialogEditsSettings()
{
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    AppSettings settings(&store);
    TrustedServers trusted(&store);
    trusted.trust(QUrl(QStringLiteral("https://relay.example")));
    trusted.trust(QUrl(QStringLiteral("http://127.0.0.1:8080")));
    QVERIFY(settings.closeToTray()); // the default

    SettingsDialog dialog(&settings, &trusted);
    dialog.show();
    auto* list = dialog.findChild<QListWidget*>(QStringLiteral("trustedServers"));
    auto* remove = dialog.findChild<QPushButton*>(QStringLiteral("removeServer"));
    QCOMPARE(list->count(), 2);
    QVERIFY(!remove->isEnabled());
    list->setCurrentRow(0);
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(list->count(), 1);
    QCOMPARE(trusted.origins(), QStringList{QStringLiteral("http://127.0.0.1:8080")});

    auto* closeToTray = dialog.findChild<QCheckBox*>(QStringLiteral("closeToTray"));
    if (closeToTray->isEnabled()) { // only where a tray host runs
        closeToTray->setChecked(false);
        QVERIFY(!settings.closeToTray());
        QVERIFY(!AppSettings(&store).closeToTray());
    }
}

QTEST_MAIN(TestTrayAndSettings)
#include "tst_TrayAndSettings.moc"
