#pragma once

// Known-answer self-tests run at start-up by every program: if OpenSSL or our
// wrappers compute anything other than the published answers, nothing starts.

#include "core/common/Result.h"

namespace handoff::crypto {

class SelfTest final {
public:
    SelfTest() = delete;
    static Result<void> run();
};

} // namespace handoff::crypto
