#pragma once

// Windows lets only the process the person is using bring a window to the front.
// A second `handoff <link>`, started by the browser the person just clicked in,
// holds that right; the running Handoff, which opens the link, does not. So the
// second instance hands the right over before it passes the link on, and the
// first one's raise() really comes to the front instead of flashing in the
// taskbar. Nothing to do on other systems.

namespace handoff::app::platform {

// Lets any process (in practice: the running Handoff we are about to message)
// take the foreground once. Harmless when we have no foreground right ourselves.
void allowOtherInstanceToTakeForeground();

} // namespace handoff::app::platform
