#pragma once

// Input events on the wire (PROTOCOL section 5): the JSON the viewer encrypts and
// the agent decrypts, parses and replays. parse() accepts only events within the
// protocol's limits; every rejection carries a stable code from the list below and
// a message that names the event type, the field and the rule, never the field's
// value (no typed text, no key, no unknown type string).
//
// Unknown fields are ignored (a newer viewer may add some); duplicate JSON keys
// resolve to the last one, as in JavaScript's JSON.parse.

#include "InputEvent.h"
#include "core/common/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QChar>
#include <QLatin1StringView>

namespace handoff::protocol {

class InputEventCodec final {
public:
    InputEventCodec() = delete;

    // Limits. Characters are UTF-16 code units (JavaScript's String.length).
    static constexpr qsizetype MaxJsonBytes = qsizetype(64) * 1024;
    static constexpr double MaxCoordinate = 10'000; // CSS pixels, 0..MaxCoordinate
    static constexpr double MaxDelta = 10'000; // |deltaX|, |deltaY|
    static constexpr qsizetype MaxNameLength = 20; // key and code
    static constexpr qsizetype MaxTextLength = 10'000; // paste and ime text
    static constexpr int MaxModifiers = 15;
    static constexpr int MaxButtons = 31; // all five CDP "buttons" bits
    static constexpr int MinClickCount = 1;
    static constexpr int MaxClickCount = 3;
    // The one control character a keypress may carry: what Enter types.
    static constexpr QChar EnterCharacter { u'\r' };

    // Error codes.
    static constexpr QLatin1StringView ErrorTooLarge { "input_too_large" };
    static constexpr QLatin1StringView ErrorNotJson { "not_json" };
    static constexpr QLatin1StringView ErrorNotObject { "not_object" };
    static constexpr QLatin1StringView ErrorMissingType { "missing_type" };
    static constexpr QLatin1StringView ErrorUnknownType { "unknown_type" };
    static constexpr QLatin1StringView ErrorMissingField { "missing_field" };
    static constexpr QLatin1StringView ErrorWrongFieldType { "wrong_field_type" };
    static constexpr QLatin1StringView ErrorNotFinite { "number_not_finite" };
    static constexpr QLatin1StringView ErrorNotInteger { "not_integer" };
    static constexpr QLatin1StringView ErrorCoordinateRange { "coordinate_out_of_range" };
    static constexpr QLatin1StringView ErrorDeltaRange { "delta_out_of_range" };
    static constexpr QLatin1StringView ErrorModifiersRange { "modifiers_out_of_range" };
    static constexpr QLatin1StringView ErrorModifiersMismatch { "modifiers_mismatch" };
    static constexpr QLatin1StringView ErrorBadButton { "bad_button" };
    static constexpr QLatin1StringView ErrorButtonsRange { "buttons_out_of_range" };
    static constexpr QLatin1StringView ErrorClickCountRange { "click_count_out_of_range" };
    static constexpr QLatin1StringView ErrorBadKey { "bad_key" };
    static constexpr QLatin1StringView ErrorBadCode { "bad_code" };
    static constexpr QLatin1StringView ErrorNotOneCharacter { "not_one_character" };
    static constexpr QLatin1StringView ErrorTextTooLong { "text_too_long" };
    static constexpr QLatin1StringView ErrorEmptyText { "empty_text" };
    static constexpr QLatin1StringView ErrorBadText { "bad_text" };
    static constexpr QLatin1StringView ErrorBadSelection { "bad_selection" };

    // JSON (at most MaxJsonBytes of UTF-8) to a validated event.
    static Result<InputEvent> parse(QByteArrayView json);

    // The limits parse() enforces, for events the app built itself: call it before
    // sending, since serialize() writes whatever it is given.
    static Result<void> validate(const InputEvent& event);

    // Compact JSON with exactly the field names of PROTOCOL section 5; optional
    // fields (button, clickCount, buttons, selectionStart, selectionEnd, and a
    // keypress's code and modifiers) only when set.
    // For a valid event the output is at most about 30 KiB and parses back to an
    // equal event.
    static QByteArray serialize(const InputEvent& event);
};

} // namespace handoff::protocol
