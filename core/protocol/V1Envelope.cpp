#include "core/protocol/V1Envelope.h"

#include "core/protocol/ProtocolError.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

namespace handoff::protocol {

namespace {

Result<QJsonObject> parseEnvelopeObject(QByteArrayView text)
{
    if (text.size() > V1Envelope::MaxTextSize)
        return makeError("too_large", QStringLiteral("The message is larger than the 64 KiB text limit."));
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return makeError("bad_json", QStringLiteral("The message is not a JSON object."));
    return document.object();
}

Result<QJsonObject> parseTyped(QByteArrayView text, QLatin1String type)
{
    auto object = parseEnvelopeObject(text);
    if (!object)
        return object;
    const QJsonValue actual = object->value(QLatin1String("type"));
    if (!actual.isString() || actual.toString() != type)
        return makeError("wrong_type", QStringLiteral("Expected a \"%1\" message.").arg(type));
    return object;
}

// Standard base64 with padding, and only its canonical form: re-encoding must
// give back the same text, which rejects stray characters, missing padding and
// non-zero trailing bits alike.
Result<QByteArray> decodeBase64Field(const QJsonObject& object, QLatin1String name)
{
    const QJsonValue value = object.value(name);
    if (!value.isString())
        return makeError("bad_field", QStringLiteral("The field \"%1\" is missing or not a string.").arg(name));
    const QByteArray text = value.toString().toLatin1();
    const auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64() != text)
        return makeError("bad_base64", QStringLiteral("The field \"%1\" is not valid base64.").arg(name));
    return decoded.decoded;
}

} // namespace

Result<QString> V1Envelope::messageType(QByteArrayView text)
{
    auto object = parseEnvelopeObject(text);
    if (!object)
        return object.error();
    const QJsonValue type = object->value(QLatin1String("type"));
    if (!type.isString())
        return makeError("bad_field", QStringLiteral("The message has no \"type\" string."));
    return type.toString();
}

QByteArray V1Envelope::pubkeyMessage(QByteArrayView publicPoint, int version)
{
    QByteArray message = R"({"type":"pubkey","key":")" + publicPoint.toByteArray().toBase64() + '"';
    // Version 1 has no "v" field: AuthLoop peers expect exactly {type, key}.
    if (version >= 2)
        message += R"(,"v":)" + QByteArray::number(version);
    return message + '}';
}

Result<V1Envelope::Pubkey> V1Envelope::parsePubkey(QByteArrayView text)
{
    auto object = parseTyped(text, QLatin1String("pubkey"));
    if (!object)
        return object.error();
    auto key = decodeBase64Field(*object, QLatin1String("key"));
    if (!key)
        return key.error();
    if (key->size() != PublicPointSize)
        return makeError("bad_key_length", QStringLiteral("The public key must be a 65-byte uncompressed P-256 point."));
    Pubkey pubkey { std::move(*key), 1 };
    const QJsonValue version = object->value(QLatin1String("v"));
    if (!version.isUndefined()) {
        // isDouble() and an exact compare: "2", 2.5 and true are all refused.
        if (!version.isDouble() || (version.toDouble() != 1 && version.toDouble() != 2))
            return makeError("unsupported_version",
                         QStringLiteral("The peer speaks a protocol version this program "
                                        "does not know; update Handoff."));
        pubkey.version = int(version.toDouble());
    }
    return pubkey;
}

QByteArray V1Envelope::encryptedMessage(const Encrypted& payload)
{
    return R"({"type":"encrypted","payload":{"iv":")" + payload.iv.toBase64() + R"(","ciphertext":")"
        + payload.ciphertext.toBase64() + R"(","tag":")" + payload.tag.toBase64() + R"("}})";
}

Result<V1Envelope::Encrypted> V1Envelope::parseEncrypted(QByteArrayView text)
{
    auto object = parseTyped(text, QLatin1String("encrypted"));
    if (!object)
        return object.error();
    const QJsonValue payloadValue = object->value(QLatin1String("payload"));
    if (!payloadValue.isObject())
        return makeError("bad_field", QStringLiteral("The \"payload\" of an encrypted message must be an object."));
    const QJsonObject payload = payloadValue.toObject();
    auto iv = decodeBase64Field(payload, QLatin1String("iv"));
    if (!iv)
        return iv.error();
    if (iv->size() != IvSize)
        return makeError("bad_iv_length", QStringLiteral("The iv must be 12 bytes."));
    auto ciphertext = decodeBase64Field(payload, QLatin1String("ciphertext"));
    if (!ciphertext)
        return ciphertext.error();
    if (ciphertext->isEmpty())
        return makeError("bad_field", QStringLiteral("The ciphertext is empty; an input event never is."));
    auto tag = decodeBase64Field(payload, QLatin1String("tag"));
    if (!tag)
        return tag.error();
    if (tag->size() != TagSize)
        return makeError("bad_tag_length", QStringLiteral("The tag must be 16 bytes."));
    return Encrypted { std::move(*iv), std::move(*ciphertext), std::move(*tag) };
}

Result<QByteArray> V1Envelope::frameMessage(const FrameMetadata& meta)
{
    return meta.toV1Message();
}

Result<FrameMetadata> V1Envelope::parseFrame(QByteArrayView text)
{
    return FrameMetadata::parseV1Message(text);
}

} // namespace handoff::protocol
