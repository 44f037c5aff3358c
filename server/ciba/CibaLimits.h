#pragma once

// The limits the CIBA OP holds clients to, as ServerConfig sets them: the
// prompt-bombing block, the user_code lock, and how many backchannel requests one
// client may make a minute.

#include "server/ciba/DenialBlockPolicy.h"
#include "server/ciba/UserCodeLockPolicy.h"

namespace handoff::server {

struct CibaLimits final {
    static constexpr int DefaultRequestsPerMinute = 60;

    DenialBlockPolicy denialBlock;
    UserCodeLockPolicy userCodeLock;
    int requestsPerMinute = DefaultRequestsPerMinute; // POST /bc-authorize per client
};

} // namespace handoff::server
