#include "agent/AgentLogging.h"

Q_LOGGING_CATEGORY(lcCdp, "handoff.cdp")
Q_LOGGING_CATEGORY(lcInput, "handoff.input")
Q_LOGGING_CATEGORY(lcScreencast, "handoff.screencast")
Q_LOGGING_CATEGORY(lcAgent, "handoff.agent")
Q_LOGGING_CATEGORY(lcMcp, "handoff.mcp")
// Quiet unless asked for (QT_LOGGING_RULES="handoff.approval.info=true"): approve
// speaks to the person on stderr itself, and its outcome says what went wrong.
Q_LOGGING_CATEGORY(lcApproval, "handoff.approval", QtWarningMsg)
