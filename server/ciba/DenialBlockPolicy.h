#pragma once

// The numbers of the prompt-bombing block, in one place: after `denials` denials
// by one user of one client's requests within `windowMs`, that client may not ask
// that user again for `blockMs`. ServerConfig takes its defaults from here and
// lets an operator (or a quick test) change them.

#include <QtGlobal>

namespace handoff::server {

struct DenialBlockPolicy final {
    static constexpr int DefaultDenials = 3;
    static constexpr int DefaultWindowMs = 10 * 60 * 1000;
    static constexpr int DefaultBlockMs = 30 * 60 * 1000;

    int denials = DefaultDenials;
    int windowMs = DefaultWindowMs;
    int blockMs = DefaultBlockMs;
};

} // namespace handoff::server
