// Frame metadata: the v1 "frame" text message (plaintext through the relay) and
// the meta JSON inside a v2 frame record (from a possibly hostile agent). What
// parses is within the limits (validateGeometry) and serializes to text that
// parses back to the same values; a refusal carries an error code.

#include "FuzzSupport.h"
#include "core/protocol/FrameMetadata.h"

using handoff::protocol::FrameMetadata;

namespace {

bool sameGeometry(const FrameMetadata& a, const FrameMetadata& b)
{
    return a.deviceWidth == b.deviceWidth && a.deviceHeight == b.deviceHeight && a.offsetTop == b.offsetTop
        && a.pageScaleFactor == b.pageScaleFactor && a.scrollOffsetX == b.scrollOffsetX
        && a.scrollOffsetY == b.scrollOffsetY;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView input = handoff::fuzz::bytes(data, size);

    if (const auto v1 = FrameMetadata::parseV1Message(input); v1.ok()) {
        FUZZ_CHECK(v1->validateGeometry().ok());
        FUZZ_CHECK(v1->jpegSize >= 1 && v1->jpegSize <= FrameMetadata::MaxImageSize);
        const auto text = v1->toV1Message();
        FUZZ_CHECK(text.ok());
        const auto again = FrameMetadata::parseV1Message(*text);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(sameGeometry(*again, *v1) && again->jpegSize == v1->jpegSize);
    } else {
        handoff::fuzz::checkRefusal(v1.error());
    }

    if (const auto v2 = FrameMetadata::parseV2Json(input); v2.ok()) {
        FUZZ_CHECK(v2->validateGeometry().ok());
        FUZZ_CHECK(v2->timestamp >= 0 && v2->timestamp <= 1e11);
        const auto json = v2->toV2Json();
        FUZZ_CHECK(json.ok());
        FUZZ_CHECK(json->size() <= FrameMetadata::MaxJsonSize);
        const auto again = FrameMetadata::parseV2Json(*json);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(sameGeometry(*again, *v2) && again->timestamp == v2->timestamp && again->format == v2->format);
    } else {
        handoff::fuzz::checkRefusal(v2.error());
    }
    return 0;
}
