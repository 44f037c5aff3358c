#pragma once

// CIBA binding_message checks (CIBA Core 7.1, 13): plain human text that a
// person reads on their device, so at most 140 characters (code points), not
// blank, and none of the characters that could hide or reorder text
// (PlainText::isDeceptive: control and format characters such as bidirectional
// overrides and zero-width ones, line and paragraph separators, private-use,
// unassigned and surrogate code points). Pure.

#include <QString>

namespace handoff::server {

class BindingMessage final {
public:
    BindingMessage() = delete;
    static constexpr qsizetype MaxCodePoints = 140;
    // Empty when acceptable, else why not (for error_description).
    static QString problem(const QString& message);
};

} // namespace handoff::server
