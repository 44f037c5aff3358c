#include "agent/input/InputDispatcher.h"

#include "agent/AgentLogging.h"
#include "agent/cdp/CdpClient.h"
#include "core/protocol/InputEventCodec.h"

#include <QJsonArray>
#include <QPointer>

namespace handoff::agent {

using protocol::InputEvent;
using protocol::InputEventCodec;
using protocol::InputEventType;
using protocol::InputRateLimiter;
using protocol::MouseButton;

namespace {

int buttonBit(MouseButton button)
{
    switch (button) {
    case MouseButton::Left:
        return InputEvent::ButtonsLeft;
    case MouseButton::Right:
        return InputEvent::ButtonsRight;
    case MouseButton::Middle:
        return InputEvent::ButtonsMiddle;
    case MouseButton::Back:
        return InputEvent::ButtonsBack;
    case MouseButton::Forward:
        return InputEvent::ButtonsForward;
    case MouseButton::None:
        break;
    }
    return 0;
}

} // namespace

InputDispatcher::InputDispatcher(CdpClient* cdp, QObject* parent)
    : QObject(parent)
    , m_cdp(cdp)
{
    m_clock.start();
}

InputDispatcher::~InputDispatcher() = default;

InputDispatcher::Outcome InputDispatcher::handleJson(QByteArrayView json)
{
    Result<InputEvent> event = InputEventCodec::parse(json);
    if (!event) {
        return reject(QStringLiteral("unknown"), event.error().code);
    }
    return handle(*event);
}

InputDispatcher::Outcome InputDispatcher::handle(const InputEvent& event)
{
    const Result<void> valid = InputEventCodec::validate(event);
    if (!valid) {
        return reject(event.describe(), valid.error().code);
    }
    switch (m_limiter.check(event, m_clock.elapsed())) {
    case InputRateLimiter::Verdict::Allowed:
        break;
    case InputRateLimiter::Verdict::TooManyKeystrokes:
        return reject(event.describe(), QStringLiteral("too_many_keystrokes"));
    case InputRateLimiter::Verdict::TooManyClicks:
        return reject(event.describe(), QStringLiteral("too_many_clicks"));
    }
    switch (event.type()) {
    case InputEventType::Resolved:
        flushPendingCharacter();
        Q_EMIT outcomeRequested(true);
        return Outcome::Resolved;
    case InputEventType::Cancelled:
        flushPendingCharacter();
        Q_EMIT outcomeRequested(false);
        return Outcome::Cancelled;
    default:
        break;
    }
    dispatch(event);
    ++m_dispatched;
    return Outcome::Dispatched;
}

InputDispatcher::Outcome InputDispatcher::reject(const QString& type, const QString& reason)
{
    ++m_rejected;
    qCWarning(lcInput).noquote() << "rejected an input event: type" << type << "reason" << reason;
    Q_EMIT eventRejected(type, reason);
    return Outcome::Rejected;
}

void InputDispatcher::send(const QString& method, const QJsonObject& params)
{
    m_cdp->send(method, params, [method](const Result<QJsonObject>& result) {
        if (!result) {
            // The CDP message may echo parameters back: log only the method and code.
            qCWarning(lcInput).noquote() << method << "failed:" << result.error().code;
        }
    });
}

void InputDispatcher::dispatch(const InputEvent& event)
{
    const InputEventType type = event.type();
    if (type != InputEventType::KeyPress) {
        flushPendingCharacter();
    }
    if (type != InputEventType::KeyPress && type != InputEventType::KeyDown) {
        m_swallowKeyPress = false;
    }
    switch (type) {
    case InputEventType::KeyDown:
        dispatchKeyDown(event);
        return;
    case InputEventType::KeyUp:
        dispatchKeyUp(event);
        return;
    case InputEventType::KeyPress:
        dispatchKeyPress(event);
        return;
    case InputEventType::Click:
    case InputEventType::DblClick: {
        const MouseButton button = event.button().value_or(MouseButton::Left);
        const int count = event.clickCount().value_or(type == InputEventType::DblClick ? 2 : 1);
        const QString name = InputEvent::buttonName(button);
        dispatchMouse(QStringLiteral("mouseMoved"), event, QStringLiteral("none"), m_pressedButtons, 0);
        dispatchMouse(QStringLiteral("mousePressed"), event, name, m_pressedButtons | buttonBit(button), count);
        dispatchMouse(QStringLiteral("mouseReleased"), event, name, m_pressedButtons, count);
        return;
    }
    case InputEventType::MouseDown: {
        const MouseButton button = event.button().value_or(MouseButton::Left);
        m_pressedButtons = event.buttons().value_or(m_pressedButtons | buttonBit(button));
        dispatchMouse(QStringLiteral("mousePressed"), event, InputEvent::buttonName(button), m_pressedButtons,
                      event.clickCount().value_or(1));
        return;
    }
    case InputEventType::MouseUp: {
        const MouseButton button = event.button().value_or(MouseButton::Left);
        m_pressedButtons = event.buttons().value_or(m_pressedButtons & ~buttonBit(button));
        dispatchMouse(QStringLiteral("mouseReleased"), event, InputEvent::buttonName(button), m_pressedButtons,
                      event.clickCount().value_or(1));
        return;
    }
    case InputEventType::MouseMove: {
        if (event.buttons()) {
            m_pressedButtons = *event.buttons();
        }
        // CDP wants the button that is down during a drag, else "none".
        MouseButton button = event.button().value_or(MouseButton::None);
        if (button == MouseButton::None) {
            if (m_pressedButtons & InputEvent::ButtonsLeft) {
                button = MouseButton::Left;
            } else if (m_pressedButtons & InputEvent::ButtonsRight) {
                button = MouseButton::Right;
            } else if (m_pressedButtons & InputEvent::ButtonsMiddle) {
                button = MouseButton::Middle;
            }
        }
        dispatchMouse(QStringLiteral("mouseMoved"), event, InputEvent::buttonName(button), m_pressedButtons, 0);
        return;
    }
    case InputEventType::Scroll:
        send(QStringLiteral("Input.dispatchMouseEvent"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("mouseWheel")},
                         {QStringLiteral("x"), event.x()},
                         {QStringLiteral("y"), event.y()},
                         {QStringLiteral("deltaX"), event.deltaX()},
                         {QStringLiteral("deltaY"), event.deltaY()},
                         {QStringLiteral("modifiers"), m_keyboardModifiers}});
        return;
    case InputEventType::Paste:
        send(QStringLiteral("Input.insertText"), QJsonObject{{QStringLiteral("text"), event.text()}});
        return;
    case InputEventType::Ime:
        if (event.commit()) {
            send(QStringLiteral("Input.insertText"), QJsonObject{{QStringLiteral("text"), event.text()}});
        } else {
            const auto length = static_cast<int>(event.text().size());
            send(QStringLiteral("Input.imeSetComposition"),
                 QJsonObject{{QStringLiteral("text"), event.text()},
                             {QStringLiteral("selectionStart"), event.selectionStart().value_or(length)},
                             {QStringLiteral("selectionEnd"), event.selectionEnd().value_or(length)}});
        }
        return;
    case InputEventType::Back:
        navigateHistory(-1);
        return;
    case InputEventType::Forward:
        navigateHistory(+1);
        return;
    case InputEventType::Reload:
        send(QStringLiteral("Page.reload"), QJsonObject{});
        return;
    case InputEventType::Resolved:
    case InputEventType::Cancelled:
        return; // handled by handle()
    }
}

void InputDispatcher::dispatchKeyDown(const InputEvent& event)
{
    m_keyboardModifiers = event.modifiers();
    m_swallowKeyPress = false;
    const CdpKeyFields fields = KeyTable::resolve(event.key(), event.code(), event.modifiers());
    if (fields.text.isEmpty()) {
        QJsonObject params = KeyTable::params(QStringLiteral("rawKeyDown"), fields, event.modifiers());
        const QString command = KeyTable::editingCommand(fields, event.modifiers());
        if (!command.isEmpty()) {
            params.insert(QStringLiteral("commands"), QJsonArray{command});
        }
        send(QStringLiteral("Input.dispatchKeyEvent"), params);
        return;
    }
    if (!KeyTable::isPrintableCharacter(fields.text)) {
        // Enter: keyDown with "\r" makes Blink's keypress that submits forms.
        send(QStringLiteral("Input.dispatchKeyEvent"),
             KeyTable::params(QStringLiteral("keyDown"), fields, event.modifiers()));
        m_swallowKeyPress = true;
        return;
    }
    send(QStringLiteral("Input.dispatchKeyEvent"),
         KeyTable::params(QStringLiteral("rawKeyDown"), fields, event.modifiers()));
    m_pendingKey = fields;
    m_pendingModifiers = event.modifiers();
    m_hasPendingKey = true;
}

void InputDispatcher::dispatchKeyPress(const InputEvent& event)
{
    if (m_swallowKeyPress) {
        m_swallowKeyPress = false;
        return; // its keydown already typed it
    }
    if (!m_hasPendingKey) {
        dispatchLoneKeyPress(event);
        return;
    }
    CdpKeyFields fields = m_pendingKey;
    const int modifiers = m_pendingModifiers;
    m_hasPendingKey = false;
    // The keypress carries what the person's layout typed: that is the text.
    fields.text = event.key();
    if (fields.unmodifiedText.isEmpty()) {
        fields.unmodifiedText = fields.text;
    }
    send(QStringLiteral("Input.dispatchKeyEvent"), KeyTable::params(QStringLiteral("char"), fields, modifiers));
}

void InputDispatcher::dispatchLoneKeyPress(const InputEvent& event)
{
    // No keydown came first: the keypress stands for the whole key press, as
    // AuthLoop's viewer sends it (the version-1 app too). keyDown with text gives
    // the page keydown, keypress and the character, as a real key would.
    const bool enter = event.key() == QString(InputEventCodec::EnterCharacter);
    const QString key = enter ? QStringLiteral("Enter") : event.key();
    m_keyboardModifiers = event.modifiers();
    CdpKeyFields fields = KeyTable::resolve(key, event.code(), event.modifiers());
    if (!enter) {
        fields.text = event.key();
        if (fields.unmodifiedText.isEmpty()) {
            fields.unmodifiedText = fields.text;
        }
    }
    send(QStringLiteral("Input.dispatchKeyEvent"),
         KeyTable::params(QStringLiteral("keyDown"), fields, event.modifiers()));
}

void InputDispatcher::flushPendingCharacter()
{
    if (!m_hasPendingKey) {
        return;
    }
    m_hasPendingKey = false;
    send(QStringLiteral("Input.dispatchKeyEvent"),
         KeyTable::params(QStringLiteral("char"), m_pendingKey, m_pendingModifiers));
}

void InputDispatcher::dispatchKeyUp(const InputEvent& event)
{
    m_keyboardModifiers = event.modifiers();
    const CdpKeyFields fields = KeyTable::resolve(event.key(), event.code(), event.modifiers());
    send(QStringLiteral("Input.dispatchKeyEvent"), KeyTable::params(QStringLiteral("keyUp"), fields, event.modifiers()));
}

void InputDispatcher::dispatchMouse(const QString& type, const InputEvent& event, const QString& button, int buttons,
                                    int clickCount)
{
    QJsonObject params{
        {QStringLiteral("type"), type},
        {QStringLiteral("x"), event.x()},
        {QStringLiteral("y"), event.y()},
        {QStringLiteral("button"), button},
        {QStringLiteral("buttons"), buttons},
        {QStringLiteral("modifiers"), m_keyboardModifiers},
    };
    if (clickCount > 0) {
        params.insert(QStringLiteral("clickCount"), clickCount);
    }
    send(QStringLiteral("Input.dispatchMouseEvent"), params);
}

void InputDispatcher::navigateHistory(int step)
{
    QPointer<InputDispatcher> self(this);
    m_cdp->send(QStringLiteral("Page.getNavigationHistory"), QJsonObject{},
                [self, step](const Result<QJsonObject>& history) {
                    if (!self) {
                        return;
                    }
                    if (!history) {
                        qCWarning(lcInput).noquote() << "Page.getNavigationHistory failed:" << history.error().code;
                        return;
                    }
                    const int current = history->value(QLatin1String("currentIndex")).toInt();
                    const QJsonArray entries = history->value(QLatin1String("entries")).toArray();
                    const int target = current + step;
                    if (target < 0 || target >= entries.size()) {
                        qCInfo(lcInput) << "no history entry to go" << (step < 0 ? "back" : "forward") << "to";
                        return;
                    }
                    const int entryId = entries.at(target).toObject().value(QLatin1String("id")).toInt();
                    self->send(QStringLiteral("Page.navigateToHistoryEntry"),
                               QJsonObject{{QStringLiteral("entryId"), entryId}});
                });
}

} // namespace handoff::agent
