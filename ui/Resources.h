#pragma once

// The icons embedded from resources/handoff.qrc. The resource lives in a static
// library, so it must be registered explicitly before first use; every accessor
// does that once.

#include <QIcon>

namespace handoff::ui {

class Resources final {
public:
    Resources() = delete;
    static void initialize();
    static QIcon appIcon();
    static QIcon lockIcon();
    static QIcon warningIcon();
};

} // namespace handoff::ui
