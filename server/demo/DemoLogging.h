#pragma once

// handoff.demo: the demo bank's own log category. It records steps of a sign-in,
// never a password, a one-time code or a cookie.

#include <QLoggingCategory>

namespace handoff::server {

Q_DECLARE_LOGGING_CATEGORY(lcDemo)

} // namespace handoff::server
