#include "server/http/DeferredResponse.h"

namespace handoff::server {

DeferredResponse::~DeferredResponse() = default;

void DeferredResponse::resolve(const HttpResponse& response)
{
    if (m_response) {
        return;
    }
    HttpResponse answer = response;
    answer.deferred.reset(); // an answer is final: it does not defer again
    m_response = std::move(answer);
    Q_EMIT resolved();
}

} // namespace handoff::server
