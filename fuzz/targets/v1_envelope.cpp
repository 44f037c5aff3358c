// The text messages of the key exchange and of version 1 (PROTOCOL 3), as they
// arrive through the relay: V1Envelope's messageType, parsePubkey,
// parseEncrypted and parseFrame. Whatever parses is rebuilt by the matching
// serializer and parses back to the same values; a refusal carries an error code.

#include "FuzzSupport.h"
#include "core/protocol/V1Envelope.h"

using handoff::protocol::V1Envelope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView input = handoff::fuzz::bytes(data, size);

    const auto type = V1Envelope::messageType(input);
    if (!type)
        handoff::fuzz::checkRefusal(type.error());

    if (const auto pubkey = V1Envelope::parsePubkey(input); pubkey.ok()) {
        FUZZ_CHECK(type.ok() && *type == u"pubkey");
        FUZZ_CHECK(pubkey->publicPoint.size() == V1Envelope::PublicPointSize);
        FUZZ_CHECK(pubkey->version == 1 || pubkey->version == 2);
        const auto again = V1Envelope::parsePubkey(V1Envelope::pubkeyMessage(pubkey->publicPoint, pubkey->version));
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again->publicPoint == pubkey->publicPoint && again->version == pubkey->version);
    } else {
        handoff::fuzz::checkRefusal(pubkey.error());
    }

    if (const auto encrypted = V1Envelope::parseEncrypted(input); encrypted.ok()) {
        FUZZ_CHECK(type.ok() && *type == u"encrypted");
        FUZZ_CHECK(encrypted->iv.size() == V1Envelope::IvSize && encrypted->tag.size() == V1Envelope::TagSize);
        FUZZ_CHECK(!encrypted->ciphertext.isEmpty());
        const auto again = V1Envelope::parseEncrypted(V1Envelope::encryptedMessage(*encrypted));
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again->iv == encrypted->iv && again->ciphertext == encrypted->ciphertext
                   && again->tag == encrypted->tag);
    } else {
        handoff::fuzz::checkRefusal(encrypted.error());
    }

    if (const auto frame = V1Envelope::parseFrame(input); frame.ok()) {
        FUZZ_CHECK(type.ok() && *type == u"frame");
        const auto text = V1Envelope::frameMessage(*frame);
        FUZZ_CHECK(text.ok());
        const auto again = V1Envelope::parseFrame(*text);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again->jpegSize == frame->jpegSize && again->deviceWidth == frame->deviceWidth
                   && again->scrollOffsetY == frame->scrollOffsetY);
    } else {
        handoff::fuzz::checkRefusal(frame.error());
    }
    return 0;
}
