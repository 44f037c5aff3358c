// Pairing links (PROTOCOL 4), pasted or opened: PairingLink::parse. A link that
// parses holds an http(s) server and a 43-character base64url token, is
// recognised by looksLikePairingLink, and comes back equal from both of its
// spellings (toAppLink, toWebLink).

#include "FuzzSupport.h"
#include "core/device/PairingLink.h"

using handoff::device::PairingLink;

namespace {

bool isBase64Url(const QString& text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'-'
            || c == u'_';
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QString text = QString::fromUtf8(handoff::fuzz::bytes(data, size));
    const bool looksLikeOne = PairingLink::looksLikePairingLink(text);
    const auto link = PairingLink::parse(text);
    if (!link) {
        FUZZ_CHECK(handoff::fuzz::isErrorCode(link.error().code));
        FUZZ_CHECK(!link.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(looksLikeOne);
    FUZZ_CHECK(link->token.size() == 43 && isBase64Url(link->token));
    FUZZ_CHECK(link->server.isValid() && !link->server.host().isEmpty());
    FUZZ_CHECK(link->server.scheme() == u"http" || link->server.scheme() == u"https");
    FUZZ_CHECK(!link->server.hasQuery() && !link->server.hasFragment());

    for (const QString& spelling : { link->toAppLink(), link->toWebLink() }) {
        FUZZ_CHECK(PairingLink::looksLikePairingLink(spelling));
        const auto again = PairingLink::parse(spelling);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again->server == link->server);
        FUZZ_CHECK(again->token == link->token);
    }
    return 0;
}
