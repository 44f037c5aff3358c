#pragma once

// Text a server sent that we show to a person (OAuth error descriptions, an
// issuer that does not match): cut to a bound and stripped of everything but
// printable characters, so that a hostile or broken server cannot flood a
// terminal or move its cursor with escape sequences. Pure.

#include <QString>

namespace handoff::agent {

class ServerText final {
public:
    ServerText() = delete;
    static constexpr qsizetype DefaultMaxLength = 300;

    // What could hide or reorder text (PlainText::isDeceptive) and every space
    // but the plain one become U+FFFD; past maxLength the text ends in "...".
    static QString printable(const QString& text, qsizetype maxLength = DefaultMaxLength);

    static constexpr qsizetype MaxCodeLength = 64;
    // A machine-readable code a server sent (a relay's or an OAuth error code), as
    // a log line may hold it: ASCII letters, digits, '_', '-' and '.' only (anything
    // else becomes '?'), at most MaxCodeLength of them, then "...". Empty stays empty.
    static QString code(const QString& text);
};

} // namespace handoff::agent
