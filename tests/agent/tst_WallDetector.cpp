// WallDetector and `handoff-agent detect` against real Chromium, one small page
// per kind of wall.

#include "agent/cdp/CdpClient.h"
#include "agent/detect/WallDetector.h"
#include "tests/agent/CdpTestUtil.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPageServer.h"
#include "tests/support/TestPaths.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTest>

using namespace handoff::agent;
using handoff::test::ChromiumProcess;
using handoff::test::TestPageServer;

class TestWallDetector final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void detect_data();
    void detect();
    void blockerType();
    void commandLine();

private:
    std::unique_ptr<ChromiumProcess> m_chromium;
    TestPageServer m_pages;
};

namespace {
QByteArray page(const QByteArray& body)
{
    return "<!doctype html><html><head><title>t</title></head><body>" + body + "</body></html>";
}
} // namespace

void TestWallDetector::initTestCase()
{
    QVERIFY(m_pages.listen());
    m_pages.setPage("/password", page("<form><input name=username><input type=password name=pw><button>Sign in</button></form>"));
    m_pages.setPage("/otp-autocomplete", page("<p>Check your phone</p><input autocomplete=one-time-code inputmode=numeric>"));
    m_pages.setPage("/otp-label", page("<label for=c>Verification code</label><input id=c name=c>"));
    m_pages.setPage("/otp-boxes", page("<input maxlength=1><input maxlength=1><input maxlength=1><input maxlength=1><input maxlength=1><input maxlength=1>"));
    m_pages.setPage("/otp-text", page("<h1>We sent you a code</h1><p>Enter the code we texted to your phone.</p><input name=x>"));
    m_pages.setPage("/otp-with-password", page("<input type=password><input name=otp placeholder='One-time code'>"));
    m_pages.setPage("/captcha", page("<form><input name=user><div class=g-recaptcha style='width:300px;height:80px'></div></form>"));
    m_pages.setPage("/captcha-iframe", page("<iframe title='hCaptcha challenge' src='about:blank' width=300 height=100></iframe>"));
    m_pages.setPage("/question", page("<label for=a>Security question: what was the name of your first pet?</label><input id=a name=answer>"));
    m_pages.setPage("/upload", page("<label>Upload your ID <input type=file style='display:none' id=f></label><button>Choose file</button>"));
    m_pages.setPage("/none", page("<h1>Welcome back</h1><p>Your balance is $12.</p><input type=search name=q>"));
    m_pages.setPage("/hidden-password", page("<input type=password style='display:none'><p>nothing to see</p>"));
    m_pages.setPage("/empty", page(""));
    if (ChromiumProcess::executable().isEmpty()) {
        return;
    }
    m_chromium = std::make_unique<ChromiumProcess>();
    QVERIFY2(m_chromium->start(m_pages.url(QStringLiteral("/none"))), qPrintable(m_chromium->errorString()));
}

void TestWallDetector::cleanupTestCase()
{
    m_chromium.reset();
}

void TestWallDetector::detect_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("kind");
    QTest::newRow("password") << QStringLiteral("/password") << QStringLiteral("password");
    QTest::newRow("otp by autocomplete") << QStringLiteral("/otp-autocomplete") << QStringLiteral("otp");
    QTest::newRow("otp by label") << QStringLiteral("/otp-label") << QStringLiteral("otp");
    QTest::newRow("otp digit boxes") << QStringLiteral("/otp-boxes") << QStringLiteral("otp");
    QTest::newRow("otp by page text") << QStringLiteral("/otp-text") << QStringLiteral("otp");
    QTest::newRow("otp beats password") << QStringLiteral("/otp-with-password") << QStringLiteral("otp");
    QTest::newRow("captcha widget") << QStringLiteral("/captcha") << QStringLiteral("captcha");
    QTest::newRow("captcha iframe") << QStringLiteral("/captcha-iframe") << QStringLiteral("captcha");
    QTest::newRow("security question") << QStringLiteral("/question") << QStringLiteral("security_question");
    QTest::newRow("hidden file input") << QStringLiteral("/upload") << QStringLiteral("file_upload");
    QTest::newRow("no wall") << QStringLiteral("/none") << QStringLiteral("none");
    QTest::newRow("hidden password is no wall") << QStringLiteral("/hidden-password") << QStringLiteral("none");
    QTest::newRow("empty page") << QStringLiteral("/empty") << QStringLiteral("none");
}

void TestWallDetector::detect()
{
    if (!m_chromium) {
        QSKIP("no Chromium executable on this machine");
    }
    QFETCH(QString, path);
    QFETCH(QString, kind);
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint()));
    QVERIFY(testutil::navigate(cdp, m_pages.url(path)));
    std::optional<handoff::Result<QString>> result;
    WallDetector::detect(cdp, [&](const handoff::Result<QString>& r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
    QVERIFY(result->ok());
    QCOMPARE(result->value(), kind);
}

void TestWallDetector::blockerType()
{
    QCOMPARE(WallDetector::blockerType(QStringLiteral("file_upload")), QStringLiteral("document_upload"));
    QCOMPARE(WallDetector::blockerType(QStringLiteral("none")), QStringLiteral("other"));
    QCOMPARE(WallDetector::blockerType(QStringLiteral("otp")), QStringLiteral("otp"));
    QCOMPARE(WallDetector::blockerType(QStringLiteral("security_question")), QStringLiteral("security_question"));
}

void TestWallDetector::commandLine()
{
    if (!m_chromium) {
        QSKIP("no Chromium executable on this machine");
    }
    const QString program = handoff::test::TestPaths::program(QStringLiteral("handoff-agent"));
    if (program.isEmpty()) {
        QSKIP("handoff-agent is not built");
    }
    CdpClient cdp;
    QVERIFY(testutil::connectClient(cdp, m_chromium->httpEndpoint()));
    QVERIFY(testutil::navigate(cdp, m_pages.url(QStringLiteral("/password"))));

    QProcess agent;
    agent.start(program, {QStringLiteral("detect"), QStringLiteral("--cdp-url"), m_chromium->httpEndpoint().toString(),
                          QStringLiteral("--target"), QStringLiteral("/password"), QStringLiteral("--json")});
    QVERIFY(agent.waitForFinished(30000));
    QCOMPARE(agent.exitCode(), 0);
    const QJsonObject answer = QJsonDocument::fromJson(agent.readAllStandardOutput()).object();
    QCOMPARE(answer.value(QLatin1String("wall")).toString(), QStringLiteral("password"));
    QCOMPARE(answer.value(QLatin1String("blocker_type")).toString(), QStringLiteral("password"));

    // Usage errors exit 2.
    QProcess bad;
    bad.start(program, {QStringLiteral("detect")});
    QVERIFY(bad.waitForFinished(30000));
    QCOMPARE(bad.exitCode(), 2);
}

QTEST_GUILESS_MAIN(TestWallDetector)
#include "tst_WallDetector.moc"
