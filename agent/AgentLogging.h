#pragma once

// Logging categories of the agent, one per area. Enable with QT_LOGGING_RULES,
// e.g. QT_LOGGING_RULES="handoff.cdp.debug=true". No category ever carries a
// token, a key, an input event's content or a frame.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcCdp)        // handoff.cdp: DevTools connection and commands
Q_DECLARE_LOGGING_CATEGORY(lcInput)      // handoff.input: input validation and dispatch
Q_DECLARE_LOGGING_CATEGORY(lcScreencast) // handoff.screencast: frames and viewport
Q_DECLARE_LOGGING_CATEGORY(lcAgent)      // handoff.agent: session lifecycle and relay
Q_DECLARE_LOGGING_CATEGORY(lcMcp)        // handoff.mcp: the MCP server
Q_DECLARE_LOGGING_CATEGORY(lcApproval)   // handoff.approval: the CIBA client (never a secret or token)
