#include "app/platform/ForegroundPermission.h"

#include <QtGlobal>

#if defined(Q_OS_WIN)
#include <windows.h>
#endif

namespace handoff::app::platform {

void allowOtherInstanceToTakeForeground()
{
#if defined(Q_OS_WIN)
    // ASFW_ANY: the primary's process id is not known here, and the permission is
    // used up by the first SetForegroundWindow, which is the primary's raise().
    AllowSetForegroundWindow(ASFW_ANY);
#endif
}

} // namespace handoff::app::platform
