// Input events (PROTOCOL 5), as the agent decrypts them: InputEventCodec::parse.
// An event that parses passes validate() and serializes to JSON that parses
// back to an equal event; a refusal carries an error code.

#include "FuzzSupport.h"
#include "core/protocol/InputEventCodec.h"

using handoff::protocol::InputEvent;
using handoff::protocol::InputEventCodec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto event = InputEventCodec::parse(handoff::fuzz::bytes(data, size));
    if (!event) {
        FUZZ_CHECK(handoff::fuzz::isErrorCode(event.error().code));
        FUZZ_CHECK(!event.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(InputEventCodec::validate(*event).ok());
    FUZZ_CHECK(InputEvent::typeFromName(event->describe()) == event->type());
    const QByteArray json = InputEventCodec::serialize(*event);
    FUZZ_CHECK(json.size() <= InputEventCodec::MaxJsonBytes);
    const auto again = InputEventCodec::parse(json);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *event);
    FUZZ_CHECK(InputEventCodec::serialize(*again) == json);
    return 0;
}
