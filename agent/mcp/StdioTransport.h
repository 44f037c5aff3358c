#pragma once

// MCP's stdio transport: newline-delimited JSON-RPC messages on stdin, replies
// on stdout (nothing else is ever written there; logs go to stderr).

#include <QByteArray>
#include <QJsonObject>
#include <QObject>

class QSocketNotifier;

namespace handoff::agent {

class StdioTransport final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StdioTransport)

public:
    static constexpr qsizetype MaxLineBytes = 1024 * 1024;

    explicit StdioTransport(QObject* parent = nullptr);
    ~StdioTransport() override;

    static void write(const QJsonObject& message);

Q_SIGNALS:
    void messageReceived(const QByteArray& json);
    void closed();

private:
    void onReadable();

    QSocketNotifier* m_notifier;
    QByteArray m_buffer;
    bool m_discarding = false; // inside an over-long line
};

} // namespace handoff::agent
