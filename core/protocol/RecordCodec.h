#pragma once

// The version-2 binary record (PROTOCOL 3, v2 step 6):
//   0x02 | kind (1 byte) | seq (uint64 big-endian) | ciphertext | tag (16 bytes)
// and the plaintext layout of a frame record. Pure functions, no cryptography:
// the channel seals and opens, this only frames bytes, so it can be tested and
// fuzzed on its own.

#include "core/common/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

namespace handoff::protocol {

enum class RecordKind : quint8 {
    Input = 0x01, // viewer to agent: input event JSON
    Frame = 0x02, // agent to viewer: u32 BE meta length || meta JSON || image
    Control = 0x03, // either way: JSON such as {"type":"ready"}
};

class RecordCodec final {
public:
    RecordCodec() = delete;

    static constexpr quint8 Version = 0x02;
    static constexpr qsizetype HeaderSize = 10;
    static constexpr qsizetype TagSize = 16;
    // Every kind has a non-empty plaintext, so a record without ciphertext is malformed.
    static constexpr qsizetype MinRecordSize = HeaderSize + 1 + TagSize;
    // The relay's binary message limit (PROTOCOL 2): anything larger never arrives whole.
    static constexpr qsizetype MaxRecordSize = qsizetype(4) * 1024 * 1024;
    static constexpr qsizetype MaxFrameMetaSize = qsizetype(4) * 1024;
    static constexpr qsizetype FrameLengthPrefixSize = 4;
    static constexpr qsizetype NonceLabelSize = 4;

    struct Header final {
        RecordKind kind = RecordKind::Control;
        quint64 seq = 0;
    };

    // Views into the buffer given to split(): valid only while that buffer lives.
    struct Parts final {
        Header header;
        QByteArrayView headerBytes; // the first 10 bytes, which the AAD covers
        QByteArrayView ciphertext;
        QByteArrayView tag;
    };

    // Views into the plaintext given to unpackFrame().
    struct FrameParts final {
        QByteArrayView metaJson;
        QByteArrayView image;
    };

    // `seq` must be at least 1; the channel never asks for 0.
    static QByteArray encodeHeader(RecordKind kind, quint64 seq);
    // Reads the first 10 bytes of `bytes`: version, kind and a non-zero seq.
    static Result<Header> decodeHeader(QByteArrayView bytes);

    static QByteArray assemble(QByteArrayView header, QByteArrayView ciphertext, QByteArrayView tag);
    // Rejects short and oversized records and bad headers before any decryption.
    static Result<Parts> split(QByteArrayView record);

    // AES-GCM nonce: the 4-byte direction label ("v2a " or "a2v ") || seq (u64 BE).
    static QByteArray nonce(QByteArrayView directionLabel, quint64 seq);
    // AAD: the record's first 10 bytes || the session id in ASCII, so a record
    // cannot be moved to another kind, position or session.
    static QByteArray aad(QByteArrayView headerBytes, QByteArrayView sessionId);

    static Result<QByteArray> packFrame(QByteArrayView metaJson, QByteArrayView image);
    static Result<FrameParts> unpackFrame(QByteArrayView plaintext);
};

} // namespace handoff::protocol
