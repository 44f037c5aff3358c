// Backpressure: a viewer that cannot keep up gets the newest frames, not all of
// them, while every non-frame message still arrives, in order. The server's queue
// for it stays bounded.

#include "tests/server/RawHttp.h"
#include "tests/server/RelayTestSession.h"
#include "tests/server/WsTestClient.h"

#include <QTest>

using namespace handoff::test;

namespace {

constexpr int frameCount = 300;
constexpr int frameBytes = 35 * 1024;

QByteArray jpeg(int n)
{
    QByteArray data(frameBytes, char(n & 0xff));
    data[0] = char(0xff);
    data[1] = char(0xd8);
    data.replace(2, 4, QByteArray::number(n).rightJustified(4, '0'));
    return data;
}

int jpegNumber(const QByteArray& data) { return data.mid(2, 4).toInt(); }

QByteArray v2FrameRecord(int n)
{
    QByteArray record("\x02\x02", 2);
    record += QByteArray::number(n).rightJustified(8, '0');
    record += QByteArray(frameBytes, 'r');
    return record;
}

} // namespace

class tst_Backpressure final : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    HttpTestClient m_http;

    qint64 metric(const QByteArray& sample) { return m_http.metric(m_server.url(QStringLiteral("/metrics")), sample); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start({QStringLiteral("--viewer-buffer"), QStringLiteral("64KiB")}), qPrintable(m_server.errorString()));
    }

    void cleanupTestCase() { QVERIFY2(m_server.stop(), qPrintable(m_server.errorString())); }

    void slowViewerGetsTheNewestFramesAndEveryOtherMessage_data()
    {
        QTest::addColumn<int>("version");
        QTest::newRow("version 1 meta + JPEG pairs") << 1;
        QTest::newRow("version 2 frame records") << 2;
    }

    void slowViewerGetsTheNewestFramesAndEveryOtherMessage()
    {
        QFETCH(int, version);
        const RelayTestSession session = RelayTestSession::create(m_http, m_server);
        WsTestClient agent(session.agentUrl());
        QVERIFY(agent.waitConnected());
        RawConnection viewer(m_server.port(), 8 * 1024);
        QVERIFY(viewer.upgrade(QStringLiteral("/stream/") + session.id + QStringLiteral("?role=viewer&token=") + session.viewerToken));
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);

        // The viewer reads nothing while the agent sends 300 frames (10 MB) with a
        // control message after every 30th.
        for (int n = 0; n < frameCount; ++n) {
            if (version == 1) {
                agent.socket.sendTextMessage(QStringLiteral(R"({"type":"frame","deviceWidth":1280,"deviceHeight":720,"offsetTop":0,"pageScaleFactor":1,"scrollOffsetX":0,"scrollOffsetY":%1,"jpegSize":%2})")
                                                 .arg(n)
                                                 .arg(frameBytes));
                agent.socket.sendBinaryMessage(jpeg(n));
            } else {
                agent.socket.sendBinaryMessage(v2FrameRecord(n));
            }
            if (n % 30 == 29) {
                agent.socket.sendTextMessage(QStringLiteral(R"({"type":"note","n":%1})").arg(n));
            }
        }
        QVERIFY(QTest::qWaitFor([&] { return agent.socket.bytesToWrite() == 0; }, 30'000));
        QTest::qWait(500);

        // Now it reads everything.
        viewer.socket.setReadBufferSize(0);
        int lastFrame = -1;
        int frames = 0;
        QList<int> notes;
        QString pendingMeta;
        bool ordered = true;
        bool paired = true;
        QVERIFY(QTest::qWaitFor([&] {
            viewer.buffer += viewer.socket.readAll();
            for (const auto& frame : viewer.takeFrames()) {
                if (frame.opcode == 0x1) {
                    const QJsonObject json = QJsonDocument::fromJson(frame.payload).object();
                    const QString type = json.value(QStringLiteral("type")).toString();
                    if (type == QLatin1String("frame")) {
                        paired = paired && pendingMeta.isEmpty();
                        pendingMeta = QString::fromUtf8(frame.payload);
                    } else if (type == QLatin1String("note")) {
                        const int n = json.value(QStringLiteral("n")).toInt();
                        ordered = ordered && n >= lastFrame; // no frame newer than the note came before it
                        notes.append(n);
                    }
                } else if (frame.opcode == 0x2) {
                    const int n = version == 1 ? jpegNumber(frame.payload) : frame.payload.mid(2, 8).toInt();
                    if (version == 1) {
                        const int metaN = QJsonDocument::fromJson(pendingMeta.toUtf8()).object().value(QStringLiteral("scrollOffsetY")).toInt(-1);
                        paired = paired && metaN == n;
                        pendingMeta.clear();
                        paired = paired && frame.payload.size() == frameBytes;
                    }
                    ordered = ordered && n > lastFrame;
                    lastFrame = n;
                    ++frames;
                }
            }
            return lastFrame == frameCount - 1 && notes.size() == frameCount / 30;
        }, 30'000));
        QVERIFY(ordered);
        QVERIFY(paired);
        QCOMPARE(notes.size(), frameCount / 30); // never dropped
        for (int i = 0; i < notes.size(); ++i) {
            QCOMPARE(notes.at(i), i * 30 + 29);
        }
        QVERIFY2(frames < frameCount, qPrintable(QStringLiteral("%1 of %2 frames arrived").arg(frames).arg(frameCount)));
        QCOMPARE(lastFrame, frameCount - 1); // the newest frame always arrives
        QVERIFY(metric(R"(handoff_dropped_messages_total{reason="backpressure"})") > 0);
        qInfo("%d of %d frames reached the slow viewer", frames, frameCount);
    }

    void fastViewerGetsEveryFrame()
    {
        const RelayTestSession session = RelayTestSession::create(m_http, m_server);
        WsTestClient agent(session.agentUrl());
        WsTestClient viewer(session.viewerUrl());
        QVERIFY(agent.waitForType(QStringLiteral("viewer_connected")) >= 0);
        QVERIFY(viewer.waitForType(QStringLiteral("agent_connected")) >= 0);
        const qsizetype before = viewer.messages.size();
        // Paced like a screencast: the viewer keeps up, so nothing is dropped.
        for (int n = 0; n < 30; ++n) {
            agent.socket.sendBinaryMessage(v2FrameRecord(n));
            QTest::qWait(5);
        }
        QVERIFY(viewer.waitForCount(before + 30));
        for (int n = 0; n < 30; ++n) {
            QCOMPARE(viewer.messages.at(before + n).data.mid(2, 8).toInt(), n);
        }
    }
};

QTEST_GUILESS_MAIN(tst_Backpressure)
#include "tst_Backpressure.moc"
