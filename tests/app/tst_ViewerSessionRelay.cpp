// ViewerSession against the real handoff-server (tests/support/TestServer) and a
// scripted agent built on core's SecureChannelV2: the session is created over the
// HTTP API, the link carries the agent key's fingerprint and the viewer secret, the
// handshake and the agent's own description cross the relay, input and frames cross
// the relay end-to-end encrypted, the viewer resumes after a relay restart with
// the same keys, and the outcome reaches the viewer. Skipped when the server is
// not part of the build.

#include "core/crypto/EcdhKeyPair.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/SessionLinkParser.h"
#include "core/protocol/V1Envelope.h"
#include "core/session/ViewerSession.h"
#include "tests/support/TestServer.h"

#include <QBuffer>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

using handoff::protocol::InputEvent;
using handoff::protocol::WireMessage;
using handoff::session::ViewerSession;
using handoff::test::TestServer;
using State = ViewerSession::State;

Q_DECLARE_METATYPE(ViewerSession::EndReason)

namespace {

constexpr int Timeout = 15000;

// The agent's side: its key, its channel and its relay socket, reconnecting when dropped.
class ScriptedAgent final {
public:
    bool create(TestServer& server)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(server.url(QStringLiteral("/session")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + server.apiKey());
        const QJsonObject body{{QStringLiteral("service"), QStringLiteral("Demo Bank")},
                               {QStringLiteral("ttl"), 600},
                               {QStringLiteral("context"),
                                QJsonObject{{QStringLiteral("blocker_type"), QStringLiteral("otp")},
                                            {QStringLiteral("hint"), QStringLiteral("Code from your phone")}}}};
        QNetworkReply* reply = network.post(request, QJsonDocument(body).toJson());
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(Timeout) || reply->error() != QNetworkReply::NoError)
            return false;
        const QJsonObject created = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        sessionId = created.value(QStringLiteral("session_id")).toString();
        streamToken = created.value(QStringLiteral("stream_token")).toString();
        streamUrl = QUrl(created.value(QStringLiteral("stream_url")).toString());

        auto key = handoff::crypto::EcdhKeyPair::generate();
        const QByteArray secret = handoff::protocol::SecureChannelV2::makeViewerSecret().value();
        const QByteArray fingerprint = handoff::protocol::SecureChannelV2::keyFingerprintB64Url(key->publicPoint());
        link = created.value(QStringLiteral("session_url")).toString() + QStringLiteral("&k=")
            + QString::fromLatin1(fingerprint) + QStringLiteral("&s=")
            + QString::fromLatin1(handoff::protocol::SecureChannelV2::linkValue(secret));
        channel = std::move(handoff::protocol::SecureChannelV2::createAgent(sessionId, std::move(*key), secret).value());
        return !sessionId.isEmpty();
    }

    void connectToRelay()
    {
        QUrl url = streamUrl;
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("role"), QStringLiteral("agent"));
        query.addQueryItem(QStringLiteral("token"), streamToken);
        url.setQuery(query);
        socket = std::make_unique<QWebSocket>();
        QObject::connect(socket.get(), &QWebSocket::connected, socket.get(),
                         [this] { socket->sendTextMessage(QString::fromUtf8(channel->pubkeyMessage())); });
        QObject::connect(socket.get(), &QWebSocket::textMessageReceived, socket.get(), [this](const QString& text) {
            const QByteArray json = text.toUtf8();
            auto type = handoff::protocol::V1Envelope::messageType(json);
            if (!type || *type != QStringLiteral("pubkey"))
                return; // viewer_connected and friends
            auto accepted = channel->acceptPeerKey(json);
            if (!accepted) {
                errors.push_back(accepted.error().code);
                return;
            }
            for (const auto& reply : accepted->replies)
                send(reply);
        });
        QObject::connect(socket.get(), &QWebSocket::binaryMessageReceived, socket.get(),
                         [this](const QByteArray& data) {
                             auto incoming = channel->receive(WireMessage::binary(data));
                             if (!incoming) {
                                 errors.push_back(incoming.error().code);
                                 return;
                             }
                             for (const auto& reply : incoming->replies)
                                 send(reply);
                             if (incoming->kind == handoff::protocol::Incoming::Kind::Handshake) {
                                 // The agent's own description, end-to-end encrypted.
                                 const QJsonObject description{
                                     {QStringLiteral("type"), QStringLiteral("session_info")},
                                     {QStringLiteral("service"), QStringLiteral("Demo Bank")},
                                     {QStringLiteral("context"),
                                      QJsonObject{{QStringLiteral("blocker_type"), QStringLiteral("otp")}}}};
                                 auto sealed
                                     = channel->encryptControl(QJsonDocument(description).toJson(QJsonDocument::Compact));
                                 if (sealed)
                                     send(*sealed);
                             }
                             if (incoming->kind == handoff::protocol::Incoming::Kind::Input)
                                 inputs.push_back(handoff::protocol::InputEventCodec::parse(incoming->plaintext).value());
                         });
        socket->open(url);
    }

    bool sendFrame()
    {
        QImage image(640, 360, QImage::Format_RGB32);
        image.fill(Qt::darkCyan);
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "JPG", 80);
        handoff::protocol::FrameMetadata meta;
        meta.deviceWidth = 640;
        meta.deviceHeight = 360;
        auto messages = channel->encryptFrame(meta, jpeg);
        if (!messages)
            return false;
        for (const auto& m : *messages)
            send(m);
        return true;
    }

    void send(const WireMessage& message)
    {
        if (message.type == WireMessage::Type::Text)
            socket->sendTextMessage(QString::fromUtf8(message.data));
        else
            socket->sendBinaryMessage(message.data);
    }

    QString sessionId;
    QString streamToken;
    QUrl streamUrl;
    QString link;
    std::unique_ptr<handoff::protocol::SecureChannel> channel;
    std::unique_ptr<QWebSocket> socket;
    std::vector<InputEvent> inputs;
    std::vector<QString> errors;
};

ViewerSession::Options fastOptions()
{
    ViewerSession::Options options;
    options.reconnectInitialDelay = std::chrono::milliseconds(100);
    options.reconnectMaximumDelay = std::chrono::milliseconds(500);
    return options;
}

} // namespace

class TestViewerSessionRelay final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void throughTheRealRelay();
};

void TestViewerSessionRelay::initTestCase()
{
    qRegisterMetaType<ViewerSession::EndReason>();
    if (TestServer::program().isEmpty())
        QSKIP("handoff-server is not part of this build");
    // This test restarts the relay with viewers connected. Whether the server frees
    // everything on SIGTERM is the server tests' business; here a leak report at its
    // exit would only turn restart() into a failure. Children only: our own process
    // read ASAN_OPTIONS when it started.
    const QByteArray asan = qgetenv("ASAN_OPTIONS");
    qputenv("ASAN_OPTIONS", asan + (asan.isEmpty() ? "" : ":") + "detect_leaks=0");
}

void TestViewerSessionRelay::throughTheRealRelay()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ScriptedAgent agent;
    QVERIFY(agent.create(server));
    agent.connectToRelay();

    auto link = handoff::protocol::SessionLinkParser::parse(agent.link);
    QVERIFY2(link.ok(), qPrintable(link.ok() ? QString() : link.error().message));
    QVERIFY(link->hasKeyFingerprint());
    ViewerSession viewer(*link, fastOptions());
    QSignalSpy frames(&viewer, &ViewerSession::frameReceived);
    QSignalSpy ended(&viewer, &ViewerSession::ended);
    viewer.start();
    QTRY_COMPARE_WITH_TIMEOUT(viewer.state(), State::Ready, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.canSendInput(), Timeout);
    QCOMPARE(viewer.protocolVersion(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(viewer.info().service, QStringLiteral("Demo Bank"), Timeout);
    QCOMPARE(viewer.info().blockerType, QStringLiteral("otp"));

    QVERIFY(viewer.sendInput(InputEvent::paste(QStringLiteral("424242"))).ok());
    QTRY_COMPARE_WITH_TIMEOUT(agent.inputs.size(), size_t(1), Timeout);
    QCOMPARE(agent.inputs[0].text(), QStringLiteral("424242"));
    QVERIFY(agent.sendFrame());
    QVERIFY(frames.wait(Timeout));

    // The relay restarts: both ends come back, the viewer with the same key, and
    // the agent's channel takes the next input without a replay or a new handshake.
    const QString sasBefore = viewer.sas();
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    agent.connectToRelay();
    QTRY_COMPARE_WITH_TIMEOUT(viewer.state(), State::Reconnecting, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.canSendInput(), 30000);
    QCOMPARE(viewer.sas(), sasBefore);
    QVERIFY(viewer.sendInput(InputEvent::keyDown(QStringLiteral("Enter"), QStringLiteral("Enter"))).ok());
    QTRY_COMPARE_WITH_TIMEOUT(agent.inputs.size(), size_t(2), Timeout);
    QCOMPARE(agent.inputs[1].key(), QStringLiteral("Enter"));
    QVERIFY(agent.errors.empty());

    // The agent resolves the session over the API; the relay tells the viewer.
    QNetworkAccessManager network;
    QNetworkRequest request(server.url(QStringLiteral("/session/%1/resolve").arg(agent.sessionId)));
    request.setRawHeader("Authorization", "Bearer " + server.apiKey());
    QNetworkReply* reply = network.post(request, QByteArray());
    QVERIFY(QSignalSpy(reply, &QNetworkReply::finished).wait(Timeout));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    reply->deleteLater();
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, Timeout);
    QCOMPARE(ended.first().at(0).value<ViewerSession::EndReason>(), ViewerSession::EndReason::Resolved);
}

QTEST_GUILESS_MAIN(TestViewerSessionRelay)
#include "tst_ViewerSessionRelay.moc"
