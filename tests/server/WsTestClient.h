#pragma once

// A QWebSocket for tests that records everything it receives, in order, with its
// kind, and how it closed.

#include "tests/support/FuzzSeed.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QSslConfiguration>
#include <QWebSocket>

#include <optional>

namespace handoff::test {

class WsTestClient final : public QObject {
public:
    struct Message final {
        bool binary = false;
        QString text;
        QByteArray data;
        QString type() const
        {
            return binary ? QString() : QJsonDocument::fromJson(text.toUtf8()).object().value(QStringLiteral("type")).toString();
        }
        QJsonObject json() const { return QJsonDocument::fromJson(text.toUtf8()).object(); }
    };

    explicit WsTestClient(const QUrl& url, const std::optional<QSslConfiguration>& tls = std::nullopt) : QObject(nullptr)
    {
        if (tls) {
            socket.setSslConfiguration(*tls);
        }
        connect(&socket, &QWebSocket::connected, this, [this] { connected = true; });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            disconnected = true;
            closeCode = socket.closeCode();
            closeReason = socket.closeReason();
        });
        const char* seedTarget = url.path() == QLatin1String("/device") ? "device_channel" : "relay_message";
        connect(&socket, &QWebSocket::textMessageReceived, this, [this, seedTarget](const QString& text) {
            testutil::recordFuzzSeed(seedTarget, text);
            messages.append(Message{false, text, {}});
        });
        connect(&socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& data) {
            if (data.size() <= 4096) {
                testutil::recordFuzzSeed("v2_record", data, QByteArrayView("\0", 1));
            }
            messages.append(Message{true, {}, data});
        });
        socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
        socket.setMaxAllowedIncomingFrameSize(64 * 1024 * 1024);
        socket.open(url);
    }

    ~WsTestClient() override
    {
        // A QWebSocket destroyed while connected leaks its close reason (Qt 6.4).
        disconnect(&socket, nullptr, this, nullptr);
        if (socket.state() != QAbstractSocket::UnconnectedState) {
            socket.abort();
        }
    }
    Q_DISABLE_COPY_MOVE(WsTestClient)

    bool waitConnected(int ms = 10'000)
    {
        return QTest::qWaitFor([this] { return connected || disconnected; }, ms) && connected;
    }
    bool waitClosed(int ms = 10'000)
    {
        return QTest::qWaitFor([this] { return disconnected; }, ms);
    }
    bool waitForCount(qsizetype count, int ms = 10'000)
    {
        return QTest::qWaitFor([this, count] { return messages.size() >= count; }, ms);
    }
    // Waits for a text message of this type; returns its index or -1.
    qsizetype waitForType(const QString& type, int ms = 10'000)
    {
        qsizetype found = -1;
        const bool done = QTest::qWaitFor([&] {
            found = indexOfType(type);
            return found >= 0 || disconnected;
        }, ms);
        Q_UNUSED(done);
        if (found < 0) {
            found = indexOfType(type);
        }
        return found;
    }
    qsizetype indexOfType(const QString& type, qsizetype from = 0) const
    {
        for (qsizetype i = from; i < messages.size(); ++i) {
            if (messages.at(i).type() == type) {
                return i;
            }
        }
        return -1;
    }
    QStringList types() const
    {
        QStringList out;
        for (const auto& message : messages) {
            out.append(message.binary ? QStringLiteral("<binary %1>").arg(message.data.size()) : message.type());
        }
        return out;
    }

    QWebSocket socket;
    QList<Message> messages;
    bool connected = false;
    bool disconnected = false;
    int closeCode = -1;
    QString closeReason;
};

} // namespace handoff::test
