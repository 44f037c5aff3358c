#pragma once

// How the protocol's parsers and channels make an Error: a stable code from a
// literal or a named constant, and a message for a person. One definition for
// the whole of core/protocol, so every file says it the same way.

#include "core/common/Result.h"

#include <QLatin1StringView>
#include <QString>

#include <utility>

namespace handoff::protocol {

inline Error makeError(QLatin1StringView code, QString message)
{
    return Error { QString(code), std::move(message) };
}

inline Error makeError(const char* code, QString message)
{
    return Error { QString::fromLatin1(code), std::move(message) };
}

inline Error makeError(const char* code, const char* message)
{
    return Error { QString::fromLatin1(code), QString::fromLatin1(message) };
}

// What every channel answers once it is closed.
inline Error closedError()
{
    return makeError("closed", QStringLiteral("The secure channel is closed."));
}

} // namespace handoff::protocol
