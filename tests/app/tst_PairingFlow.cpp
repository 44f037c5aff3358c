// Pairing the desktop app from a pairing link, in-process against a real
// handoff-server and the real keychain: the link goes through the LinkRouter
// like every link; the dialog shows the server's host, Pair is not the default
// (Enter cancels), the device name defaults to the host name; the account is
// remembered (no key material in the settings) and its channel comes online and
// shows in the tray and in Settings (also while it reconnects to a server that
// went away); a second pairing for the same user
// replaces the first (the dialog says so first, the old key leaves the
// keychain); unpairing asks, removes the key from the keychain and the account.
// A bad pairing link, and one the server refuses, give clear errors; a channel
// the server stopped (revoked device) says why in the tray and in Settings.

#include "app/OpenLinkDialog.h"
#include "app/PairedAccountsPanel.h"
#include "app/SettingsDialog.h"
#include "tests/app/AppFixture.h"

#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QSysInfo>
#include <QTreeWidget>

#include <algorithm>

using namespace handoff;
using namespace handoff::test;

namespace {

const QString Frank = QStringLiteral("frank@example.com");
const QString Grace = QStringLiteral("grace@example.com");

} // namespace

class tst_PairingFlow final : public QObject {
    Q_OBJECT

private:
    AppFixture m_fixture;
    std::unique_ptr<app::AppController> m_app;
    QString m_firstKey;

    QString host() const
    {
        return QStringLiteral("127.0.0.1:%1").arg(m_fixture.server().port());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (TestServer::program().isEmpty())
            QSKIP("handoff-server is not part of this build");
        QVERIFY2(m_fixture.startServer({Frank, Grace}), qPrintable(m_fixture.server().errorString()));
        m_app = m_fixture.makeApp();
        QVERIFY(m_app);
        m_app->start({});
    }

    void cleanupTestCase()
    {
        m_app.reset();
    }

    void badPairingLinksGiveClearErrors_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("reason");
        const QString token = QString(43, QLatin1Char('A'));
        QTest::newRow("ftp server") << QStringLiteral("handoff://pair?server=ftp%3A%2F%2Fexample.com#t=") + token
                                    << QStringLiteral("plain http or https");
        QTest::newRow("no server") << QStringLiteral("handoff://pair#t=") + token << QStringLiteral("plain http or https");
        QTest::newRow("short token") << QStringLiteral("https://relay.example/pair#t=abc")
                                     << QStringLiteral("token is missing or malformed");
        QTest::newRow("token with bad characters")
            << QStringLiteral("https://relay.example/pair#t=") + QString(42, QLatin1Char('A')) + QStringLiteral("!")
            << QStringLiteral("token is missing or malformed");
        QTest::newRow("user info") << QStringLiteral("https://me@relay.example/pair#t=") + token
                                   << QStringLiteral("plain http or https");
        QTest::newRow("other handoff link") << QStringLiteral("handoff://pair/extra?server=https%3A%2F%2Fx.example#t=") + token
                                            << QStringLiteral("another kind");
    }

    void badPairingLinksGiveClearErrors()
    {
        QFETCH(QString, link);
        QFETCH(QString, reason);
        QSignalSpy failed(m_app->router(), &app::LinkRouter::linkFailed);
        QSignalSpy pairing(m_app->router(), &app::LinkRouter::pairingLinkOpened);
        const Result<void> opened = m_app->router()->open(link, app::LinkRouter::Source::OtherInstance);
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, QStringLiteral("invalid_pairing_link"));
        QVERIFY2(opened.error().message.startsWith(QStringLiteral("This is not a valid pairing link")),
                 qPrintable(opened.error().message));
        QVERIFY2(opened.error().message.contains(reason), qPrintable(opened.error().message));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(pairing.size(), 0);
        QVERIFY(!m_app->pairDialog());
        // The "Open link…" dialog tells the same reason as it is typed.
        QCOMPARE(app::OpenLinkDialog::problemWith(link), opened.error().message);
    }

    void enterDoesNotPair()
    {
        const QString link = m_fixture.pairingLink(Frank);
        QVERIFY(app::OpenLinkDialog::problemWith(link).isEmpty());
        QVERIFY(m_app->router()->open(QUrl(link), app::LinkRouter::Source::FileOpen).ok());
        QPointer<app::PairDeviceDialog> dialog = m_app->pairDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        // The server, by its host, in large type; the machine's name as the default device name.
        auto* hostLabel = dialog->findChild<QLabel*>(QStringLiteral("serverHost"));
        QVERIFY(hostLabel);
        QCOMPARE(hostLabel->text(), host());
        QCOMPARE(hostLabel->textFormat(), Qt::PlainText);
        QCOMPARE(dialog->nameField()->text(), QSysInfo::machineHostName());
        QVERIFY(!dialog->pairButton()->isDefault());
        QVERIFY(!dialog->pairButton()->autoDefault());
        QVERIFY(dialog->cancelButton()->isDefault());
        // The same link again raises the same dialog.
        QVERIFY(m_app->router()->open(link, app::LinkRouter::Source::OtherInstance).ok());
        QCOMPARE(m_app->pairDialog(), dialog.data());

        dialog->nameField()->setFocus();
        QTest::keyClick(dialog->nameField(), Qt::Key_Return);
        QTRY_VERIFY(!dialog || !dialog->isVisible());
        QTest::qWait(200);
        QVERIFY(m_app->accounts()->accounts().isEmpty());
    }

    // Plain http is fine to this machine; to any other the dialog warns that the
    // network can watch the connection.
    void plainHttpToAnotherMachineIsWarned()
    {
        const auto warns = [](const app::PairDeviceDialog* dialog) {
            const QList<QLabel*> labels = dialog->findChildren<QLabel*>();
            return std::any_of(labels.begin(), labels.end(), [](const QLabel* label) {
                return label->text().contains(QStringLiteral("reached without encryption"));
            });
        };
        QVERIFY(m_app->router()->open(m_fixture.pairingLink(Frank), app::LinkRouter::Source::CommandLine).ok());
        QPointer<app::PairDeviceDialog> loopback = m_app->pairDialog();
        QVERIFY(loopback);
        QVERIFY(!warns(loopback));
        loopback->cancelButton()->click();
        QTRY_VERIFY(!loopback || !loopback->isVisible());

        const QString remote = QStringLiteral("http://192.0.2.10:8080/pair#t=") + QString(43, QLatin1Char('A'));
        QVERIFY(m_app->router()->open(remote, app::LinkRouter::Source::CommandLine).ok());
        QPointer<app::PairDeviceDialog> plain = m_app->pairDialog();
        QVERIFY(plain);
        QVERIFY(plain != loopback || !loopback);
        QVERIFY(warns(plain));
        plain->cancelButton()->click();
        QTRY_VERIFY(!plain || !plain->isVisible());
        QVERIFY(m_app->accounts()->accounts().isEmpty());
    }

    void pairingLinkPairsAndIsRemembered()
    {
        QSignalSpy accepted(m_app->router(), &app::LinkRouter::linkAccepted);
        m_firstKey = m_fixture.pairThroughLink(*m_app, Frank, QStringLiteral("Test laptop"));
        QVERIFY(!m_firstKey.isEmpty());
        QCOMPARE(accepted.size(), 0); // not announced as a session link
        const QList<device::DeviceAccount> accounts = m_app->accounts()->accounts();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.first().user, Frank);
        QCOMPARE(accounts.first().deviceName, QStringLiteral("Test laptop"));
        QVERIFY(accounts.first().deviceId.startsWith(QStringLiteral("dev_")));
        QCOMPARE(m_fixture.keychainHolds(m_firstKey), std::optional<bool>(true));
        QVERIFY(m_fixture.isOnline(*m_app, m_firstKey));

        // Remembered in the settings file, without any key material.
        QSettings again(m_fixture.settingsPath(), QSettings::IniFormat);
        app::DeviceAccounts reread(&again);
        QCOMPARE(reread.accounts().size(), 1);
        QCOMPARE(reread.accounts().first().keyName, m_firstKey);
        QFile file(m_fixture.settingsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(!saved.contains("PRIVATE"));
        QVERIFY(!saved.contains("pairing_token"));

        // The state shows in the tray's menu and tooltip...
        const QString line = QStringLiteral("%1 on %2: Online").arg(Frank, host());
        QTRY_VERIFY(AppFixture::menuTexts(*m_app->tray()).contains(line));
        QVERIFY(m_app->tray()->toolTip().contains(line));
        // ...and in Settings.
        m_app->showSettings();
        app::PairedAccountsPanel* panel = m_app->settingsDialog()->accountsPanel();
        QVERIFY(panel);
        QCOMPARE(panel->list()->topLevelItemCount(), 1);
        QTreeWidgetItem* row = panel->list()->topLevelItem(0);
        QCOMPARE(row->text(app::PairedAccountsPanel::AccountColumn), Frank);
        QCOMPARE(row->text(app::PairedAccountsPanel::ServerColumn), host());
        QCOMPARE(row->text(app::PairedAccountsPanel::DeviceColumn), QStringLiteral("Test laptop"));
        QCOMPARE(row->text(app::PairedAccountsPanel::StateColumn), QStringLiteral("Online"));
        m_app->settingsDialog()->close();
    }

    void restartedAppConnectsTheRememberedAccount()
    {
        m_app.reset();
        m_app = m_fixture.makeApp();
        QVERIFY(m_app);
        m_app->start({});
        QCOMPARE(m_app->accounts()->accounts().size(), 1);
        QVERIFY(m_fixture.isOnline(*m_app, m_firstKey));
    }

    void refusedPairingIsShown()
    {
        // A well-formed link whose token the server never issued.
        const QString link = QStringLiteral("http://%1/pair#t=%2").arg(host(), QString(43, QLatin1Char('Q')));
        QVERIFY(m_app->router()->open(link, app::LinkRouter::Source::Dialog).ok());
        app::PairDeviceDialog* dialog = m_app->pairDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QTest::mouseClick(dialog->pairButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isPairing(), 30'000);
        QVERIFY(!dialog->isPaired());
        QVERIFY2(dialog->resultText().startsWith(QStringLiteral("Pairing failed: ")), qPrintable(dialog->resultText()));
        QVERIFY2(dialog->resultText().contains(QStringLiteral("ask the server's operator for a new one")),
                 qPrintable(dialog->resultText()));
        QVERIFY(!dialog->pairButton()->isVisible());
        QCOMPARE(m_app->accounts()->accounts().size(), 1);
        dialog->close();
    }

    void secondPairingOfTheSameUserReplacesTheFirst()
    {
        QVERIFY(m_app->router()->open(m_fixture.pairingLink(Frank), app::LinkRouter::Source::CommandLine).ok());
        app::PairDeviceDialog* dialog = m_app->pairDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        // Asked before anything happens: this computer already holds a pairing with this server.
        auto* note = dialog->findChild<QLabel*>(QStringLiteral("replacesNote"));
        QVERIFY(note);
        QVERIFY(note->text().contains(Frank));
        QVERIFY(note->text().contains(QStringLiteral("replaces")));
        dialog->nameField()->setText(QStringLiteral("Test laptop 2"));
        QTest::mouseClick(dialog->pairButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isPaired(), 30'000);
        QVERIFY2(dialog->resultText().contains(QStringLiteral("replaces this computer's earlier pairing")),
                 qPrintable(dialog->resultText()));
        const QList<device::DeviceAccount> accounts = m_app->accounts()->accounts();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.first().deviceName, QStringLiteral("Test laptop 2"));
        QVERIFY(accounts.first().keyName != m_firstKey);
        QVERIFY2(dialog->resultText().contains(QStringLiteral("until its operator revokes it")),
                 qPrintable(dialog->resultText()));
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.keychainHolds(m_firstKey), std::optional<bool>(false), 10'000);
        QVERIFY(!m_app->channels()->client(m_firstKey));
        QVERIFY(m_fixture.isOnline(*m_app, accounts.first().keyName));
        m_firstKey = accounts.first().keyName;
        dialog->close();
    }

    void anotherUserIsASecondAccount()
    {
        const QString graceKey = m_fixture.pairThroughLink(*m_app, Grace, QStringLiteral("Test laptop"));
        QVERIFY(!graceKey.isEmpty());
        QCOMPARE(m_app->accounts()->accounts().size(), 2);
        QVERIFY(m_fixture.isOnline(*m_app, graceKey));
        QVERIFY(m_fixture.isOnline(*m_app, m_firstKey));
        QCOMPARE(m_app->channels()->clients().size(), 2);
    }

    void lostServerShowsReconnecting()
    {
        QVERIFY(m_fixture.server().stop());
        const QString frankLine = QStringLiteral("%1 on %2: Offline, reconnecting…").arg(Frank, host());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->tray()->toolTip().contains(frankLine), 30'000);
        QVERIFY(AppFixture::menuTexts(*m_app->tray()).contains(frankLine));
        m_app->showSettings();
        app::PairedAccountsPanel* panel = m_app->settingsDialog()->accountsPanel();
        QTRY_COMPARE(panel->list()->topLevelItem(0)->text(app::PairedAccountsPanel::StateColumn),
                     QStringLiteral("Offline, reconnecting…"));
        m_app->settingsDialog()->close();
        // Back by itself once the server is.
        QVERIFY2(m_fixture.server().restart(), qPrintable(m_fixture.server().errorString()));
        for (const device::DeviceAccount& account : m_app->accounts()->accounts()) {
            QVERIFY(m_fixture.isOnline(*m_app, account.keyName));
        }
        QTRY_VERIFY(AppFixture::menuTexts(*m_app->tray()).contains(QStringLiteral("%1 on %2: Online").arg(Frank, host())));
    }

    void unpairAsksThenRemovesTheKeyFromTheKeychain()
    {
        m_app->showSettings();
        app::PairedAccountsPanel* panel = m_app->settingsDialog()->accountsPanel();
        QVERIFY(panel);
        QVERIFY(QTest::qWaitForWindowExposed(m_app->settingsDialog()));
        QTRY_COMPARE(panel->list()->topLevelItemCount(), 2);
        auto* unpair = panel->findChild<QPushButton*>(QStringLiteral("unpairAccount"));
        QVERIFY(!unpair->isEnabled()); // nothing selected
        panel->list()->topLevelItem(0)->setSelected(true);
        QVERIFY(unpair->isEnabled());
        QCOMPARE(panel->list()->topLevelItem(0)->text(app::PairedAccountsPanel::AccountColumn), Frank);

        // Cancel keeps everything.
        QTest::mouseClick(unpair, Qt::LeftButton);
        QMessageBox* question = panel->unpairQuestion();
        QVERIFY(question);
        QVERIFY(question->isVisible());
        QVERIFY(question->text().contains(Frank));
        QVERIFY(question->informativeText().contains(QStringLiteral("until its operator revokes it")));
        QVERIFY(question->defaultButton() != question->findChild<QPushButton*>(QStringLiteral("confirmUnpair")));
        QTest::mouseClick(question->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!panel->unpairQuestion());
        QCOMPARE(m_app->accounts()->accounts().size(), 2);

        QTest::mouseClick(unpair, Qt::LeftButton);
        question = panel->unpairQuestion();
        QVERIFY(question);
        QTest::mouseClick(question->findChild<QPushButton*>(QStringLiteral("confirmUnpair")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->accounts()->accounts().size(), 1, 10'000);
        QCOMPARE(m_app->accounts()->accounts().first().user, Grace);
        QCOMPARE(m_fixture.keychainHolds(m_firstKey), std::optional<bool>(false));
        QVERIFY(!m_app->channels()->client(m_firstKey));
        QVERIFY2(panel->messageText().contains(QStringLiteral("no longer paired")), qPrintable(panel->messageText()));
        QTRY_COMPARE(panel->list()->topLevelItemCount(), 1);
        QTRY_VERIFY(!AppFixture::menuAction(*m_app->tray(), Frank));
        m_app->settingsDialog()->close();
    }

    void revokedDeviceSaysWhyItStopped()
    {
        const device::DeviceAccount grace = m_app->accounts()->accounts().first();
        QCOMPARE(runCli(m_fixture.server(), {QStringLiteral("devices"), QStringLiteral("revoke"), grace.deviceId}).exitCode,
                 0);
        m_app->channels()->restart(grace.keyName);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->channels()->client(grace.keyName)->state(),
                                  device::DeviceClient::State::Failed, 30'000);
        const QString reason = QStringLiteral("Stopped: This device was removed from your account on the server.");
        QVERIFY2(m_app->channels()->statusText(grace.keyName).startsWith(reason),
                 qPrintable(m_app->channels()->statusText(grace.keyName)));
        QTRY_VERIFY(m_app->tray()->toolTip().contains(reason));
        QAction* item = AppFixture::menuAction(*m_app->tray(), Grace);
        QVERIFY(item);
        QVERIFY2(item->text().contains(QStringLiteral(": Stopped: This device")), qPrintable(item->text()));

        m_app->showSettings();
        app::PairedAccountsPanel* panel = m_app->settingsDialog()->accountsPanel();
        QTRY_VERIFY(panel->list()->topLevelItem(0)->text(app::PairedAccountsPanel::StateColumn).startsWith(reason));
        panel->list()->topLevelItem(0)->setSelected(true);
        QVERIFY(panel->findChild<QPushButton*>(QStringLiteral("reconnectAccount"))->isEnabled());
        m_app->settingsDialog()->close();
    }
};

HANDOFF_APP_TEST_MAIN(tst_PairingFlow)
#include "tst_PairingFlow.moc"
