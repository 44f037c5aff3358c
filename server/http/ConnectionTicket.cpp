#include "server/http/ConnectionTicket.h"

namespace handoff::server {

ConnectionTicket::ConnectionTicket(std::shared_ptr<ConnectionLimiter> limiter, QHostAddress peer, QObject* socket)
    : QObject(socket)
    , m_limiter(std::move(limiter))
    , m_peer(std::move(peer))
{
}

ConnectionTicket::~ConnectionTicket()
{
    m_limiter->release(m_peer);
}

} // namespace handoff::server
