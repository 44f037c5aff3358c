// tests/interop/authloop-compat.mjs against a real handoff-server and a real
// headless Chromium: an agent that behaves as one built on AuthLoop's SDK and core
// does (tests/interop/authloop-core.mjs, written from their source), with a viewer
// that sends what AuthLoop's own viewer sends. Covers the HTTP API, the version-1
// key exchange and frames, which input reaches the page through that core (click,
// keypress, the app's version-1 Enter; not mousedown/mouseup or keydown Enter
// alone), and that the core reports "resolved" because the relay leaves the
// agent's socket open after the resolve.

#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QDir>
#include <QProcess>
#include <QTest>

using namespace handoff::test;

class tst_AuthLoopCompat final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void authLoopAgentWorksUnchanged()
    {
        const QString node = TestPaths::nodeExecutable();
        if (node.isEmpty()) {
            QSKIP("node is not installed");
        }
        if (ChromiumProcess::executable().isEmpty()) {
            QSKIP("Chromium is not installed (scripts/test installs it)");
        }
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        ChromiumProcess chromium;
        QVERIFY2(chromium.start(), qPrintable(chromium.errorString()));
        QProcess peer;
        peer.setProcessChannelMode(QProcess::MergedChannels);
        peer.start(node,
                   { QStringLiteral("--experimental-websocket"), QStringLiteral("--no-warnings"),
                     QDir(TestPaths::interopDir()).filePath(QStringLiteral("authloop-compat.mjs")),
                     server.baseUrl().toString(), QString::fromLatin1(server.apiKey()),
                     chromium.httpEndpoint().toString() });
        QVERIFY(peer.waitForStarted(10'000));
        const bool finished = QTest::qWaitFor([&] { return peer.state() == QProcess::NotRunning; }, 90'000);
        const QString output = QString::fromUtf8(peer.readAll());
        if (!finished) {
            peer.kill();
            peer.waitForFinished();
        }
        qInfo().noquote() << output;
        QVERIFY2(finished, "the Node peer did not finish");
        QCOMPARE(peer.exitCode(), 0);
        QVERIFY(output.contains(QStringLiteral("all AuthLoop calls passed")));
        QVERIFY2(server.stop(), qPrintable(server.errorString()));
    }
};

QTEST_GUILESS_MAIN(tst_AuthLoopCompat)
#include "tst_AuthLoopCompat.moc"
