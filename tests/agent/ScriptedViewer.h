#pragma once

// A viewer as the desktop app would be, minus the window, for the agent's
// tests: the relay socket and core's SecureChannel (either version), and the
// parts of a session link it needs. It answers the key exchange and the
// handshake (confirming a SAS itself), counts the frames it decrypts, keeps the
// agent's session description, sends encrypted input and control messages, and
// records every byte it sent and received, to search them for secrets.
//
//   const LinkParts parts = parseLink(link);
//   ScriptedViewer viewer(parts.sessionId, parts.fingerprint, parts.secret);
//   viewer.open(server.streamUrl(parts.sessionId, "viewer", parts.token));
//   QTRY_VERIFY(viewer.isReady());
//   viewer.send(InputEvent::resolved());

#include "core/protocol/InputEvent.h"
#include "core/protocol/InputEventCodec.h"
#include "core/protocol/SecureChannel.h"
#include "core/protocol/SecureChannelV2.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>

#include <memory>

namespace handoff::test {

using protocol::InputEvent;
using protocol::InputEventCodec;
using protocol::SecureChannel;
using protocol::WireMessage;

class ScriptedViewer final : public QObject {
public:
    ScriptedViewer(QString sessionId, QByteArray fingerprint, QByteArray secret)
        : m_sessionId(std::move(sessionId))
        , m_fingerprint(std::move(fingerprint))
        , m_secret(std::move(secret))
    {
        m_socket.setMaxAllowedIncomingMessageSize(8 * 1024 * 1024);
        connect(&m_socket, &QWebSocket::textMessageReceived, this,
                [this](const QString& text) { onMessage(WireMessage::text(text.toUtf8())); });
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
                [this](const QByteArray& data) { onMessage(WireMessage::binary(data)); });
    }

    void open(const QUrl& url) { m_socket.open(url); }
    bool isReady() const { return m_channel && m_channel->isReady(); }
    int frames() const { return m_frames; }
    QString sas() const { return m_channel ? m_channel->sas() : QString(); }
    int version() const { return m_channel ? m_channel->version() : 0; }
    // The agent's own {"type":"session_info",...} (version 2), empty until it came.
    const QJsonObject& description() const { return m_description; }
    const QByteArray& sentBytes() const { return m_sent; }
    const QByteArray& receivedBytes() const { return m_received; }

    void send(const InputEvent& event)
    {
        auto wire = m_channel->encryptInput(InputEventCodec::serialize(event));
        QVERIFY(wire.ok());
        write(*wire);
    }
    void sendControl(const QByteArray& json)
    {
        auto wire = m_channel->encryptControl(json);
        QVERIFY(wire.ok());
        write(*wire);
    }

private:
    void write(const WireMessage& m)
    {
        m_sent += m.data;
        if (m.type == WireMessage::Type::Text) {
            m_socket.sendTextMessage(QString::fromUtf8(m.data));
        } else {
            m_socket.sendBinaryMessage(m.data);
        }
    }

    void onMessage(const WireMessage& m)
    {
        m_received += m.data;
        if (m.type == WireMessage::Type::Text) {
            const QJsonObject o = QJsonDocument::fromJson(m.data).object();
            if (o.value(QLatin1String("type")).toString() == QLatin1String("pubkey")) {
                if (!m_channel) {
                    auto channel = SecureChannel::createViewerFor(m.data, m_sessionId, m_fingerprint, m_secret);
                    QVERIFY2(channel.ok(), qPrintable(channel.ok() ? QString() : channel.error().message));
                    m_channel = std::move(channel).value();
                }
                auto accepted = m_channel->acceptPeerKey(m.data);
                QVERIFY2(accepted.ok(), qPrintable(accepted.ok() ? QString() : accepted.error().message));
                if (m_channel->needsSasConfirmation()) {
                    m_channel->confirmSas();
                }
                for (const WireMessage& reply : std::as_const(accepted->replies)) {
                    write(reply);
                }
                return;
            }
            if (o.contains(QLatin1String("type")) && o.value(QLatin1String("type")).toString() != QLatin1String("frame")
                && o.value(QLatin1String("type")).toString() != QLatin1String("encrypted")) {
                return; // relay control messages
            }
        }
        if (!m_channel) {
            return;
        }
        auto incoming = m_channel->receive(m);
        if (!incoming.ok()) {
            return;
        }
        for (const WireMessage& reply : std::as_const(incoming->replies)) {
            write(reply);
        }
        if (incoming->kind == protocol::Incoming::Kind::Handshake && m_channel->needsSasConfirmation()) {
            m_channel->confirmSas();
        }
        if (incoming->kind == protocol::Incoming::Kind::Frame) {
            ++m_frames;
        }
        if (incoming->kind == protocol::Incoming::Kind::Control) {
            const QJsonObject control = QJsonDocument::fromJson(incoming->plaintext).object();
            if (control.value(QLatin1String("type")).toString() == QLatin1String("session_info")) {
                m_description = control;
            }
        }
    }

    QWebSocket m_socket;
    QString m_sessionId;
    QByteArray m_fingerprint;
    QByteArray m_secret;
    std::unique_ptr<SecureChannel> m_channel;
    QJsonObject m_description;
    QByteArray m_sent;
    QByteArray m_received;
    int m_frames = 0;
};

struct LinkParts final {
    QString sessionId;
    QString token;
    QByteArray fingerprint; // raw 16 bytes, empty without k
    QByteArray secret;      // raw 16 bytes, empty without s
};

inline LinkParts parseLink(const QUrl& link)
{
    LinkParts parts;
    parts.sessionId = link.path().section(QLatin1Char('/'), -1);
    const QUrlQuery fragment(link.fragment(QUrl::FullyEncoded));
    parts.token = fragment.queryItemValue(QStringLiteral("t"), QUrl::FullyDecoded);
    const QString k = fragment.queryItemValue(QStringLiteral("k"), QUrl::FullyDecoded);
    if (!k.isEmpty()) {
        auto raw = protocol::SecureChannelV2::parseFingerprint(k.toLatin1());
        if (raw.ok()) {
            parts.fingerprint = *raw;
        }
    }
    const QString s = fragment.queryItemValue(QStringLiteral("s"), QUrl::FullyDecoded);
    if (!s.isEmpty()) {
        auto raw = protocol::SecureChannelV2::parseLinkValue(s.toLatin1());
        if (raw.ok()) {
            parts.secret = *raw;
        }
    }
    return parts;
}

} // namespace handoff::test
