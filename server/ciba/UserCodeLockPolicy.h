#pragma once

// The numbers of the user_code lock, in one place: after `perUser` wrong codes
// for one person within `windowMs` (from any clients), no request that needs that
// person's code is taken for `lockMs`; after `perClient` wrong codes from one
// client within the window (for any people), that client may send no code for
// `lockMs`. ServerConfig takes its defaults from here and lets an operator (or a
// quick test) change them.

#include <QtGlobal>

namespace handoff::server {

struct UserCodeLockPolicy final {
    static constexpr int DefaultPerUser = 5;
    static constexpr int DefaultPerClient = 10;
    static constexpr int DefaultWindowMs = 15 * 60 * 1000;
    static constexpr int DefaultLockMs = 30 * 60 * 1000;

    int perUser = DefaultPerUser;
    int perClient = DefaultPerClient;
    int windowMs = DefaultWindowMs;
    int lockMs = DefaultLockMs;
};

} // namespace handoff::server
