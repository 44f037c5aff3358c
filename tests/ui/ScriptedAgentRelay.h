#pragma once

// A stand-in for relay and agent in one, for tests of the viewer side that run
// before (or without) the real handoff-server: a WebSocket server on loopback
// that speaks PROTOCOL section 2 to one viewer at a time and plays a scripted
// agent behind it with the real SecureChannel of either version (in version 2 it
// answers the handshake and then sends the agent's own session description). It
// records the input events and control messages the agent decrypted.
//
// Header-only (no Q_OBJECT), so that tests in tests/ui and tests/app can share it.

#include "core/crypto/EcdhKeyPair.h"
#include "core/crypto/Random.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/SecureChannelV1.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/V1Envelope.h"

#include <QBuffer>
#include <QDateTime>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <vector>

namespace handoff::test {

class ScriptedAgentRelay final {
public:
    struct Options final {
        int version = 2;
        bool keyInLink = true;        // v2: the link carries k
        bool secretInLink = true;     // v2: the link carries s
        bool substituteKey = false;   // v2: the link's k belongs to another key (a relay in the middle)
        bool sendReady = true;        // v2: the agent confirms the keys
        QString service = QStringLiteral("Demo Bank"); // the agent's words
        QString relayService;         // what the relay's plaintext session_info claims; empty: the same
        QString blockerType = QStringLiteral("otp");
        QString hint = QStringLiteral("Enter the code sent to your phone");
        int ttlSeconds = 600;
    };

    ScriptedAgentRelay() : ScriptedAgentRelay(Options{}) {}
    explicit ScriptedAgentRelay(Options options) : m_options(std::move(options))
    {
        sessionId = QStringLiteral("sess_") + QString::fromLatin1(crypto::Random::base62(22).value());
        token = QString::fromLatin1(crypto::Random::token(24).value());
        auto key = crypto::EcdhKeyPair::generate();
        m_agentPoint = key->publicPoint();
        m_secret = protocol::SecureChannelV2::makeViewerSecret().value();
        if (m_options.version == 1)
            m_channel = std::move(protocol::SecureChannelV1::create(protocol::ChannelRole::Agent, std::move(*key)).value());
        else
            m_channel = std::move(protocol::SecureChannelV2::createAgent(sessionId, std::move(*key), m_secret).value());

        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] { accept(); });
    }

    ~ScriptedAgentRelay()
    {
        if (m_viewer)
            m_viewer->abort();
        m_server.close();
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }

    // The session link the agent would print: <base>/s/<id>#t=<token>[&k=<fingerprint>][&s=<secret>].
    QString link() const
    {
        QString fragment = QStringLiteral("t=") + token;
        if (m_options.version == 2 && m_options.keyInLink) {
            QByteArray point = m_agentPoint;
            if (m_options.substituteKey)
                point = crypto::EcdhKeyPair::generate()->publicPoint();
            fragment += QStringLiteral("&k=")
                + QString::fromLatin1(protocol::SecureChannelV2::keyFingerprintB64Url(point));
        }
        if (m_options.version == 2 && m_options.secretInLink)
            fragment += QStringLiteral("&s=") + QString::fromLatin1(protocol::SecureChannelV2::linkValue(m_secret));
        return QStringLiteral("http://127.0.0.1:%1/s/%2#%3").arg(port()).arg(sessionId, fragment);
    }

    // Sends a frame of `image` as JPEG (encrypted in version 2).
    bool sendFrame(const QImage& image)
    {
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "JPG", 80);
        protocol::FrameMetadata meta;
        meta.deviceWidth = image.width();
        meta.deviceHeight = image.height();
        meta.jpegSize = jpeg.size();
        meta.timestamp = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        auto messages = m_channel->encryptFrame(meta, jpeg);
        if (!messages || !m_viewer)
            return false;
        for (const auto& message : *messages)
            send(message);
        return true;
    }

    void sendServerMessage(const QJsonObject& message)
    {
        if (m_viewer)
            m_viewer->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }

    void endSession(const QString& type)
    {
        sendServerMessage({{QStringLiteral("type"), type}});
        if (m_viewer)
            m_viewer->close();
    }

    // Cuts the viewer off without a close handshake, as a network failure would.
    void dropViewer()
    {
        if (m_viewer)
            m_viewer->abort();
    }

    // Closes the viewer's socket with a relay close code (4401, 4404, 4409, 4410).
    void closeViewer(quint16 code)
    {
        if (m_viewer)
            m_viewer->close(QWebSocketProtocol::CloseCode(code), QStringLiteral("closed by the test"));
    }

    QString sessionId;
    QString token;
    std::vector<protocol::InputEvent> inputs;
    std::vector<QJsonObject> controls;
    std::vector<QString> errors; // what the agent refused, by code
    int connections = 0;
    int viewerKeys = 0;

private:
    void accept()
    {
        while (QWebSocket* socket = m_server.nextPendingConnection()) {
            const QUrlQuery query(socket->requestUrl());
            const bool valid = socket->requestUrl().path() == QStringLiteral("/stream/") + sessionId
                && query.queryItemValue(QStringLiteral("role")) == QStringLiteral("viewer")
                && query.queryItemValue(QStringLiteral("token")) == token;
            if (!valid) {
                socket->close(QWebSocketProtocol::CloseCode(4401), QStringLiteral("bad token"));
                socket->deleteLater();
                continue;
            }
            if (m_viewer)
                m_viewer->deleteLater();
            m_viewer = socket;
            ++connections;
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [this](const QString& text) { receive(protocol::WireMessage::text(text.toUtf8())); });
            QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                             [this](const QByteArray& data) { receive(protocol::WireMessage::binary(data)); });
            QObject::connect(socket, &QWebSocket::disconnected, socket, [this, socket] {
                if (m_viewer == socket)
                    m_viewer = nullptr;
                socket->deleteLater();
            });

            const QJsonObject context{{QStringLiteral("url"), QStringLiteral("https://bank.example/login")},
                                      {QStringLiteral("blocker_type"), m_options.blockerType},
                                      {QStringLiteral("hint"), m_options.hint}};
            sendServerMessage({{QStringLiteral("type"), QStringLiteral("session_info")},
                               {QStringLiteral("session_id"), sessionId},
                               {QStringLiteral("service"),
                                m_options.relayService.isEmpty() ? m_options.service : m_options.relayService},
                               {QStringLiteral("context"), context},
                               {QStringLiteral("expires_at"),
                                QDateTime::currentDateTimeUtc().addSecs(m_options.ttlSeconds).toString(Qt::ISODate)}});
            sendServerMessage({{QStringLiteral("type"), QStringLiteral("agent_connected")}});
            socket->sendTextMessage(QString::fromUtf8(m_channel->pubkeyMessage()));
        }
    }

    void receive(const protocol::WireMessage& message)
    {
        const auto type = message.type == protocol::WireMessage::Type::Text
            ? protocol::V1Envelope::messageType(message.data)
            : Result<QString>(QString());
        if (type.ok() && *type == QStringLiteral("pubkey")) {
            ++viewerKeys;
            auto accepted = m_channel->acceptPeerKey(message.data);
            if (!accepted) {
                errors.push_back(accepted.error().code);
                return;
            }
            if (m_options.version == 1 || m_options.sendReady) {
                for (const auto& reply : accepted->replies)
                    send(reply);
            }
            return;
        }
        const bool wasReady = m_channel->isReady();
        auto incoming = m_channel->receive(message);
        if (!incoming) {
            errors.push_back(incoming.error().code);
            return;
        }
        for (const auto& reply : incoming->replies)
            send(reply);
        if (incoming->kind == protocol::Incoming::Kind::Handshake && !wasReady && m_channel->isReady())
            sendDescription();
        if (incoming->kind == protocol::Incoming::Kind::Input) {
            auto event = protocol::InputEventCodec::parse(incoming->plaintext);
            if (event)
                inputs.push_back(*event);
            else
                errors.push_back(event.error().code);
        } else if (incoming->kind == protocol::Incoming::Kind::Control) {
            controls.push_back(QJsonDocument::fromJson(incoming->plaintext).object());
        }
    }

    // The agent's own words, end-to-end encrypted (version 2).
    void sendDescription()
    {
        const QJsonObject context{{QStringLiteral("url"), QStringLiteral("https://bank.example/login")},
                                  {QStringLiteral("blocker_type"), m_options.blockerType},
                                  {QStringLiteral("hint"), m_options.hint}};
        const QJsonObject description{{QStringLiteral("type"), QStringLiteral("session_info")},
                                      {QStringLiteral("service"), m_options.service},
                                      {QStringLiteral("context"), context}};
        auto sealed = m_channel->encryptControl(QJsonDocument(description).toJson(QJsonDocument::Compact));
        if (sealed)
            send(*sealed);
    }

    void send(const protocol::WireMessage& message)
    {
        if (!m_viewer)
            return;
        if (message.type == protocol::WireMessage::Type::Text)
            m_viewer->sendTextMessage(QString::fromUtf8(message.data));
        else
            m_viewer->sendBinaryMessage(message.data);
    }

    Options m_options;
    QWebSocketServer m_server{QStringLiteral("scripted relay"), QWebSocketServer::NonSecureMode};
    QWebSocket* m_viewer = nullptr;
    QByteArray m_agentPoint;
    QByteArray m_secret;
    std::unique_ptr<protocol::SecureChannel> m_channel;
};

} // namespace handoff::test
