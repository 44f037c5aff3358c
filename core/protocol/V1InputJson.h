#pragma once

// The input event JSON of protocol version 1 (PROTOCOL 5, "Version 1"): the
// fields AuthLoop's own viewer writes, no more. Agents built on AuthLoop's core
// read only those (and compute the modifier bits from the four booleans), so the
// app writes version-1 events in that form:
//   click     {type, x, y, button}      x and y as whole CSS pixels
//   dblclick  {type, x, y}
//   keydown, keyup, keypress  {type, key, code, altKey, ctrlKey, metaKey, shiftKey}
//                              (no "modifiers"; a keypress without a code leaves it out)
//   scroll    {type, x, y, deltaX, deltaY}   x and y as whole CSS pixels
// Every other event is written as InputEventCodec::serialize() writes it.
// InputEventCodec::parse() reads all of these back.

#include "core/protocol/InputEvent.h"

#include <QByteArray>

namespace handoff::protocol {

class V1InputJson final {
public:
    V1InputJson() = delete;

    // Compact JSON for a valid event (check it with InputEventCodec::validate()).
    static QByteArray serialize(const InputEvent& event);
};

} // namespace handoff::protocol
