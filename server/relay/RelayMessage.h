#pragma once

// The little the relay reads of forwarded messages (PROTOCOL section 2, "the
// compat rules"): the type of a text message (pubkey, frame), the version and key
// of a pubkey, and the kind byte of a version-2 record. Pure.

#include <QByteArray>
#include <QString>

namespace handoff::server {

class RelayMessage final {
public:
    RelayMessage() = delete;

    struct Text final {
        QString type;     // empty when the text is not a JSON object with a string "type"
        int version = 1;  // "v" of a pubkey message
        QByteArray key;   // decoded "key" of a pubkey message (empty when absent or not base64)
    };
    // Parses only texts that can be control messages; anything else is left alone.
    static Text inspect(const QString& text);

    // A version-2 record of kind 0x02 (frame): byte 0 is 0x02, byte 1 the kind.
    static bool isV2FrameRecord(const QByteArray& message);

    // The server's own control messages.
    static QString control(const char* type);
    static QString error(const QString& code, const QString& message);
};

} // namespace handoff::server
