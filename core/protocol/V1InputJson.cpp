#include "core/protocol/V1InputJson.h"

#include "core/protocol/InputEventCodec.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace handoff::protocol {

namespace {

// AuthLoop's viewer rounds its page coordinates (Math.round: halves up).
double wholePixels(double value)
{
    return std::floor(value + 0.5);
}

QJsonObject keyboardFields(const InputEvent& event)
{
    QJsonObject object {
        { QStringLiteral("type"), event.describe() },   { QStringLiteral("key"), event.key() },
        { QStringLiteral("altKey"), event.altKey() },   { QStringLiteral("ctrlKey"), event.ctrlKey() },
        { QStringLiteral("metaKey"), event.metaKey() }, { QStringLiteral("shiftKey"), event.shiftKey() },
    };
    if (!event.code().isEmpty())
        object.insert(QStringLiteral("code"), event.code());
    return object;
}

} // namespace

QByteArray V1InputJson::serialize(const InputEvent& event)
{
    QJsonObject object;
    switch (event.type()) {
    case InputEventType::Click:
        object = { { QStringLiteral("type"), event.describe() },
                   { QStringLiteral("x"), wholePixels(event.x()) },
                   { QStringLiteral("y"), wholePixels(event.y()) },
                   { QStringLiteral("button"), InputEvent::buttonName(event.button().value_or(MouseButton::Left)) } };
        break;
    case InputEventType::DblClick:
        object = { { QStringLiteral("type"), event.describe() },
                   { QStringLiteral("x"), wholePixels(event.x()) },
                   { QStringLiteral("y"), wholePixels(event.y()) } };
        break;
    case InputEventType::KeyDown:
    case InputEventType::KeyUp:
    case InputEventType::KeyPress:
        object = keyboardFields(event);
        break;
    case InputEventType::Scroll:
        object = { { QStringLiteral("type"), event.describe() },
                   { QStringLiteral("x"), wholePixels(event.x()) },
                   { QStringLiteral("y"), wholePixels(event.y()) },
                   { QStringLiteral("deltaX"), event.deltaX() },
                   { QStringLiteral("deltaY"), event.deltaY() } };
        break;
    default:
        return InputEventCodec::serialize(event);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace handoff::protocol
