#pragma once

// The sessions open in this app, one window each. Opening a link for a session
// that already has a window raises that window instead of connecting twice.

#include "core/protocol/SessionLink.h"
#include "core/session/ViewerSession.h"

#include <QList>
#include <QObject>

namespace handoff::ui {
class SessionWindow;
}

namespace handoff::app {

class SessionManager final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionManager)

public:
    explicit SessionManager(QObject* parent = nullptr);
    ~SessionManager() override;

    // Shows a window for `session` (taken over) and starts it unless it already runs.
    ui::SessionWindow* show(session::ViewerSession* session);
    ui::SessionWindow* find(const QString& sessionId) const;
    QList<ui::SessionWindow*> windows() const;
    bool anyWindowVisible() const;
    // Brings the newest window to the front; false when there is none.
    bool raiseNewest();

    static void raise(QWidget* window);

Q_SIGNALS:
    void sessionsChanged();

private:
    struct Entry final {
        QObject* object; // the same window as a QObject, to recognise it in destroyed()
        ui::SessionWindow* window;
    };
    // Windows delete themselves when closed; destroyed() removes them here first.
    QList<Entry> m_windows;
};

} // namespace handoff::app
