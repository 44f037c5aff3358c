#include "ui/Resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be called from the global namespace.
static void initHandoffResources()
{
    Q_INIT_RESOURCE(handoff);
}

namespace handoff::ui {

void Resources::initialize()
{
    static const bool done = [] {
        initHandoffResources();
        return true;
    }();
    Q_UNUSED(done);
}

QIcon Resources::appIcon()
{
    initialize();
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/handoff/icons/png/handoff-%1.png").arg(size), QSize(size, size));
    return icon;
}

QIcon Resources::lockIcon()
{
    initialize();
    // QIcon picks lock@2x.png by itself on a HiDPI screen.
    return QIcon(QStringLiteral(":/handoff/icons/png/lock.png"));
}

QIcon Resources::warningIcon()
{
    initialize();
    return QIcon(QStringLiteral(":/handoff/icons/png/warning.png"));
}

} // namespace handoff::ui
