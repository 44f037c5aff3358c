#pragma once

// A message between two instances of the app on one desktop: the second
// instance hands its link to the first and waits for the answer. Each message
// travels as a 32-bit big-endian length followed by that many bytes of
// QDataStream: the type, then the link. No separator characters, no guessing
// where one message ends.

#include "core/common/Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace handoff::app {

struct InstanceMessage final {
    enum class Type : quint8 {
        Activate = 1, // show the window, nothing to open
        OpenLink = 2, // open `link`
        Accepted = 3, // the first instance took the message
    };

    Type type = Type::Activate;
    QString link;

    static constexpr quint32 MaxPayloadSize = 64 * 1024;
    static constexpr quint32 StreamVersion = 1;

    QByteArray encode() const;

    // Takes one whole message off the front of `buffer`. None while the message
    // is still incomplete; an error for a message that can never be valid (the
    // connection should then be closed).
    static Result<std::optional<InstanceMessage>> takeFrom(QByteArray& buffer);
};

} // namespace handoff::app
