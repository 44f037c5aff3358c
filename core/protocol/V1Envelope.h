#pragma once

// The text messages of the key exchange and of version 1 (PROTOCOL 3):
//   {"type":"pubkey","key":b64}            version 1 (AuthLoop)
//   {"type":"pubkey","key":b64,"v":2}      version 2
//   {"type":"encrypted","payload":{"iv":b64,"ciphertext":b64,"tag":b64}}
//   {"type":"frame",deviceWidth,...,jpegSize}  (see FrameMetadata)
// Parsing is pure and strict: these arrive through the relay, so every size,
// type and base64 string is checked and each failure has its own error code.

#include "core/common/Result.h"
#include "core/protocol/FrameMetadata.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace handoff::protocol {

class V1Envelope final {
public:
    V1Envelope() = delete;

    static constexpr qsizetype MaxTextSize = qsizetype(64) * 1024; // the relay's text message limit
    static constexpr qsizetype PublicPointSize = 65; // uncompressed P-256 point
    static constexpr qsizetype IvSize = 12;
    static constexpr qsizetype TagSize = 16;

    struct Pubkey final {
        QByteArray publicPoint; // 65 bytes; whether it lies on the curve is the channel's check
        int version = 1; // 1 when "v" is absent, else 2
    };

    struct Encrypted final {
        QByteArray iv; // 12 bytes
        QByteArray ciphertext;
        QByteArray tag; // 16 bytes
    };

    // The "type" of a JSON text message, so a caller can route it; fails on non-JSON.
    static Result<QString> messageType(QByteArrayView text);

    static QByteArray pubkeyMessage(QByteArrayView publicPoint, int version);
    static Result<Pubkey> parsePubkey(QByteArrayView text);

    static QByteArray encryptedMessage(const Encrypted& payload);
    static Result<Encrypted> parseEncrypted(QByteArrayView text);

    static Result<QByteArray> frameMessage(const FrameMetadata& meta);
    static Result<FrameMetadata> parseFrame(QByteArrayView text);
};

} // namespace handoff::protocol
