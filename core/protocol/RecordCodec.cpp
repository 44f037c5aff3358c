#include "core/protocol/RecordCodec.h"

#include "core/protocol/ProtocolError.h"

#include <QtEndian>

namespace handoff::protocol {

namespace {

bool isKnownKind(quint8 kind)
{
    return kind == quint8(RecordKind::Input) || kind == quint8(RecordKind::Frame)
        || kind == quint8(RecordKind::Control);
}

} // namespace

QByteArray RecordCodec::encodeHeader(RecordKind kind, quint64 seq)
{
    Q_ASSERT(seq != 0);
    QByteArray header(HeaderSize, Qt::Uninitialized);
    header[0] = char(Version);
    header[1] = char(kind);
    qToBigEndian<quint64>(seq, header.data() + 2);
    return header;
}

Result<RecordCodec::Header> RecordCodec::decodeHeader(QByteArrayView bytes)
{
    if (bytes.size() < HeaderSize)
        return makeError("short_record", "The record is shorter than its 10-byte header.");
    if (quint8(bytes[0]) != Version)
        return makeError("bad_version", "The record does not start with version byte 0x02.");
    const auto kind = quint8(bytes[1]);
    if (!isKnownKind(kind))
        return makeError("unknown_kind", "The record has an unknown kind byte.");
    const auto seq = qFromBigEndian<quint64>(bytes.data() + 2);
    if (seq == 0)
        return makeError("bad_seq", "The record has sequence number 0; sequence numbers start at 1.");
    return Header { RecordKind(kind), seq };
}

QByteArray RecordCodec::assemble(QByteArrayView header, QByteArrayView ciphertext, QByteArrayView tag)
{
    QByteArray record;
    record.reserve(header.size() + ciphertext.size() + tag.size());
    record.append(header).append(ciphertext).append(tag);
    return record;
}

Result<RecordCodec::Parts> RecordCodec::split(QByteArrayView record)
{
    if (record.size() < MinRecordSize)
        return makeError("short_record", "The record is too short to hold a header, ciphertext and a 16-byte tag.");
    if (record.size() > MaxRecordSize)
        return makeError("too_large", "The record is larger than 4 MiB.");
    auto header = decodeHeader(record);
    if (!header)
        return header.error();
    const qsizetype ciphertextSize = record.size() - HeaderSize - TagSize;
    return Parts { *header, record.first(HeaderSize), record.sliced(HeaderSize, ciphertextSize), record.last(TagSize) };
}

QByteArray RecordCodec::nonce(QByteArrayView directionLabel, quint64 seq)
{
    Q_ASSERT(directionLabel.size() == NonceLabelSize);
    QByteArray nonce(NonceLabelSize + 8, Qt::Uninitialized);
    std::copy(directionLabel.begin(), directionLabel.end(), nonce.begin());
    qToBigEndian<quint64>(seq, nonce.data() + NonceLabelSize);
    return nonce;
}

QByteArray RecordCodec::aad(QByteArrayView headerBytes, QByteArrayView sessionId)
{
    QByteArray aad;
    aad.reserve(headerBytes.size() + sessionId.size());
    aad.append(headerBytes).append(sessionId);
    return aad;
}

Result<QByteArray> RecordCodec::packFrame(QByteArrayView metaJson, QByteArrayView image)
{
    if (metaJson.isEmpty() || metaJson.size() > MaxFrameMetaSize)
        return makeError("bad_frame_meta_length", "The frame metadata must be 1 to 4096 bytes of JSON.");
    if (image.isEmpty())
        return makeError("empty_image", "A frame needs image bytes.");
    const qsizetype total = FrameLengthPrefixSize + metaJson.size() + image.size();
    if (total > MaxRecordSize - HeaderSize - TagSize)
        return makeError("too_large", "The frame does not fit in a 4 MiB record.");
    QByteArray plaintext(FrameLengthPrefixSize, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(metaJson.size()), plaintext.data());
    plaintext.reserve(total);
    plaintext.append(metaJson).append(image);
    return plaintext;
}

Result<RecordCodec::FrameParts> RecordCodec::unpackFrame(QByteArrayView plaintext)
{
    if (plaintext.size() < FrameLengthPrefixSize)
        return makeError("truncated_frame", "The frame record is too short to hold its metadata length.");
    const auto metaLength = qFromBigEndian<quint32>(plaintext.data());
    if (metaLength == 0 || metaLength > quint32(MaxFrameMetaSize))
        return makeError("bad_frame_meta_length", "The frame metadata length must be 1 to 4096 bytes.");
    const qsizetype rest = plaintext.size() - FrameLengthPrefixSize;
    if (qsizetype(metaLength) > rest)
        return makeError("truncated_frame", "The frame record is shorter than its metadata length says.");
    if (qsizetype(metaLength) == rest)
        return makeError("empty_image", "The frame record holds no image bytes.");
    return FrameParts { plaintext.sliced(FrameLengthPrefixSize, metaLength),
                        plaintext.sliced(FrameLengthPrefixSize + metaLength) };
}

} // namespace handoff::protocol
