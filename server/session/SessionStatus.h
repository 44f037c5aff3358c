#pragma once

// The states of a session (PROTOCOL section 1). The last four are terminal and
// never change again.

#include <QString>

#include <optional>

namespace handoff::server {

enum class SessionStatus { Pending, Active, Resolved, Cancelled, Timeout, Error };

inline QString toString(SessionStatus status)
{
    switch (status) {
    case SessionStatus::Pending: return QStringLiteral("PENDING");
    case SessionStatus::Active: return QStringLiteral("ACTIVE");
    case SessionStatus::Resolved: return QStringLiteral("RESOLVED");
    case SessionStatus::Cancelled: return QStringLiteral("CANCELLED");
    case SessionStatus::Timeout: return QStringLiteral("TIMEOUT");
    case SessionStatus::Error: return QStringLiteral("ERROR");
    }
    return QStringLiteral("ERROR");
}

inline std::optional<SessionStatus> sessionStatusFromString(const QString& text)
{
    for (const auto status : {SessionStatus::Pending, SessionStatus::Active, SessionStatus::Resolved,
                              SessionStatus::Cancelled, SessionStatus::Timeout, SessionStatus::Error}) {
        if (toString(status) == text) {
            return status;
        }
    }
    return std::nullopt;
}

inline bool isTerminal(SessionStatus status)
{
    return status != SessionStatus::Pending && status != SessionStatus::Active;
}

inline constexpr SessionStatus allSessionStatuses[] = {SessionStatus::Pending,   SessionStatus::Active,
                                                       SessionStatus::Resolved,  SessionStatus::Cancelled,
                                                       SessionStatus::Timeout,   SessionStatus::Error};

} // namespace handoff::server
