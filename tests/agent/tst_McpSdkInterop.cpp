// The MCP server driven by the official MCP TypeScript SDK client
// (tests/interop/mcp-client.mjs): list tools, call handoff_to_human, resolve
// through a scripted viewer, handoff_status returns resolved with progress
// notifications seen; a client cancel (AbortController) cancels the session.

#include "core/protocol/InputEvent.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/SecureChannel.h"
#include "core/protocol/SecureChannelV2.h"
#include "tests/support/ChromiumProcess.h"
#include "tests/support/TestPageServer.h"
#include "tests/support/TestPaths.h"
#include "tests/support/TestServer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

using namespace handoff;
using handoff::test::ChromiumProcess;
using handoff::test::TestPageServer;
using handoff::test::TestServer;

namespace {

// Just enough of a viewer to answer the key exchange and press Done.
class Viewer final : public QObject {
public:
    Viewer(QString sessionId, QByteArray fingerprint) : m_sessionId(std::move(sessionId)), m_fp(std::move(fingerprint))
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& t) {
            const QByteArray data = t.toUtf8();
            if (QJsonDocument::fromJson(data).object().value(QLatin1String("type")).toString() != QLatin1String("pubkey")) {
                return;
            }
            if (!m_channel) {
                auto ch = protocol::SecureChannel::createViewerFor(data, m_sessionId, m_fp);
                if (!ch) {
                    return;
                }
                m_channel = std::move(ch).value();
            }
            auto accepted = m_channel->acceptPeerKey(data);
            if (!accepted) {
                return;
            }
            for (const auto& r : std::as_const(accepted->replies)) {
                r.type == protocol::WireMessage::Type::Text ? void(m_socket.sendTextMessage(QString::fromUtf8(r.data)))
                                                            : void(m_socket.sendBinaryMessage(r.data));
            }
        });
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& b) {
            if (m_channel) {
                (void)m_channel->receive(protocol::WireMessage::binary(b));
            }
        });
    }
    void open(const QUrl& url) { m_socket.open(url); }
    bool ready() const { return m_channel && m_channel->isReady(); }
    void resolve()
    {
        auto wire = m_channel->encryptInput(protocol::InputEventCodec::serialize(protocol::InputEvent::resolved()));
        if (wire) {
            m_socket.sendBinaryMessage(wire->data);
        }
    }

private:
    QWebSocket m_socket;
    QString m_sessionId;
    QByteArray m_fp;
    std::unique_ptr<protocol::SecureChannel> m_channel;
};

QString sessionStatus(TestServer& server, const QString& id)
{
    QNetworkAccessManager network;
    QNetworkRequest request(server.url(QStringLiteral("/session/") + id));
    request.setRawHeader("Authorization", "Bearer " + server.apiKey());
    QNetworkReply* reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("status")).toString();
}

} // namespace

class TestMcpSdkInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sdkClient();
};

void TestMcpSdkInterop::sdkClient()
{
    const QString agent = test::TestPaths::program(QStringLiteral("handoff-agent"));
    const QString node = test::TestPaths::nodeExecutable();
    const QString sdk = QDir(test::TestPaths::interopDir()).filePath(QStringLiteral("node_modules/@modelcontextprotocol/sdk"));
    if (agent.isEmpty() || node.isEmpty() || !QFileInfo::exists(sdk) || ChromiumProcess::executable().isEmpty()
        || TestServer::program().isEmpty()) {
        QSKIP("needs handoff-agent, handoff-server, Chromium, node and the MCP SDK in tests/interop/node_modules");
    }
    TestPageServer pages;
    QVERIFY(pages.listen());
    pages.setPage("/login", "<html><head><title>login</title></head><body><input type=password></body></html>");
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChromiumProcess chromium;
    QVERIFY2(chromium.start(pages.url(QStringLiteral("/login"))), qPrintable(chromium.errorString()));

    QProcess client;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HANDOFF_SERVER"), server.baseUrl().toString());
    env.insert(QStringLiteral("HANDOFF_API_KEY"), QString::fromLatin1(server.apiKey()));
    client.setProcessEnvironment(env);
    client.setWorkingDirectory(test::TestPaths::interopDir());
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    client.start(node, {QStringLiteral("mcp-client.mjs"), agent, chromium.httpEndpoint().toString()});
    QVERIFY(client.waitForStarted());

    std::unique_ptr<Viewer> viewer;
    QString secondSession;
    bool sawTools = false;
    bool sawStatus = false;
    bool sawCancelled = false;
    const QDeadlineTimer deadline(120000);
    while (!deadline.hasExpired() && client.state() != QProcess::NotRunning) {
        client.waitForReadyRead(50);
        QCoreApplication::processEvents();
        while (client.canReadLine()) {
            const QJsonObject e = QJsonDocument::fromJson(client.readLine()).object();
            const QString event = e.value(QLatin1String("event")).toString();
            if (event == QLatin1String("tools")) {
                QCOMPARE(e.value(QLatin1String("names")).toArray(),
                         (QJsonArray{QStringLiteral("handoff_to_human"), QStringLiteral("handoff_status"),
                                     QStringLiteral("handoff_request_approval")}));
                sawTools = true;
            } else if (event == QLatin1String("link")) {
                const QString id = e.value(QLatin1String("session_id")).toString();
                const QUrl link(e.value(QLatin1String("session_url")).toString());
                const QUrlQuery fragment(link.fragment(QUrl::FullyEncoded));
                viewer = std::make_unique<Viewer>(
                    id, protocol::SecureChannelV2::parseFingerprint(fragment.queryItemValue(QStringLiteral("k")).toLatin1()).value());
                viewer->open(server.streamUrl(id, QStringLiteral("viewer"), fragment.queryItemValue(QStringLiteral("t"))));
                QTRY_VERIFY_WITH_TIMEOUT(viewer->ready(), 20000);
                QTest::qWait(800); // let a few progress notifications go out first
                viewer->resolve();
            } else if (event == QLatin1String("status")) {
                QCOMPARE(e.value(QLatin1String("status")).toString(), QStringLiteral("resolved"));
                QVERIFY(e.value(QLatin1String("progress")).toInt() > 0);
                sawStatus = true;
            } else if (event == QLatin1String("link2")) {
                secondSession = e.value(QLatin1String("session_id")).toString();
            } else if (event == QLatin1String("cancelled")) {
                sawCancelled = true;
            }
        }
    }
    QVERIFY(client.state() == QProcess::NotRunning || client.waitForFinished(30000));
    QCOMPARE(client.exitStatus(), QProcess::NormalExit);
    QCOMPARE(client.exitCode(), 0);
    QVERIFY(sawTools);
    QVERIFY(sawStatus);
    QVERIFY(sawCancelled);
    QVERIFY(!secondSession.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sessionStatus(server, secondSession), QStringLiteral("CANCELLED"), 15000);
}

QTEST_GUILESS_MAIN(TestMcpSdkInterop)
#include "tst_McpSdkInterop.moc"
