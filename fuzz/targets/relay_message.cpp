// The JSON the relay reads of forwarded text messages (RelayMessage::inspect,
// isV2FrameRecord) and the relay's session_info as the viewer reads it
// (SessionInfo::parse). The relay pins and checks viewer keys from what
// inspect() finds, so when it sees a version-2 pubkey the endpoints must either
// refuse that message or read the same key and version from it (V1Envelope);
// otherwise the relay would check one key while the agent uses another.

#include "FuzzSupport.h"
#include "core/protocol/RecordCodec.h"
#include "core/protocol/V1Envelope.h"
#include "core/session/SessionInfo.h"
#include "server/relay/RelayMessage.h"

#include <QJsonDocument>
#include <QJsonObject>

using handoff::protocol::RecordCodec;
using handoff::protocol::RecordKind;
using handoff::protocol::V1Envelope;
using handoff::server::RelayMessage;
using handoff::session::SessionInfo;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView input = handoff::fuzz::bytes(data, size);
    const QString text = QString::fromUtf8(input);
    const QByteArray utf8 = text.toUtf8(); // what the endpoints read of this text message

    const RelayMessage::Text seen = RelayMessage::inspect(text);
    if (!seen.type.isEmpty()) {
        const QJsonObject object = QJsonDocument::fromJson(utf8).object();
        FUZZ_CHECK(object.value(QLatin1String("type")).toString() == seen.type);
    }
    if (seen.type == u"pubkey" && seen.version == 2 && !seen.key.isEmpty()) {
        const auto endpoint = V1Envelope::parsePubkey(utf8);
        FUZZ_CHECK(!endpoint.ok() || (endpoint->publicPoint == seen.key && endpoint->version == 2));
        // And the relay reads the endpoints' own spelling of that key the same way.
        const RelayMessage::Text again
            = RelayMessage::inspect(QString::fromLatin1(V1Envelope::pubkeyMessage(seen.key, 2)));
        FUZZ_CHECK(again.type == u"pubkey" && again.version == 2 && again.key == seen.key);
    }

    const QByteArray binary = input.toByteArray();
    if (const auto header = RecordCodec::decodeHeader(binary); header.ok())
        FUZZ_CHECK(RelayMessage::isV2FrameRecord(binary) == (header->kind == RecordKind::Frame));

    if (const auto info = SessionInfo::parse(utf8); info.ok()) {
        FUZZ_CHECK(info->service.size() <= 100 && info->hint.size() <= 200);
        FUZZ_CHECK(info->sessionId.size() <= 256 && info->pageUrl.size() <= 2048);
    } else {
        FUZZ_CHECK(handoff::fuzz::isErrorCode(info.error().code));
    }
    return 0;
}
