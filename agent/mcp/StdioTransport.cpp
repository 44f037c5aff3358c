#include "agent/mcp/StdioTransport.h"

#include "agent/AgentLogging.h"

#include <QJsonDocument>
#include <QSocketNotifier>

#include <cstdio>
#include <unistd.h>

namespace handoff::agent {

StdioTransport::StdioTransport(QObject* parent)
    : QObject(parent)
    , m_notifier(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &StdioTransport::onReadable);
}

StdioTransport::~StdioTransport() = default;

void StdioTransport::write(const QJsonObject& message)
{
    const QByteArray line = QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    std::fflush(stdout);
}

void StdioTransport::onReadable()
{
    char chunk[65536];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n <= 0) {
        m_notifier->setEnabled(false);
        Q_EMIT closed();
        return;
    }
    m_buffer.append(chunk, n);
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        if (m_discarding) {
            m_discarding = false;
            continue;
        }
        if (!line.trimmed().isEmpty()) {
            Q_EMIT messageReceived(line);
        }
    }
    if (m_buffer.size() > MaxLineBytes) {
        qCWarning(lcMcp) << "dropped an over-long MCP message";
        m_buffer.clear();
        m_discarding = true;
    }
}

} // namespace handoff::agent
