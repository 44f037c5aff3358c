#pragma once

// One logging category per area of the server. Enable with QT_LOGGING_RULES,
// e.g. "handoff.relay.debug=true". No line ever holds a token, key or payload.

#include <QLoggingCategory>

namespace handoff::server {

Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcRelay)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcSession)
Q_DECLARE_LOGGING_CATEGORY(lcServer)

} // namespace handoff::server
