#include "server/demo/DemoLogging.h"

namespace handoff::server {

Q_LOGGING_CATEGORY(lcDemo, "handoff.demo", QtInfoMsg)

} // namespace handoff::server
