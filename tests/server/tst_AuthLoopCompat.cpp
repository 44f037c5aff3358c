// tests/interop/authloop-compat.mjs, a Node peer making exactly the calls of the
// AuthLoop SDK and core library (HTTP API, agent WebSocket, version-1 key exchange,
// encrypted input), run against a real handoff-server.

#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QDir>
#include <QProcess>
#include <QTest>

using namespace handoff::test;

class tst_AuthLoopCompat final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void authLoopSdkCallsWorkUnchanged()
    {
        const QString node = TestPaths::nodeExecutable();
        if (node.isEmpty()) {
            QSKIP("node is not installed");
        }
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QProcess peer;
        peer.setProcessChannelMode(QProcess::MergedChannels);
        peer.start(node, {QStringLiteral("--experimental-websocket"), QStringLiteral("--no-warnings"),
                          QDir(TestPaths::interopDir()).filePath(QStringLiteral("authloop-compat.mjs")),
                          server.baseUrl().toString(), QString::fromLatin1(server.apiKey())});
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
