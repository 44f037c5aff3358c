// The app when the system keychain cannot be reached (this test runs with a
// D-Bus session address that leads nowhere, so the Secret Service is gone):
// pairing fails with the keychain's own explanation in the dialog, nothing is
// registered with the server or remembered, and a remembered account whose key
// cannot be read shows "Stopped: <why>" in the tray and in Settings. No key is
// ever written anywhere else.

#include "app/PairedAccountsPanel.h"
#include "app/SettingsDialog.h"
#include "tests/app/AppFixture.h"

#include <QDirIterator>
#include <QTreeWidget>

using namespace handoff;
using namespace handoff::test;

namespace {

const QString Ivan = QStringLiteral("ivan@example.com");

} // namespace

class tst_KeychainUnavailable final : public QObject {
    Q_OBJECT

private:
    AppFixture m_fixture;
    std::unique_ptr<app::AppController> m_app;

private Q_SLOTS:
    void initTestCase()
    {
        if (TestServer::program().isEmpty())
            QSKIP("handoff-server is not part of this build");
        QVERIFY2(m_fixture.startServer({Ivan}), qPrintable(m_fixture.server().errorString()));
        m_app = m_fixture.makeApp();
        QVERIFY(m_app);
        m_app->start({});
    }

    void cleanupTestCase()
    {
        m_app.reset();
    }

    void pairingFailsWithTheKeychainsReason()
    {
        QVERIFY(m_app->router()->open(m_fixture.pairingLink(Ivan), app::LinkRouter::Source::CommandLine).ok());
        app::PairDeviceDialog* dialog = m_app->pairDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QTest::mouseClick(dialog->pairButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isPairing(), 30'000);
        QVERIFY(!dialog->isPaired());
        const QString text = dialog->resultText();
        QVERIFY2(text.startsWith(QStringLiteral("Pairing failed: ")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("keychain")), qPrintable(text));
        // The token was not spent: once the keychain is back, the person may try again.
        QVERIFY(dialog->pairButton()->isVisible());
        QCOMPARE(dialog->pairButton()->text(), QStringLiteral("Try again"));
        QVERIFY(m_app->accounts()->accounts().isEmpty());
        const CliResult devices = runCli(m_fixture.server(), {QStringLiteral("devices"), QStringLiteral("list")});
        QVERIFY2(!devices.out.contains(QStringLiteral("dev_")), qPrintable(devices.out));
        dialog->close();
    }

    void rememberedAccountSaysWhyItStopped()
    {
        // An account paired while the keychain worked (written the way the app writes it).
        device::DeviceAccount account;
        account.server = m_fixture.server().baseUrl();
        account.deviceId = QStringLiteral("dev_0123456789abcdef");
        account.user = Ivan;
        account.deviceName = QStringLiteral("Old laptop");
        account.keyName = QStringLiteral("device/test/unreadable");
        m_app->accounts()->add(account);
        m_app->channels()->startAll();
        QTRY_COMPARE_WITH_TIMEOUT(m_app->channels()->client(account.keyName)->state(),
                                  device::DeviceClient::State::Failed, 30'000);
        const QString status = m_app->channels()->statusText(account.keyName);
        QVERIFY2(status.startsWith(QStringLiteral("Stopped: ")) && status.contains(QStringLiteral("keychain")),
                 qPrintable(status));
        QTRY_VERIFY(m_app->tray()->toolTip().contains(status));
        m_app->showSettings();
        app::PairedAccountsPanel* panel = m_app->settingsDialog()->accountsPanel();
        QTRY_COMPARE(panel->list()->topLevelItem(0)->text(app::PairedAccountsPanel::StateColumn), status);
        m_app->settingsDialog()->close();
    }

    void noKeyLandsInAFile()
    {
        // No plaintext fallback: nothing under the test's HOME holds a private key.
        QDirIterator files(QDir::homePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            if (file.size() > 1024 * 1024 || !file.open(QIODevice::ReadOnly)) {
                continue;
            }
            QVERIFY2(!file.readAll().contains("PRIVATE KEY"), qPrintable(file.fileName()));
        }
    }
};

int main(int argc, char** argv)
{
    // The Secret Service lives on the session bus: point the app at a bus that is not there.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/handoff-test-bus");
    handoff::app::Application application(argc, argv);
    tst_KeychainUnavailable test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_KeychainUnavailable.moc"
