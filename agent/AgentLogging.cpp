#include "agent/AgentLogging.h"

Q_LOGGING_CATEGORY(lcCdp, "handoff.cdp")
Q_LOGGING_CATEGORY(lcInput, "handoff.input")
Q_LOGGING_CATEGORY(lcScreencast, "handoff.screencast")
Q_LOGGING_CATEGORY(lcAgent, "handoff.agent")
Q_LOGGING_CATEGORY(lcMcp, "handoff.mcp")
