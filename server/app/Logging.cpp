#include "server/app/Logging.h"

namespace handoff::server {

Q_LOGGING_CATEGORY(lcHttp, "handoff.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelay, "handoff.relay", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "handoff.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSession, "handoff.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "handoff.server", QtInfoMsg)

} // namespace handoff::server
