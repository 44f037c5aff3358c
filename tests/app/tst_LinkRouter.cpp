// LinkRouter, TrustedServers and the "Open link" dialog: every link goes through
// the one parser; an untrusted server is asked about once (with its origin and
// the session's service) and remembered; a refusal opens nothing; a second link
// to an open session raises its window; bad links are explained.

#include "app/LinkRouter.h"
#include "app/OpenLinkDialog.h"
#include "app/SessionManager.h"
#include "app/TrustedServers.h"
#include "core/protocol/SessionLinkParser.h"
#include "tests/ui/ScriptedAgentRelay.h"
#include "ui/SessionWindow.h"

#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using handoff::app::LinkRouter;
using handoff::app::OpenLinkDialog;
using handoff::app::SessionManager;
using handoff::app::TrustedServers;
using handoff::test::ScriptedAgentRelay;

namespace {

constexpr int Timeout = 10000;

struct Question final {
    QString origin;
    QString service;
};

} // namespace

class TestLinkRouter final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void originsAreNormalised_data();
    void originsAreNormalised();
    void trustIsRemembered();
    void untrustedServerIsAskedOnceWithService();
    void refusedServerOpensNothing();
    void trustedServerOpensWithoutAsking();
    void sameSessionRaisesItsWindow();
    void badLinksAreExplained_data();
    void badLinksAreExplained();
    void handoffSchemeIsAccepted();
    void openLinkDialogShowsParseErrors();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<TrustedServers> m_trusted;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<LinkRouter> m_router;
    std::vector<Question> m_questions;
    bool m_answer = true;
};

void TestLinkRouter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_trusted = std::make_unique<TrustedServers>(m_settings.get());
    m_sessions = std::make_unique<SessionManager>();
    m_router = std::make_unique<LinkRouter>(m_trusted.get(), m_sessions.get());
    m_questions.clear();
    m_answer = true;
    m_router->setTrustQuestion([this](const QString& origin, const QString& service) {
        m_questions.push_back({origin, service});
        return m_answer;
    });
}

void TestLinkRouter::cleanup()
{
    m_router.reset();
    m_sessions.reset();
    m_trusted.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestLinkRouter::originsAreNormalised_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("origin");
    QTest::newRow("https default port") << QUrl(QStringLiteral("https://Relay.Example:443/x")) << QStringLiteral("https://relay.example");
    QTest::newRow("http other port") << QUrl(QStringLiteral("http://127.0.0.1:8080")) << QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("path ignored") << QUrl(QStringLiteral("https://relay.example/prefix")) << QStringLiteral("https://relay.example");
    QTest::newRow("no host") << QUrl(QStringLiteral("file:///tmp")) << QString();
}

void TestLinkRouter::originsAreNormalised()
{
    QFETCH(QUrl, url);
    QFETCH(QString, origin);
    QCOMPARE(TrustedServers::originOf(url), origin);
}

void TestLinkRouter::trustIsRemembered()
{
    const QUrl server(QStringLiteral("https://relay.example"));
    QVERIFY(!m_trusted->isTrusted(server));
    m_trusted->trust(server);
    m_trusted->trust(server);
    QCOMPARE(m_trusted->origins(), QStringList{QStringLiteral("https://relay.example")});
    // A fresh object on the same file: the answer survives a restart.
    QSettings again(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    QVERIFY(TrustedServers(&again).isTrusted(QUrl(QStringLiteral("https://relay.example:443/s/x"))));
    QVERIFY(!TrustedServers(&again).isTrusted(QUrl(QStringLiteral("https://relay.example:8443"))));
    m_trusted->remove(QStringLiteral("https://relay.example"));
    QVERIFY(!m_trusted->isTrusted(server));
}

void TestLinkRouter::untrustedServerIsAskedOnceWithService()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    QVERIFY(m_router->open(relay.link(), LinkRouter::Source::CommandLine).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_sessions->windows().size(), qsizetype(1), Timeout);
    QCOMPARE(m_questions.size(), size_t(1));
    QCOMPARE(m_questions[0].origin, QStringLiteral("http://127.0.0.1:%1").arg(relay.port()));
    QCOMPARE(m_questions[0].service, QStringLiteral("Demo Bank"));
    QVERIFY(m_trusted->isTrusted(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(relay.port()))));

    // The next link to the same server opens without asking.
    delete m_sessions->windows().first();
    QVERIFY(m_router->open(relay.link(), LinkRouter::Source::OtherInstance).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_sessions->windows().size(), qsizetype(1), Timeout);
    QCOMPARE(m_questions.size(), size_t(1));
}

void TestLinkRouter::refusedServerOpensNothing()
{
    m_answer = false;
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    QVERIFY(m_router->open(relay.link(), LinkRouter::Source::Dialog).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_questions.size(), size_t(1), Timeout);
    QTest::qWait(200);
    QVERIFY(m_sessions->windows().isEmpty());
    QVERIFY(m_trusted->origins().isEmpty());
    QVERIFY(relay.inputs.empty());
}

void TestLinkRouter::trustedServerOpensWithoutAsking()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    m_trusted->trust(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(relay.port())));
    QVERIFY(m_router->open(relay.link(), LinkRouter::Source::FileOpen).ok());
    QCOMPARE(m_sessions->windows().size(), qsizetype(1)); // at once, before any network
    QTRY_COMPARE_WITH_TIMEOUT(m_sessions->windows().first()->session()->state(),
                              handoff::session::ViewerSession::State::Ready, Timeout);
    QVERIFY(m_questions.empty());
}

void TestLinkRouter::sameSessionRaisesItsWindow()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    m_trusted->trust(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(relay.port())));
    QVERIFY(m_router->open(relay.link(), LinkRouter::Source::CommandLine).ok());
    QVERIFY(m_router->open(relay.link(), LinkRouter::Source::OtherInstance).ok());
    QCOMPARE(m_sessions->windows().size(), qsizetype(1));
    QTRY_COMPARE_WITH_TIMEOUT(relay.connections, 1, Timeout);
    QTest::qWait(200);
    QCOMPARE(relay.connections, 1);
}

void TestLinkRouter::badLinksAreExplained_data()
{
    QTest::addColumn<QString>("link");
    QTest::newRow("empty") << QString();
    QTest::newRow("not a link") << QStringLiteral("hello");
    QTest::newRow("ftp") << QStringLiteral("ftp://relay.example/s/sess_0123456789abcdefghijKL#t=abcdefghijklmnopqrstuvwx");
    QTest::newRow("no token") << QStringLiteral("https://relay.example/s/sess_0123456789abcdefghijKL");
    QTest::newRow("short id") << QStringLiteral("https://relay.example/s/sess_1#t=abcdefghijklmnopqrstuvwx");
}

void TestLinkRouter::badLinksAreExplained()
{
    QFETCH(QString, link);
    QSignalSpy failed(m_router.get(), &LinkRouter::linkFailed);
    const auto opened = m_router->open(link, LinkRouter::Source::Dialog);
    QVERIFY(!opened.ok());
    QVERIFY(!opened.error().message.isEmpty());
    QVERIFY(!opened.error().message.contains(QStringLiteral("abcdefghijklmnopqrstuvwx"))); // never the token
    QCOMPARE(failed.count(), 1);
    QVERIFY(m_sessions->windows().isEmpty());
}

void TestLinkRouter::handoffSchemeIsAccepted()
{
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    const auto parsed = handoff::protocol::SessionLinkParser::parse(relay.link());
    QVERIFY(parsed.ok());
    const QUrl handoffUrl = parsed->toHandoffUrl();
    QCOMPARE(handoffUrl.scheme(), QStringLiteral("handoff"));
    QVERIFY(m_router->open(handoffUrl, LinkRouter::Source::FileOpen).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_sessions->windows().size(), qsizetype(1), Timeout);
}

void TestLinkRouter::openLinkDialogShowsParseErrors()
{
    OpenLinkDialog dialog(m_router.get());
    dialog.show();
    dialog.field()->setText(QStringLiteral("https://relay.example/nothing-here"));
    QVERIFY(!dialog.errorLabel()->text().isEmpty());
    ScriptedAgentRelay relay;
    QVERIFY(relay.listen());
    dialog.field()->setText(relay.link() + QStringLiteral("\n"));
    QVERIFY(dialog.errorLabel()->text().isEmpty());
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(dialog.field()->text().isEmpty()); // the token does not linger in the widget
    QTRY_COMPARE_WITH_TIMEOUT(m_sessions->windows().size(), qsizetype(1), Timeout);
}

QTEST_MAIN(TestLinkRouter)
#include "tst_LinkRouter.moc"
