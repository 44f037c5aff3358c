#include "core/protocol/InputEventCodec.h"

#include "core/protocol/ProtocolError.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QTextBoundaryFinder>

#include <algorithm>
#include <cmath>
#include <optional>

namespace handoff::protocol {

namespace {

using namespace Qt::StringLiterals;

constexpr QLatin1StringView FieldType { "type" };
constexpr QLatin1StringView FieldX { "x" };
constexpr QLatin1StringView FieldY { "y" };
constexpr QLatin1StringView FieldButton { "button" };
constexpr QLatin1StringView FieldClickCount { "clickCount" };
constexpr QLatin1StringView FieldButtons { "buttons" };
constexpr QLatin1StringView FieldKey { "key" };
constexpr QLatin1StringView FieldCode { "code" };
constexpr QLatin1StringView FieldModifiers { "modifiers" };
constexpr QLatin1StringView FieldAltKey { "altKey" };
constexpr QLatin1StringView FieldCtrlKey { "ctrlKey" };
constexpr QLatin1StringView FieldMetaKey { "metaKey" };
constexpr QLatin1StringView FieldShiftKey { "shiftKey" };
constexpr QLatin1StringView FieldDeltaX { "deltaX" };
constexpr QLatin1StringView FieldDeltaY { "deltaY" };
constexpr QLatin1StringView FieldText { "text" };
constexpr QLatin1StringView FieldSelectionStart { "selectionStart" };
constexpr QLatin1StringView FieldSelectionEnd { "selectionEnd" };
constexpr QLatin1StringView FieldCommit { "commit" };

// "The 'x' field of the click event" — only names we chose, never a value.
QString fieldOf(QLatin1StringView field, InputEventType type)
{
    return u"The '%1' field of the %2 event"_s.arg(field, InputEvent::typeName(type));
}

bool isControl(char16_t c)
{
    return QChar::category(c) == QChar::Other_Control;
}

// Reads the fields of one event out of a JSON object. The first failure sticks;
// later reads then return defaults and are ignored. Integer fields are range
// checked here, before the conversion to int, so that a huge number is an error
// and never undefined behaviour.
class FieldReader final {
public:
    FieldReader(const QJsonObject& object, InputEventType type) : m_object(object), m_type(type) { }

    const std::optional<Error>& error() const { return m_error; }

    double number(QLatin1StringView field) { return optionalNumber(field, true).value_or(0); }

    std::optional<double> optionalNumber(QLatin1StringView field, bool required = false)
    {
        const QJsonValue value = present(field, required);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isDouble()) {
            fail(InputEventCodec::ErrorWrongFieldType, fieldOf(field, m_type) + u" must be a number."_s);
            return std::nullopt;
        }
        const double number = value.toDouble();
        if (!std::isfinite(number)) {
            fail(InputEventCodec::ErrorNotFinite, fieldOf(field, m_type) + u" must be a finite number."_s);
            return std::nullopt;
        }
        return number;
    }

    int integer(QLatin1StringView field, int min, int max, QLatin1StringView rangeCode)
    {
        return optionalInteger(field, min, max, rangeCode, true).value_or(0);
    }

    std::optional<int> optionalInteger(QLatin1StringView field, int min, int max, QLatin1StringView rangeCode,
                                       bool required = false)
    {
        const std::optional<double> number = optionalNumber(field, required);
        if (!number)
            return std::nullopt;
        if (*number != std::trunc(*number)) {
            fail(InputEventCodec::ErrorNotInteger, fieldOf(field, m_type) + u" must be a whole number."_s);
            return std::nullopt;
        }
        if (*number < min || *number > max) {
            fail(rangeCode, fieldOf(field, m_type) + u" must be between %1 and %2."_s.arg(min).arg(max));
            return std::nullopt;
        }
        return static_cast<int>(*number);
    }

    QString string(QLatin1StringView field)
    {
        const QJsonValue value = present(field, true);
        if (value.isUndefined())
            return {};
        if (!value.isString()) {
            fail(InputEventCodec::ErrorWrongFieldType, fieldOf(field, m_type) + u" must be a string."_s);
            return {};
        }
        return value.toString();
    }

    bool boolean(QLatin1StringView field, bool required = true)
    {
        const QJsonValue value = present(field, required);
        if (value.isUndefined())
            return false;
        if (!value.isBool()) {
            fail(InputEventCodec::ErrorWrongFieldType, fieldOf(field, m_type) + u" must be true or false."_s);
            return false;
        }
        return value.toBool();
    }

    std::optional<MouseButton> optionalButton()
    {
        const QJsonValue value = present(FieldButton, false);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isString()) {
            fail(InputEventCodec::ErrorWrongFieldType, fieldOf(FieldButton, m_type) + u" must be a string."_s);
            return std::nullopt;
        }
        const std::optional<MouseButton> button = InputEvent::buttonFromName(value.toString());
        if (!button) {
            fail(InputEventCodec::ErrorBadButton,
                 fieldOf(FieldButton, m_type) + u" must be one of none, left, middle, right, back, forward."_s);
        }
        return button;
    }

private:
    // The value, or undefined when absent (an error too when the field is required).
    QJsonValue present(QLatin1StringView field, bool required)
    {
        if (m_error)
            return QJsonValue { QJsonValue::Undefined };
        const auto it = m_object.constFind(field);
        if (it == m_object.constEnd()) {
            if (required)
                fail(InputEventCodec::ErrorMissingField, fieldOf(field, m_type) + u" is missing."_s);
            return QJsonValue { QJsonValue::Undefined };
        }
        return it.value();
    }

    void fail(QLatin1StringView code, QString message)
    {
        if (!m_error)
            m_error = makeError(code, std::move(message));
    }

    const QJsonObject& m_object;
    InputEventType m_type;
    std::optional<Error> m_error;
};

std::optional<Error> checkCoordinate(QLatin1StringView field, double value, InputEventType type)
{
    if (!std::isfinite(value))
        return makeError(InputEventCodec::ErrorNotFinite, fieldOf(field, type) + u" must be a finite number."_s);
    if (value < 0 || value > InputEventCodec::MaxCoordinate) {
        return makeError(InputEventCodec::ErrorCoordinateRange,
                         fieldOf(field, type) + u" must be between 0 and %1."_s.arg(InputEventCodec::MaxCoordinate));
    }
    return std::nullopt;
}

std::optional<Error> checkDelta(QLatin1StringView field, double value, InputEventType type)
{
    if (!std::isfinite(value))
        return makeError(InputEventCodec::ErrorNotFinite, fieldOf(field, type) + u" must be a finite number."_s);
    if (std::abs(value) > InputEventCodec::MaxDelta) {
        return makeError(InputEventCodec::ErrorDeltaRange,
                         fieldOf(field, type) + u" must be between -%1 and %1."_s.arg(InputEventCodec::MaxDelta));
    }
    return std::nullopt;
}

std::optional<Error> checkIntRange(QLatin1StringView field, std::optional<int> value, int min, int max,
                                   QLatin1StringView code, InputEventType type)
{
    if (value && (*value < min || *value > max))
        return makeError(code, fieldOf(field, type) + u" must be between %1 and %2."_s.arg(min).arg(max));
    return std::nullopt;
}

std::optional<Error> checkPointer(const InputEvent& event)
{
    if (auto error = checkCoordinate(FieldX, event.x(), event.type()))
        return error;
    if (auto error = checkCoordinate(FieldY, event.y(), event.type()))
        return error;
    if (event.button() && !InputEvent::buttonFromName(InputEvent::buttonName(*event.button()))) {
        return makeError(InputEventCodec::ErrorBadButton,
                         fieldOf(FieldButton, event.type()) + u" is not a known button."_s);
    }
    return std::nullopt;
}

// A key name ("a", "Enter", "ArrowLeft", "€"): 1..20 characters, no control characters.
std::optional<Error> checkKeyName(const QString& key, InputEventType type)
{
    if (key.isEmpty() || key.size() > InputEventCodec::MaxNameLength) {
        return makeError(InputEventCodec::ErrorBadKey,
                         fieldOf(FieldKey, type)
                             + u" must be 1 to %1 characters long."_s.arg(InputEventCodec::MaxNameLength));
    }
    if (!key.isValidUtf16() || std::any_of(key.cbegin(), key.cend(), [](QChar c) { return isControl(c.unicode()); })) {
        return makeError(InputEventCodec::ErrorBadKey,
                         fieldOf(FieldKey, type) + u" must not hold control characters or broken UTF-16."_s);
    }
    return std::nullopt;
}

// A physical key code ("KeyA", "Digit1", "NumpadEnter"): 1..20 ASCII letters and digits.
std::optional<Error> checkCodeName(const QString& code, InputEventType type)
{
    const auto isAlnum
        = [](QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9'); };
    if (code.isEmpty() || code.size() > InputEventCodec::MaxNameLength
        || !std::all_of(code.cbegin(), code.cend(), isAlnum)) {
        return makeError(InputEventCodec::ErrorBadCode,
                         fieldOf(FieldCode, type)
                             + u" must be 1 to %1 ASCII letters and digits."_s.arg(InputEventCodec::MaxNameLength));
    }
    return std::nullopt;
}

std::optional<Error> checkModifiers(const InputEvent& event)
{
    if (auto error = checkIntRange(FieldModifiers, event.modifiers(), 0, InputEventCodec::MaxModifiers,
                                   InputEventCodec::ErrorModifiersRange, event.type())) {
        return error;
    }
    const int fromBooleans = (event.altKey() ? InputEvent::ModifierAlt : 0)
        | (event.ctrlKey() ? InputEvent::ModifierCtrl : 0) | (event.metaKey() ? InputEvent::ModifierMeta : 0)
        | (event.shiftKey() ? InputEvent::ModifierShift : 0);
    if (fromBooleans != event.modifiers()) {
        return makeError(
            InputEventCodec::ErrorModifiersMismatch,
            fieldOf(FieldModifiers, event.type())
                + u" disagrees with altKey, ctrlKey, metaKey and shiftKey (Alt 1, Ctrl 2, Meta 4, Shift 8)."_s);
    }
    return std::nullopt;
}

std::optional<Error> checkKeyboard(const InputEvent& event)
{
    if (auto error = checkKeyName(event.key(), event.type()))
        return error;
    if (auto error = checkCodeName(event.code(), event.type()))
        return error;
    return checkModifiers(event);
}

// keypress: one user-perceived character (one grapheme cluster: "a", "é" as e + accent,
// a flag or an emoji with skin tone), printable, at most 20 UTF-16 units; or "\r",
// the character of Enter. The code and modifiers are optional, and checked like a
// keydown's when given.
std::optional<Error> checkKeyPress(const InputEvent& event)
{
    const QString& key = event.key();
    const auto notOne = [&] {
        return makeError(InputEventCodec::ErrorNotOneCharacter,
                         fieldOf(FieldKey, event.type()) + u" must be exactly one character."_s);
    };
    if (key.isEmpty())
        return notOne();
    if (key != QString(InputEventCodec::EnterCharacter)) {
        if (auto error = checkKeyName(key, event.type()))
            return error;
        QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, key);
        if (graphemes.toNextBoundary() != key.size())
            return notOne();
    }
    if (!event.code().isEmpty()) {
        if (auto error = checkCodeName(event.code(), event.type()))
            return error;
    }
    return checkModifiers(event);
}

// paste may hold tabs and line breaks; ime holds no control characters at all.
std::optional<Error> checkText(const InputEvent& event)
{
    const QString& text = event.text();
    const InputEventType type = event.type();
    if (type == InputEventType::Paste && text.isEmpty())
        return makeError(InputEventCodec::ErrorEmptyText, fieldOf(FieldText, type) + u" must not be empty."_s);
    if (text.size() > InputEventCodec::MaxTextLength) {
        return makeError(InputEventCodec::ErrorTextTooLong,
                         fieldOf(FieldText, type)
                             + u" must be at most %1 characters long."_s.arg(InputEventCodec::MaxTextLength));
    }
    const bool allowLineBreaks = type == InputEventType::Paste;
    const auto forbidden = [allowLineBreaks](QChar c) {
        if (allowLineBreaks && (c == u'\t' || c == u'\n' || c == u'\r'))
            return false;
        return isControl(c.unicode());
    };
    if (!text.isValidUtf16() || std::any_of(text.cbegin(), text.cend(), forbidden)) {
        return makeError(InputEventCodec::ErrorBadText,
                         fieldOf(FieldText, type)
                             + (allowLineBreaks ? u" must not hold control characters other than tab and line breaks, "
                                                  u"nor broken UTF-16."_s
                                                : u" must not hold control characters or broken UTF-16."_s));
    }
    return std::nullopt;
}

std::optional<Error> checkIme(const InputEvent& event)
{
    if (auto error = checkText(event))
        return error;
    const qsizetype length = event.text().size();
    const auto bad = [&](QLatin1StringView field) {
        return makeError(InputEventCodec::ErrorBadSelection,
                         fieldOf(field, event.type())
                             + u" must lie within the text, and selectionStart must not "
                               u"come after selectionEnd."_s);
    };
    const std::optional<int> start = event.selectionStart();
    const std::optional<int> end = event.selectionEnd();
    if (start && (*start < 0 || *start > length))
        return bad(FieldSelectionStart);
    if (end && (*end < 0 || *end > length))
        return bad(FieldSelectionEnd);
    if (start && end && *start > *end)
        return bad(FieldSelectionStart);
    return std::nullopt;
}

std::optional<Error> check(const InputEvent& event)
{
    const InputEventType type = event.type();
    switch (type) {
    case InputEventType::Click:
    case InputEventType::DblClick:
        if (auto error = checkPointer(event))
            return error;
        return checkIntRange(FieldClickCount, event.clickCount(), InputEventCodec::MinClickCount,
                             InputEventCodec::MaxClickCount, InputEventCodec::ErrorClickCountRange, type);
    case InputEventType::MouseDown:
    case InputEventType::MouseUp:
    case InputEventType::MouseMove:
        if (auto error = checkPointer(event))
            return error;
        return checkIntRange(FieldButtons, event.buttons(), 0, InputEventCodec::MaxButtons,
                             InputEventCodec::ErrorButtonsRange, type);
    case InputEventType::KeyDown:
    case InputEventType::KeyUp:
        return checkKeyboard(event);
    case InputEventType::KeyPress:
        return checkKeyPress(event);
    case InputEventType::Scroll:
        if (auto error = checkCoordinate(FieldX, event.x(), type))
            return error;
        if (auto error = checkCoordinate(FieldY, event.y(), type))
            return error;
        if (auto error = checkDelta(FieldDeltaX, event.deltaX(), type))
            return error;
        return checkDelta(FieldDeltaY, event.deltaY(), type);
    case InputEventType::Paste:
        return checkText(event);
    case InputEventType::Ime:
        return checkIme(event);
    case InputEventType::Back:
    case InputEventType::Forward:
    case InputEventType::Reload:
    case InputEventType::Resolved:
    case InputEventType::Cancelled:
        return std::nullopt;
    }
    return makeError(InputEventCodec::ErrorUnknownType, u"The event type is not one of PROTOCOL section 5."_s);
}

} // namespace

Result<void> InputEventCodec::validate(const InputEvent& event)
{
    if (std::optional<Error> error = check(event))
        return *std::move(error);
    return Result<void>::success();
}

Result<InputEvent> InputEventCodec::parse(QByteArrayView json)
{
    if (json.size() > MaxJsonBytes)
        return makeError(ErrorTooLarge, u"The input event is larger than %1 bytes."_s.arg(MaxJsonBytes));

    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || document.isNull()) {
        // errorString() describes the syntax, offset() is a position: neither holds content.
        return makeError(ErrorNotJson,
                         u"The input event is not valid JSON (%1 at byte %2)."_s.arg(parseError.errorString())
                             .arg(parseError.offset));
    }
    if (!document.isObject())
        return makeError(ErrorNotObject, u"The input event is not a JSON object."_s);
    const QJsonObject object = document.object();

    const auto typeIt = object.constFind(FieldType);
    if (typeIt == object.constEnd())
        return makeError(ErrorMissingType, u"The input event has no 'type' field."_s);
    if (!typeIt.value().isString())
        return makeError(ErrorWrongFieldType, u"The 'type' field of the input event must be a string."_s);
    const std::optional<InputEventType> type = InputEvent::typeFromName(typeIt.value().toString());
    if (!type)
        return makeError(ErrorUnknownType, u"The input event's type is not one of PROTOCOL section 5."_s);

    InputEvent event(*type);
    FieldReader reader(object, *type);
    switch (*type) {
    case InputEventType::Click:
    case InputEventType::DblClick:
        event.m_x = reader.number(FieldX);
        event.m_y = reader.number(FieldY);
        event.m_button = reader.optionalButton();
        event.m_clickCount
            = reader.optionalInteger(FieldClickCount, MinClickCount, MaxClickCount, ErrorClickCountRange);
        break;
    case InputEventType::MouseDown:
    case InputEventType::MouseUp:
    case InputEventType::MouseMove:
        event.m_x = reader.number(FieldX);
        event.m_y = reader.number(FieldY);
        event.m_button = reader.optionalButton();
        event.m_buttons = reader.optionalInteger(FieldButtons, 0, MaxButtons, ErrorButtonsRange);
        break;
    case InputEventType::KeyDown:
    case InputEventType::KeyUp:
    case InputEventType::KeyPress: {
        // AuthLoop's viewer leaves `modifiers` out (its agent reads the four
        // booleans), and sends keypress with or without code and booleans.
        const bool keyPress = *type == InputEventType::KeyPress;
        event.m_key = reader.string(FieldKey);
        if (!keyPress || object.contains(FieldCode)) {
            event.m_code = reader.string(FieldCode);
            if (keyPress && !reader.error() && event.m_code.isEmpty()) // given, so it must name a key
                return makeError(ErrorBadCode,
                                 fieldOf(FieldCode, *type)
                                     + u" must be 1 to %1 ASCII letters and digits."_s.arg(MaxNameLength));
        }
        event.m_altKey = reader.boolean(FieldAltKey, !keyPress);
        event.m_ctrlKey = reader.boolean(FieldCtrlKey, !keyPress);
        event.m_metaKey = reader.boolean(FieldMetaKey, !keyPress);
        event.m_shiftKey = reader.boolean(FieldShiftKey, !keyPress);
        const int fromBooleans = (event.m_altKey ? InputEvent::ModifierAlt : 0)
            | (event.m_ctrlKey ? InputEvent::ModifierCtrl : 0) | (event.m_metaKey ? InputEvent::ModifierMeta : 0)
            | (event.m_shiftKey ? InputEvent::ModifierShift : 0);
        event.m_modifiers
            = reader.optionalInteger(FieldModifiers, 0, MaxModifiers, ErrorModifiersRange).value_or(fromBooleans);
        break;
    }
    case InputEventType::Scroll:
        event.m_x = reader.number(FieldX);
        event.m_y = reader.number(FieldY);
        event.m_deltaX = reader.number(FieldDeltaX);
        event.m_deltaY = reader.number(FieldDeltaY);
        break;
    case InputEventType::Paste:
        event.m_text = reader.string(FieldText);
        break;
    case InputEventType::Ime:
        event.m_text = reader.string(FieldText);
        // Bounded by the text length in validate(); here only by what an int holds.
        event.m_selectionStart = reader.optionalInteger(FieldSelectionStart, 0, int(MaxTextLength), ErrorBadSelection);
        event.m_selectionEnd = reader.optionalInteger(FieldSelectionEnd, 0, int(MaxTextLength), ErrorBadSelection);
        event.m_commit = reader.boolean(FieldCommit);
        break;
    case InputEventType::Back:
    case InputEventType::Forward:
    case InputEventType::Reload:
    case InputEventType::Resolved:
    case InputEventType::Cancelled:
        break;
    }
    if (reader.error())
        return *reader.error();
    if (std::optional<Error> error = check(event))
        return *std::move(error);
    return event;
}

QByteArray InputEventCodec::serialize(const InputEvent& event)
{
    QJsonObject object;
    object.insert(FieldType, InputEvent::typeName(event.type()));
    switch (event.type()) {
    case InputEventType::Click:
    case InputEventType::DblClick:
    case InputEventType::MouseDown:
    case InputEventType::MouseUp:
    case InputEventType::MouseMove:
        object.insert(FieldX, event.x());
        object.insert(FieldY, event.y());
        if (event.button())
            object.insert(FieldButton, InputEvent::buttonName(*event.button()));
        // The factories and parse() set clickCount only on click/dblclick, buttons only on the others.
        if (event.clickCount())
            object.insert(FieldClickCount, *event.clickCount());
        if (event.buttons())
            object.insert(FieldButtons, *event.buttons());
        break;
    case InputEventType::KeyDown:
    case InputEventType::KeyUp:
        object.insert(FieldKey, event.key());
        object.insert(FieldCode, event.code());
        object.insert(FieldModifiers, event.modifiers());
        object.insert(FieldAltKey, event.altKey());
        object.insert(FieldCtrlKey, event.ctrlKey());
        object.insert(FieldMetaKey, event.metaKey());
        object.insert(FieldShiftKey, event.shiftKey());
        break;
    case InputEventType::KeyPress:
        object.insert(FieldKey, event.key());
        if (!event.code().isEmpty())
            object.insert(FieldCode, event.code());
        if (!event.code().isEmpty() || event.modifiers() != 0) {
            object.insert(FieldModifiers, event.modifiers());
            object.insert(FieldAltKey, event.altKey());
            object.insert(FieldCtrlKey, event.ctrlKey());
            object.insert(FieldMetaKey, event.metaKey());
            object.insert(FieldShiftKey, event.shiftKey());
        }
        break;
    case InputEventType::Scroll:
        object.insert(FieldX, event.x());
        object.insert(FieldY, event.y());
        object.insert(FieldDeltaX, event.deltaX());
        object.insert(FieldDeltaY, event.deltaY());
        break;
    case InputEventType::Paste:
        object.insert(FieldText, event.text());
        break;
    case InputEventType::Ime:
        object.insert(FieldText, event.text());
        if (event.selectionStart())
            object.insert(FieldSelectionStart, *event.selectionStart());
        if (event.selectionEnd())
            object.insert(FieldSelectionEnd, *event.selectionEnd());
        object.insert(FieldCommit, event.commit());
        break;
    case InputEventType::Back:
    case InputEventType::Forward:
    case InputEventType::Reload:
    case InputEventType::Resolved:
    case InputEventType::Cancelled:
        break;
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace handoff::protocol
