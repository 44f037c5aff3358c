#pragma once

// An answer a handler cannot give at once because it waits for work done on
// another thread (the user_code derivation of /bc-authorize). The handler returns
// HttpResponse::later(deferred) and calls resolve() once the answer is known, on
// the server's thread. The connection reads no further request until then, so
// pipelined answers keep their order; an answer that never comes is cut off by
// the connection's request timeout.

#include "server/http/HttpResponse.h"

#include <QObject>

#include <optional>

namespace handoff::server {

class DeferredResponse final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeferredResponse)

public:
    DeferredResponse() = default;
    ~DeferredResponse() override;

    // Only the first call counts.
    void resolve(const HttpResponse& response);
    // The answer, once resolved.
    const std::optional<HttpResponse>& response() const { return m_response; }

Q_SIGNALS:
    void resolved();

private:
    std::optional<HttpResponse> m_response;
};

} // namespace handoff::server
