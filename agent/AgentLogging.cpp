#include "agent/AgentLogging.h"

// Like every handoff.* category: info and warnings by default, debug lines (one
// per DevTools command) only on request, QT_LOGGING_RULES="handoff.*.debug=true".
Q_LOGGING_CATEGORY(lcCdp, "handoff.cdp", QtInfoMsg)
Q_LOGGING_CATEGORY(lcInput, "handoff.input", QtInfoMsg)
Q_LOGGING_CATEGORY(lcScreencast, "handoff.screencast", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAgent, "handoff.agent", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMcp, "handoff.mcp", QtInfoMsg)
// Quiet unless asked for (QT_LOGGING_RULES="handoff.approval.info=true"): approve
// speaks to the person on stderr itself, and its outcome says what went wrong.
Q_LOGGING_CATEGORY(lcApproval, "handoff.approval", QtWarningMsg)
