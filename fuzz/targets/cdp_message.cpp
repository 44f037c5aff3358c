// What the agent reads from Chromium: each DevTools WebSocket message
// (CdpMessage::parse), the screencast frames among them
// (ScreencastFrame::fromCdpParams) and the /json/list answer of target
// discovery (CdpTargets::parseList), the same bytes given to all three. An
// answer names a command id a client can have (or 0, which answers none), an
// event has a method; a frame that is accepted has valid geometry and 1 byte to
// 4 MiB of image; a listed target has an id and a ws(s) socket URL.

#include "FuzzSupport.h"
#include "agent/cdp/CdpMessage.h"
#include "agent/cdp/CdpTarget.h"
#include "agent/screencast/ScreencastFrame.h"

#include <QJsonDocument>

using namespace handoff::agent;
using handoff::protocol::FrameMetadata;

namespace {

void checkFrame(const QJsonObject& params)
{
    const auto frame = ScreencastFrame::fromCdpParams(params);
    if (!frame) {
        FUZZ_CHECK(handoff::fuzz::isErrorCode(frame.error().code));
        return;
    }
    FUZZ_CHECK(frame->meta.validateGeometry().ok());
    FUZZ_CHECK(!frame->image.isEmpty() && frame->image.size() <= FrameMetadata::MaxImageSize);
    FUZZ_CHECK(frame->meta.jpegSize == frame->image.size());
    // What the agent forwards to a version-1 viewer.
    FUZZ_CHECK(frame->meta.toV1Message().ok());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = handoff::fuzz::bytes(data, size).toByteArray();
    // CdpClient receives a QString and reads its UTF-8.
    const QByteArray text = QString::fromUtf8(bytes).toUtf8();

    if (const auto message = CdpMessage::parse(text); message.ok()) {
        switch (message->kind) {
        case CdpMessage::Kind::Result:
        case CdpMessage::Kind::Error:
            FUZZ_CHECK(message->id >= 0 && message->id <= CdpMessage::MaxId);
            break;
        case CdpMessage::Kind::Event:
            FUZZ_CHECK(!message->method.isEmpty());
            if (message->method == u"Page.screencastFrame")
                checkFrame(message->params);
            break;
        }
    } else {
        FUZZ_CHECK(message.error().code == u"not_json" || message.error().code == u"not_cdp");
    }
    checkFrame(QJsonDocument::fromJson(text).object());

    if (const auto targets = CdpTargets::parseList(bytes); targets.ok()) {
        for (const CdpTarget& target : *targets) {
            FUZZ_CHECK(!target.id.isEmpty() && target.webSocketDebuggerUrl.isValid());
            FUZZ_CHECK(target.webSocketDebuggerUrl.scheme() == u"ws" || target.webSocketDebuggerUrl.scheme() == u"wss");
        }
        const auto chosen = CdpTargets::choose(*targets, {});
        FUZZ_CHECK(!chosen.ok() || chosen->type == u"page");
    } else {
        FUZZ_CHECK(handoff::fuzz::isErrorCode(targets.error().code));
    }
    return 0;
}
