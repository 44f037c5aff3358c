#include "app/AppSettings.h"

#include <QSettings>

namespace handoff::app {

namespace {
const QString CloseToTrayKey = QStringLiteral("window/closeToTray");
}

AppSettings::AppSettings(QSettings* settings, QObject* parent) : QObject(parent), m_settings(settings) {}

bool AppSettings::closeToTray() const
{
    return m_settings->value(CloseToTrayKey, true).toBool();
}

void AppSettings::setCloseToTray(bool enabled)
{
    if (enabled == closeToTray())
        return;
    m_settings->setValue(CloseToTrayKey, enabled);
    m_settings->sync();
    Q_EMIT changed();
}

} // namespace handoff::app
