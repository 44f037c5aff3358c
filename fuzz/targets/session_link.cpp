// Session links (PROTOCOL 1) as a person pastes them or the platform hands them
// over: SessionLinkParser::parse, from text and from a QUrl. A link that parses
// must come back equal from both of its spellings (toWebUrl, toHandoffUrl), keep
// its token out of describe(), and hold only checked values; a refusal carries
// an error code and never repeats the link in its message.

#include "FuzzSupport.h"
#include "core/protocol/SessionLinkParser.h"

#include <QUrl>

using handoff::protocol::SessionLink;
using handoff::protocol::SessionLinkParser;

namespace {

void checkAccepted(const SessionLink& link)
{
    FUZZ_CHECK(SessionLinkParser::isValidSessionId(link.sessionId()));
    FUZZ_CHECK(SessionLinkParser::isValidToken(link.viewerToken()));
    FUZZ_CHECK(!link.keyFingerprint() || link.keyFingerprint()->size() == SessionLinkParser::FingerprintSize);
    FUZZ_CHECK(link.serverBase().isValid());
    FUZZ_CHECK(link.serverBase().scheme() == u"http" || link.serverBase().scheme() == u"https");
    FUZZ_CHECK(!link.describe().contains(link.viewerToken()));
    FUZZ_CHECK(link.streamUrl().isValid());

    for (const QUrl& spelling : { link.toWebUrl(), link.toHandoffUrl() }) {
        const auto again = SessionLinkParser::parse(spelling.toString(QUrl::FullyEncoded));
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(*again == link);
        const auto fromUrl = SessionLinkParser::parse(spelling);
        FUZZ_CHECK(fromUrl.ok());
        FUZZ_CHECK(*fromUrl == link);
    }
}

void check(const handoff::Result<SessionLink>& result, const QString& text)
{
    if (result.ok()) {
        checkAccepted(*result);
        return;
    }
    FUZZ_CHECK(handoff::fuzz::isErrorCode(result.error().code));
    FUZZ_CHECK(!result.error().message.isEmpty());
    const QString trimmed = text.trimmed();
    FUZZ_CHECK(trimmed.size() < 16 || !result.error().message.contains(trimmed));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QString text = QString::fromUtf8(handoff::fuzz::bytes(data, size));
    check(SessionLinkParser::parse(text), text);
    check(SessionLinkParser::parse(QUrl(text)), text);
    return 0;
}
