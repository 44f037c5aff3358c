// Session requests from a paired server, in-process against a real
// handoff-server: a session created with the user's login_hint becomes a tray
// notification ("<service> needs your help: <hint>") and an entry in the tray
// menu; clicking the notification (the latest one) or the menu entry opens a
// session window through the LinkRouter without the trust question, since the
// link came from the paired server over its authenticated channel and leads
// to it. A link from a paired server to another server is asked about as usual.

#include "app/SessionManager.h"
#include "app/SessionRequestInbox.h"
#include "app/TrustedServers.h"
#include "tests/app/AppFixture.h"
#include "tests/ui/ScriptedAgentRelay.h"
#include "ui/SessionWindow.h"

#include <QJsonObject>
#include <QSystemTrayIcon>

using namespace handoff;
using namespace handoff::test;

namespace {

const QString Dana = QStringLiteral("dana@example.com");

} // namespace

class tst_SessionRequests final : public QObject {
    Q_OBJECT

private:
    AppFixture m_fixture;
    std::unique_ptr<app::AppController> m_app;
    QString m_key;

    QString createSession(const QString& service, const QString& hint)
    {
        HttpTestClient http;
        const QJsonObject body{{QStringLiteral("service"), service},
                               {QStringLiteral("login_hint"), Dana.toUpper()},
                               {QStringLiteral("context"), QJsonObject{{QStringLiteral("hint"), hint}}}};
        const HttpResult created = http.post(m_fixture.server().url(QStringLiteral("/session")),
                                             m_fixture.server().apiKey(), QJsonDocument(body).toJson());
        return created.status == 201 ? created.json().value(QStringLiteral("session_id")).toString() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (TestServer::program().isEmpty())
            QSKIP("handoff-server is not part of this build");
        QVERIFY2(m_fixture.startServer({Dana}), qPrintable(m_fixture.server().errorString()));
        m_app = m_fixture.makeApp();
        QVERIFY(m_app);
        m_app->start({});
        m_key = m_fixture.pairThroughLink(*m_app, Dana, QStringLiteral("Desk"));
        QVERIFY(!m_key.isEmpty());
        QVERIFY(m_fixture.isOnline(*m_app, m_key));
    }

    void cleanupTestCase()
    {
        m_app.reset();
    }

    void notificationClickOpensTheSession()
    {
        QSignalSpy notified(m_app->tray(), &app::TrayController::notified);
        const QString id = createSession(QStringLiteral("Demo Bank"), QStringLiteral("Enter the code sent to your phone"));
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 15'000);
        QCOMPARE(notified.last().at(1).toString(),
                 QStringLiteral("Demo Bank needs your help: Enter the code sent to your phone"));
        QCOMPARE(m_app->sessionRequests()->pending().size(), 1);
        QTRY_VERIFY(AppFixture::menuAction(*m_app->tray(), QStringLiteral("Demo Bank needs your help")));
        QVERIFY(m_app->sessions()->windows().isEmpty());

        if (!m_app->tray()->isAvailable())
            QSKIP("needs a system tray host (scripts/test runs one)");
        // Qt 6.4 says only that the tray's message was clicked.
        auto* icon = m_app->tray()->findChild<QSystemTrayIcon*>();
        QVERIFY(icon);
        Q_EMIT icon->messageClicked();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->sessions()->find(id), 15'000);
        QVERIFY(m_fixture.trustQuestions().isEmpty());
        QVERIFY(m_app->sessionRequests()->pending().isEmpty());
        QTRY_VERIFY(!AppFixture::menuAction(*m_app->tray(), QStringLiteral("Demo Bank needs your help")));
        // Trusted for this session only: nothing was added to the trusted servers.
        QVERIFY(m_app->trustedServers()->origins().isEmpty());
        delete m_app->sessions()->find(id);
    }

    void trayMenuEntryOpensTheSession()
    {
        const QString id = createSession(QStringLiteral("Example Mail"), QString());
        QVERIFY(!id.isEmpty());
        QAction* item = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((item = AppFixture::menuAction(*m_app->tray(), QStringLiteral("Example Mail needs your help"))),
                                 15'000);
        item->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->sessions()->find(id), 15'000);
        ui::SessionWindow* window = m_app->sessions()->find(id);
        QTRY_VERIFY(window->isVisible());
        QVERIFY(m_fixture.trustQuestions().isEmpty());
        delete window;
    }

    void linkToAnotherServerIsAskedAbout()
    {
        ScriptedAgentRelay other;
        QVERIFY(other.listen());
        QSignalSpy failed(m_app->router(), &app::LinkRouter::linkFailed);
        QVERIFY(m_app->router()->openFromPairedServer(other.link(), m_fixture.server().baseUrl()).ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.trustQuestions().size(), 1, 15'000);
        QVERIFY(m_fixture.trustQuestions().first() != app::TrustedServers::originOf(m_fixture.server().baseUrl()));
        QVERIFY(m_app->sessions()->windows().isEmpty()); // the question was answered no
    }

    void notificationTextWithoutHint()
    {
        device::SessionRequestNotice notice;
        notice.service = QStringLiteral("Example Mail");
        QCOMPARE(app::SessionRequestInbox::notificationText(notice),
                 QStringLiteral("Example Mail needs your help with a sign-in step."));
        notice.hint = QStringLiteral("Solve the CAPTCHA");
        QCOMPARE(app::SessionRequestInbox::notificationText(notice),
                 QStringLiteral("Example Mail needs your help: Solve the CAPTCHA"));
    }
};

HANDOFF_APP_TEST_MAIN(tst_SessionRequests)
#include "tst_SessionRequests.moc"
