#pragma once

// GET /s/<session_id>: the page a person's browser shows when they open a session
// link outside the desktop app. It explains what is happening and offers "Open in
// Handoff", a handoff:// link built in the browser from the address's fragment
// (viewer token, key fingerprint and viewer secret), which the browser does not
// send to the server. The page's own script comes from the server, though, so it
// says so plainly and points to the handoff:// link the agent prints, which never
// passes through here. Self-contained (inline CSS and script under a
// per-response CSP nonce), no external requests.

#include "server/http/HttpResponse.h"

namespace handoff::server {

class LandingPage final {
public:
    LandingPage() = delete;
    enum class State { Live, Ended, Unknown };
    static HttpResponse render(State state, const QString& sessionId, const QString& publicBase);
};

} // namespace handoff::server
