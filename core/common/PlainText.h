#pragma once

// The characters that must not reach a person inside text they read and act on
// (a CIBA binding message, a server's error description, what a session is
// about): they could hide, reorder or fake what the screen shows. Pure.

#include <QString>
#include <QStringView>

namespace handoff {

class PlainText final {
public:
    PlainText() = delete;
    // Control and format characters (bidirectional overrides, zero-width
    // characters), line and paragraph separators, and surrogate, private-use and
    // unassigned code points.
    static bool isDeceptive(char32_t codePoint);
    // Any deceptive code point in `text` (a lone surrogate counts as one).
    static bool containsDeceptive(QStringView text);
    // `text` with every deceptive code point (and lone surrogate) replaced by
    // U+FFFD, which shows that something was there without letting it act.
    static QString sanitized(QStringView text);
};

} // namespace handoff
