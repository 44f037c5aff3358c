#pragma once

// The client side of `handoff-agent mcp` over stdio for tests: starts the
// program, writes JSON-RPC messages one per line, and reads the answers,
// keeping the notifications (progress) that arrive in between. The event loop
// turns while it waits.

#include "tests/support/FuzzSeed.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>

namespace handoff::test {

class McpClient final {
public:
    McpClient() = default;
    ~McpClient()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    Q_DISABLE_COPY_MOVE(McpClient)

    bool start(const QString& program, const QProcessEnvironment& env, const QStringList& extraArguments = {})
    {
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(program, QStringList{QStringLiteral("mcp")} + extraArguments);
        return m_process.waitForStarted();
    }
    void send(const QJsonObject& message)
    {
        const QByteArray line = QJsonDocument(message).toJson(QJsonDocument::Compact);
        testutil::recordFuzzSeed("mcp", line);
        m_process.write(line + '\n');
    }
    qint64 request(const QString& method, const QJsonObject& params)
    {
        const qint64 id = ++m_nextId;
        send(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("id"), id},
                         {QStringLiteral("method"), method}, {QStringLiteral("params"), params}});
        return id;
    }
    // Reads until the response to `id` arrives; notifications and other responses are collected.
    QJsonObject waitFor(qint64 id, int timeoutMs = 60000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            while (m_process.canReadLine()) {
                const QJsonObject m = QJsonDocument::fromJson(m_process.readLine()).object();
                if (m.contains(QLatin1String("method"))) {
                    notifications.append(m);
                } else if (m.value(QLatin1String("id")).toInteger() == id) {
                    return m;
                } else {
                    responses.append(m);
                }
            }
            m_process.waitForReadyRead(50);
            QCoreApplication::processEvents();
        }
        return {};
    }
    void pump()
    {
        QCoreApplication::processEvents();
        while (m_process.canReadLine()) {
            const QJsonObject m = QJsonDocument::fromJson(m_process.readLine()).object();
            if (m.contains(QLatin1String("method"))) {
                notifications.append(m);
            } else {
                responses.append(m);
            }
        }
    }
    void closeInput() { m_process.closeWriteChannel(); }
    QProcess& process() { return m_process; }
    QList<QJsonObject> notifications;
    QList<QJsonObject> responses;

private:
    QProcess m_process;
    qint64 m_nextId = 0;
};

} // namespace handoff::test
