// agent-latency: how long the agent adds between the person and the page.
//
//   input: a viewer sends an encrypted keydown/keypress/keyup through the relay;
//          measured until the agent has written the matching CDP command.
//   frame: Chromium delivers a screencast frame to the agent; measured until the
//          viewer has decrypted it (protocol version 2, through the relay).
//
// Everything runs in this process on loopback (one clock): handoff-server and
// Chromium are real child processes. Prints p50/p99 in milliseconds.
//
//   agent-latency [--samples N] [--protocol 1|2]

#include "agent/cdp/CdpClient.h"
#include "agent/screencast/Screencast.h"
#include "agent/session/AgentSession.h"
#include "core/protocol/InputEvent.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/SecureChannel.h"
#include "core/protocol/SecureChannelV2.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPageServer.h"
#include "tests/support/TestServer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <cmath>
#include <functional>
#include <cstdio>

using namespace handoff;
using namespace handoff::agent;

namespace {

QElapsedTimer g_clock;

const QByteArray Page = R"(<!doctype html><html><body style="margin:0">
<input id="i" autofocus style="width:600px;height:40px"><canvas id="c" width="800" height="500"></canvas>
<script>const c=document.getElementById('c').getContext('2d');let n=0;
function d(){c.fillStyle=`hsl(${(n++)%360},60%,50%)`;c.fillRect((n*7)%760,(n*13)%460,40,40);requestAnimationFrame(d);}d();
document.getElementById('i').focus();</script></body></html>)";

class Viewer final : public QObject {
public:
    Viewer(QString sessionId, QByteArray fingerprint, QByteArray secret)
        : m_sessionId(std::move(sessionId))
        , m_fingerprint(std::move(fingerprint))
        , m_secret(std::move(secret))
    {
        m_socket.setMaxAllowedIncomingMessageSize(8 * 1024 * 1024);
        connect(&m_socket, &QWebSocket::textMessageReceived, this,
                [this](const QString& t) { onMessage(protocol::WireMessage::text(t.toUtf8())); });
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
                [this](const QByteArray& b) { onMessage(protocol::WireMessage::binary(b)); });
    }
    void open(const QUrl& url) { m_socket.open(url); }
    bool ready() const { return m_channel && m_channel->isReady(); }
    void send(const protocol::InputEvent& e)
    {
        auto wire = m_channel->encryptInput(protocol::InputEventCodec::serialize(e));
        if (wire) {
            write(*wire);
        }
    }
    std::function<void(double timestamp)> onFrame;

private:
    void write(const protocol::WireMessage& m)
    {
        if (m.type == protocol::WireMessage::Type::Text) {
            m_socket.sendTextMessage(QString::fromUtf8(m.data));
        } else {
            m_socket.sendBinaryMessage(m.data);
        }
    }

    void onMessage(const protocol::WireMessage& m)
    {
        if (m.type == protocol::WireMessage::Type::Text) {
            const QJsonObject o = QJsonDocument::fromJson(m.data).object();
            const QString type = o.value(QLatin1String("type")).toString();
            if (type == QLatin1String("pubkey")) {
                if (!m_channel) {
                    auto ch = protocol::SecureChannel::createViewerFor(m.data, m_sessionId, m_fingerprint, m_secret);
                    if (!ch) {
                        return;
                    }
                    m_channel = std::move(ch).value();
                }
                auto accepted = m_channel->acceptPeerKey(m.data);
                if (!accepted) {
                    return;
                }
                for (const auto& r : std::as_const(accepted->replies)) {
                    write(r);
                }
                return;
            }
            if (type != QLatin1String("frame") && type != QLatin1String("encrypted")) {
                return;
            }
        }
        if (!m_channel) {
            return;
        }
        auto in = m_channel->receive(m);
        if (!in) {
            return;
        }
        for (const auto& r : std::as_const(in->replies)) {
            write(r);
        }
        if (in->kind == protocol::Incoming::Kind::Handshake && m_channel->needsSasConfirmation()) {
            m_channel->confirmSas();
        }
        if (in->kind == protocol::Incoming::Kind::Frame && onFrame) {
            onFrame(in->frame.timestamp);
        }
    }

    QWebSocket m_socket;
    QString m_sessionId;
    QByteArray m_fingerprint;
    QByteArray m_secret;
    std::unique_ptr<protocol::SecureChannel> m_channel;
};

bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired()) {
        QTest::qWait(5);
    }
    return done();
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const auto i = static_cast<qsizetype>(std::min<double>(v.size() - 1, std::ceil(p / 100.0 * v.size()) - 1));
    return v.at(std::max<qsizetype>(0, i));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    g_clock.start();
    int samples = 200;
    int protocolVersion = 2;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--samples")) {
            samples = std::max(10, args.at(i + 1).toInt());
        } else if (args.at(i) == QLatin1String("--protocol")) {
            protocolVersion = args.at(i + 1).toInt() == 1 ? 1 : 2;
        }
    }

    test::TestPageServer pages;
    if (!pages.listen()) {
        return 1;
    }
    pages.setPage("/bench", Page);
    test::TestServer server;
    if (!server.start()) {
        std::fprintf(stderr, "server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    test::ChromiumProcess chromium;
    if (!chromium.start(pages.url(QStringLiteral("/bench")), 1280, 800)) {
        std::fprintf(stderr, "chromium: %s\n", qPrintable(chromium.errorString()));
        return 1;
    }

    AgentSessionConfig config;
    config.server = server.baseUrl();
    config.apiKey = server.apiKey();
    config.cdpUrl = chromium.httpEndpoint();
    config.protocolVersion = protocolVersion;
    config.request.service = QStringLiteral("bench");
    AgentSession session(config);
    QUrl link;
    QObject::connect(&session, &AgentSession::linkReady,
                     [&](const QUrl& url, const QUrl&, const QString&) { link = url; });
    session.start();
    if (!waitUntil([&] { return !link.isEmpty(); }, 60000)) {
        std::fprintf(stderr, "no session link\n");
        return 1;
    }
    const QString sessionId = link.path().section(QLatin1Char('/'), -1);
    const QUrlQuery fragment(link.fragment(QUrl::FullyEncoded));
    QByteArray fingerprint;
    QByteArray secret;
    if (const QString k = fragment.queryItemValue(QStringLiteral("k")); !k.isEmpty()) {
        fingerprint = protocol::SecureChannelV2::parseFingerprint(k.toLatin1()).value();
    }
    if (const QString s = fragment.queryItemValue(QStringLiteral("s")); !s.isEmpty()) {
        secret = protocol::SecureChannelV2::parseLinkValue(s.toLatin1()).value();
    }
    Viewer viewer(sessionId, fingerprint, secret);

    // Frame latency: CDP frame received by the agent -> decrypted by the viewer,
    // matched by the CDP timestamp each frame carries (v2) or arrival order (v1).
    QHash<double, qint64> frameReceivedAt;
    QList<qint64> frameOrder;
    QList<double> frameMs;
    QObject::connect(session.screencast(), &Screencast::frameReceived, [&](const ScreencastFrame& f) {
        const qint64 now = g_clock.nsecsElapsed();
        frameReceivedAt.insert(f.meta.timestamp, now);
        frameOrder.append(now);
    });
    viewer.onFrame = [&](double timestamp) {
        const qint64 now = g_clock.nsecsElapsed();
        if (protocolVersion == 2) {
            const auto it = frameReceivedAt.constFind(timestamp);
            if (it != frameReceivedAt.cend()) {
                frameMs.append(double(now - *it) / 1e6);
            }
        } else if (!frameOrder.isEmpty()) {
            frameMs.append(double(now - frameOrder.last()) / 1e6); // newest frame sent (FramePump drops older ones)
        }
    };
    viewer.open(server.streamUrl(sessionId, QStringLiteral("viewer"), fragment.queryItemValue(QStringLiteral("t"))));
    if (!waitUntil([&] { return viewer.ready(); }, 30000)) {
        std::fprintf(stderr, "the viewer never became ready\n");
        return 1;
    }

    // Input latency: sent by the viewer -> the CDP command written by the agent.
    QList<double> inputMs;
    qint64 sentAt = 0;
    bool waiting = false;
    QObject::connect(session.cdp(), &CdpClient::commandWritten, [&](qint64, const QString& method) {
        if (waiting && method == QLatin1String("Input.dispatchKeyEvent")) {
            inputMs.append(double(g_clock.nsecsElapsed() - sentAt) / 1e6);
            waiting = false;
        }
    });
    for (int i = 0; i < samples; ++i) {
        const QString key = QString(QChar(u'a' + (i % 26)));
        const QString code = QStringLiteral("Key") + key.toUpper();
        sentAt = g_clock.nsecsElapsed();
        waiting = true;
        viewer.send(protocol::InputEvent::keyDown(key, code));
        if (!waitUntil([&] { return !waiting; }, 5000)) {
            waiting = false;
        }
        viewer.send(protocol::InputEvent::keyPress(key));
        viewer.send(protocol::InputEvent::keyUp(key, code));
        QTest::qWait(110); // stay under 30 keystrokes a second (keydown + keypress count once)
        if (frameMs.size() >= samples && inputMs.size() >= samples) {
            break;
        }
    }
    const QDeadlineTimer frameDeadline(30000);
    while (frameMs.size() < samples && !frameDeadline.hasExpired()) {
        QTest::qWait(50);
    }
    session.cancel();
    waitUntil([&] { return session.isFinished(); }, 10000);

    std::printf("agent-latency, protocol version %d, loopback, %s build\n", protocolVersion,
#ifdef NDEBUG
                "release"
#else
                "debug"
#endif
    );
    std::printf("input  (viewer sent -> CDP command written): n=%lld p50=%.2f ms p99=%.2f ms\n",
                static_cast<long long>(inputMs.size()), percentile(inputMs, 50), percentile(inputMs, 99));
    std::printf("frame  (CDP frame received -> viewer decrypted): n=%lld p50=%.2f ms p99=%.2f ms\n",
                static_cast<long long>(frameMs.size()), percentile(frameMs, 50), percentile(frameMs, 99));
    return 0;
}
