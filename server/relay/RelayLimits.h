#pragma once

// The relay's limits and timings (PROTOCOL section 2), and the close codes it uses.

#include <QtGlobal>

namespace handoff::server {

struct RelayLimits final {
    qint64 maxTextMessageBytes = 64 * 1024;
    qint64 maxBinaryMessageBytes = 4 * 1024 * 1024;
    int viewerMessagesPerSecond = 200;
    int pingIntervalMs = 15'000;
    int pongTimeoutMs = 45'000;
    int viewerKeyTimeoutMs = 10'000;
    // After a resolve the agent's socket stays open this long for the agent to
    // close it (PROTOCOL 2); then the relay closes it.
    int resolvedAgentGraceMs = 10'000;
    qint64 viewerBufferBytes = 256 * 1024;
    qint64 maxSocketBufferBytes = 32 * 1024 * 1024;
};

namespace CloseCode {
constexpr int Normal = 1000;
constexpr int GoingAway = 1001;
constexpr int PolicyViolation = 1008;
constexpr int TooBig = 1009;
constexpr int Unauthorized = 4401;   // wrong or missing token
constexpr int NotFound = 4404;       // unknown session or role
constexpr int Conflict = 4409;       // another viewer holds the session, or a second agent
constexpr int Gone = 4410;           // the session has ended
constexpr int RateLimited = 4429;    // viewer flood
} // namespace CloseCode

} // namespace handoff::server
