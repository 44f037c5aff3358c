#include "core/protocol/SecureChannel.h"

#include "core/protocol/SecureChannelV1.h"
#include "core/protocol/SecureChannelV2.h"
#include "core/protocol/V1Envelope.h"

namespace handoff::protocol {

Result<std::unique_ptr<SecureChannel>> SecureChannel::createViewerFor(QByteArrayView agentPubkeyMessage,
                                                                      const QString& sessionId,
                                                                      QByteArrayView expectedAgentFingerprint,
                                                                      QByteArrayView viewerSecret)
{
    auto pubkey = V1Envelope::parsePubkey(agentPubkeyMessage);
    if (!pubkey)
        return pubkey.error();
    if (pubkey->version == 1) {
        if (!expectedAgentFingerprint.isEmpty() || !viewerSecret.isEmpty())
            return Error { QStringLiteral("downgrade"),
                           QStringLiteral("The link pins the agent's key for protocol version 2, but a version 1 "
                                          "key arrived: someone may be trying to strip the session's protection. "
                                          "Nothing has been sent. Close this session and ask for a new link.") };
        auto channel = SecureChannelV1::create(ChannelRole::Viewer);
        if (!channel)
            return channel.error();
        return std::unique_ptr<SecureChannel>(std::move(*channel));
    }
    auto channel = SecureChannelV2::createViewer(sessionId, expectedAgentFingerprint, viewerSecret);
    if (!channel)
        return channel.error();
    return std::unique_ptr<SecureChannel>(std::move(*channel));
}

} // namespace handoff::protocol
