#pragma once

// The app's own settings, kept in QSettings (per user). Only what the Settings
// dialog offers lives here; trusted servers have their own class.

#include <QObject>

class QSettings;

namespace handoff::app {

class AppSettings final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppSettings)

public:
    // `settings` must outlive this object.
    explicit AppSettings(QSettings* settings, QObject* parent = nullptr);

    // Closing a session window keeps the app running in the system tray.
    bool closeToTray() const;
    void setCloseToTray(bool enabled);

    QSettings* store() const { return m_settings; }

Q_SIGNALS:
    void changed();

private:
    QSettings* m_settings;
};

} // namespace handoff::app
