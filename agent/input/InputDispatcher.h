#pragma once

// Replays the person's decrypted input events (PROTOCOL section 5) into the
// page over CDP. Every event is validated (InputEventCodec) and rate-limited
// (InputRateLimiter) first; a rejected event is logged by type and reason only,
// never by content.
//
// Keyboard: keydown is rawKeyDown and keypress is char, the way a Windows
// browser delivers them, so a viewer that sends keydown + keypress + keyup
// types one character. A viewer that sends no keypress still types: the
// character of a printable keydown is delivered before the next event when no
// keypress claimed it. A keypress with no keydown before it (AuthLoop's viewer
// sends printable keys so) goes as keyDown with its text. Enter goes as keyDown
// with text "\r" (that is what submits a form), and the keypress "\r" after it
// is its own character, not a second one; Tab, Backspace, Delete and the arrows
// act through their virtual key codes.

#include "agent/input/KeyTable.h"
#include "core/protocol/InputEvent.h"
#include "core/protocol/InputRateLimiter.h"

#include <QByteArrayView>
#include <QElapsedTimer>
#include <QObject>

namespace handoff::agent {

class CdpClient;

class InputDispatcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InputDispatcher)

public:
    enum class Outcome {
        Dispatched, // replayed (or, for back/forward, being looked up)
        Rejected,   // broke a limit; nothing was sent
        Resolved,   // the person pressed Done: the session should end resolved
        Cancelled,  // the person gave up: the session should end cancelled
    };

    explicit InputDispatcher(CdpClient* cdp, QObject* parent = nullptr);
    ~InputDispatcher() override;

    // Parses one decrypted event (the plaintext JSON) and handles it.
    Outcome handleJson(QByteArrayView json);
    // Validates, rate-limits and replays one event.
    Outcome handle(const protocol::InputEvent& event);

    quint64 rejectedCount() const { return m_rejected; }
    quint64 dispatchedCount() const { return m_dispatched; }

Q_SIGNALS:
    // The person ended the session from the viewer (resolved = Done, else Cancel).
    void outcomeRequested(bool resolved);
    // An event was rejected: `reason` is a stable code, `type` the event type or
    // "unknown"; neither carries the content.
    void eventRejected(const QString& type, const QString& reason);

private:
    void dispatch(const protocol::InputEvent& event);
    void dispatchKeyDown(const protocol::InputEvent& event);
    void dispatchKeyUp(const protocol::InputEvent& event);
    void dispatchKeyPress(const protocol::InputEvent& event);
    void dispatchLoneKeyPress(const protocol::InputEvent& event);
    void flushPendingCharacter();
    void dispatchMouse(const QString& type, const protocol::InputEvent& event, const QString& button, int buttons,
                       int clickCount);
    void navigateHistory(int step);
    void send(const QString& method, const QJsonObject& params);
    Outcome reject(const QString& type, const QString& reason);

    CdpClient* m_cdp;
    protocol::InputRateLimiter m_limiter;
    QElapsedTimer m_clock;
    CdpKeyFields m_pendingKey;     // a printable keydown whose character no keypress claimed yet
    bool m_hasPendingKey = false;
    int m_pendingModifiers = 0;
    bool m_swallowKeyPress = false; // the last keydown typed its own text (Enter)
    int m_keyboardModifiers = 0;    // from the latest key event, for shift-click and the like
    int m_pressedButtons = 0;       // CDP buttons bits held down by mousedown
    quint64 m_rejected = 0;
    quint64 m_dispatched = 0;
};

} // namespace handoff::agent
