#pragma once

// The window for one session: the agent's live browser (ScreencastView), a
// toolbar (back, forward, reload, zoom, and the two outcomes Done and Cancel),
// what the session is about (service, blocker, hint), how it is going
// (connection, time left) and how safe it is (a lock for a pinned version-2 key,
// the six digits to compare when the link had no key, a warning that stays for
// version 1). It shows what a ViewerSession delivers and hands it the person's
// input; it opens no connection of its own.
//
// When the session ends the window says how and closes itself after a moment,
// except after a key substitution: that explanation stays until the person
// closes it.

#include "core/session/ViewerSession.h"

#include <QMainWindow>
#include <QTimer>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace handoff::ui {

class FrameDecoder;
class ScreencastView;

class SessionWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionWindow)

public:
    static constexpr int CloseDelayMs = 5000;

    // Takes `session` over (it becomes a child of the window) but does not start it.
    explicit SessionWindow(session::ViewerSession* session, QWidget* parent = nullptr);
    ~SessionWindow() override;

    session::ViewerSession* session() const { return m_session; }
    ScreencastView* view() const { return m_view; }
    // "session_id" of the session, to find a window again.
    QString sessionId() const;
    // The line that names this session in menus: the service, or the id until known.
    QString title() const;

Q_SIGNALS:
    // The session ended; the window will close itself unless it shows an error.
    void sessionEnded(handoff::session::ViewerSession::EndReason reason);
    void titleChanged(const QString& title);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildToolBar();
    void buildCentralArea();
    void buildStatusBar();
    void connectSession();

    void onStateChanged(session::ViewerSession::State state);
    void onSessionInfo(const session::SessionInfo& info);
    void onProtocolVersion(int version);
    void onSasRequired(const QString& sas);
    void onEnded(session::ViewerSession::EndReason reason, const QString& message);
    void sendOutcome(bool resolved);
    void send(const protocol::InputEvent& event);
    void updateSecurity();
    void updateTimeLeft();
    void updateZoomBox();
    void showEndPage(const QString& title, const QString& message, bool autoClose);

    session::ViewerSession* m_session;
    FrameDecoder* m_decoder = nullptr;
    ScreencastView* m_view = nullptr;

    QAction* m_back = nullptr;
    QAction* m_forward = nullptr;
    QAction* m_reload = nullptr;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QComboBox* m_zoomBox = nullptr;
    QPushButton* m_done = nullptr;
    QPushButton* m_cancel = nullptr;

    QStackedWidget* m_pages = nullptr;
    QLabel* m_service = nullptr;
    QLabel* m_blocker = nullptr;
    QWidget* m_sasPanel = nullptr;
    QLabel* m_sasDigits = nullptr;
    QWidget* m_v1Warning = nullptr;
    QLabel* m_endIcon = nullptr;
    QLabel* m_endTitle = nullptr;
    QLabel* m_endMessage = nullptr;
    QPushButton* m_endClose = nullptr;

    QLabel* m_connection = nullptr;
    QLabel* m_timeLeft = nullptr;
    QLabel* m_securityIcon = nullptr;
    QLabel* m_security = nullptr;

    QTimer m_clock;
    QTimer m_closeTimer;
    bool m_firstFrame = true;
    bool m_channelProven = false; // reached Ready once: the keys are the ones the link names
};

} // namespace handoff::ui
