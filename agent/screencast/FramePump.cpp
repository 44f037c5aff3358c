#include "agent/screencast/FramePump.h"

#include <utility>

namespace handoff::agent {

FramePump::FramePump(BacklogFunction backlog, SendFunction send, QObject* parent)
    : QObject(parent)
    , m_backlog(std::move(backlog))
    , m_send(std::move(send))
{
}

FramePump::~FramePump() = default;

void FramePump::push(const ScreencastFrame& frame)
{
    if (!m_waiting && m_backlog() <= m_maxBacklog) {
        ++m_sent;
        m_send(frame);
        return;
    }
    if (m_waiting) {
        ++m_replaced;
    }
    m_waiting = frame;
    drained(); // the socket may have caught up since the last bytesWritten
}

void FramePump::drained()
{
    if (!m_waiting || m_backlog() > m_maxBacklog) {
        return;
    }
    ScreencastFrame frame = std::move(*m_waiting);
    m_waiting.reset();
    ++m_sent;
    m_send(frame);
}

void FramePump::clear()
{
    m_waiting.reset();
}

} // namespace handoff::agent
