// The device channel's messages as the server reads them from a device
// (PROTOCOL 4): the text decoded as DeviceHub does, then DeviceMessage's
// "authenticate" (read before the device has proved anything) and
// "approval_decision". What is accepted lies within the bounds the lookups and
// the signature check rely on; a refusal is "invalid_message".

#include "FuzzSupport.h"
#include "core/crypto/SigningKey.h"
#include "core/device/DeviceStatements.h"
#include "server/device/DeviceMessage.h"

#include <QJsonDocument>

using handoff::server::DeviceMessage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray text = QString::fromUtf8(handoff::fuzz::bytes(data, size)).toUtf8();
    const QJsonObject message = QJsonDocument::fromJson(text).object();

    if (const auto authenticate = DeviceMessage::authenticate(message); authenticate.ok()) {
        FUZZ_CHECK(!authenticate->deviceId.isEmpty());
        FUZZ_CHECK(authenticate->deviceId.size() <= DeviceMessage::MaxDeviceIdLength);
    } else {
        FUZZ_CHECK(authenticate.error().code == u"invalid_message");
    }

    const QString requestId = DeviceMessage::decisionRequestId(message);
    FUZZ_CHECK(requestId.size() <= DeviceMessage::MaxAuthReqIdLength);
    if (const auto decision = DeviceMessage::decision(message); decision.ok()) {
        FUZZ_CHECK(decision->authReqId == requestId && !requestId.isEmpty());
        FUZZ_CHECK(decision->approves() == (decision->decision == handoff::device::DeviceStatements::approveWord()));
        FUZZ_CHECK(decision->approves() || decision->decision == handoff::device::DeviceStatements::denyWord());
        FUZZ_CHECK(decision->decidedTime.isValid() && decision->decidedAt.size() <= DeviceMessage::MaxTimeLength);
        FUZZ_CHECK(decision->signature.size() == handoff::crypto::SigningKey::SignatureSize);
    } else {
        FUZZ_CHECK(decision.error().code == u"invalid_message");
    }
    return 0;
}
