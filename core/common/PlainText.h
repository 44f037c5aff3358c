#pragma once

// The characters that must not reach a person inside text they read and act on
// (a CIBA binding message, a server's error description): they could hide,
// reorder or fake what the screen shows. Pure.

namespace handoff {

class PlainText final {
public:
    PlainText() = delete;
    // Control and format characters (bidirectional overrides, zero-width
    // characters), line and paragraph separators, and surrogate, private-use and
    // unassigned code points.
    static bool isDeceptive(char32_t codePoint);
};

} // namespace handoff
