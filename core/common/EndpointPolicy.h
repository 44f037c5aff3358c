#pragma once

// Where a secret may be sent: the one rule for every URL that client secrets,
// tokens or notifications travel to (the agent's CIBA server and the endpoints
// it advertises, the server's ping and push endpoints). Pure.

class QUrl;

namespace handoff {

class EndpointPolicy final {
public:
    EndpointPolicy() = delete;
    // https to any host, or http only to a loopback host (127.0.0.0/8, ::1,
    // localhost) for development and tests; never with user info or a fragment.
    static bool isAcceptable(const QUrl& url);
};

} // namespace handoff
