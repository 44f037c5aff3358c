// application/x-www-form-urlencoded bodies of /bc-authorize, /token and the
// other OAuth endpoints: OAuthForm::parse. A body that parses holds at most
// MaxParameters distinct, non-empty names, and the form re-encoded from the
// parsed map parses back to the same map; a refusal is an OAuth invalid_request.

#include "FuzzSupport.h"
#include "server/ciba/OAuthForm.h"

#include <QUrl>

using handoff::server::OAuthForm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto form = OAuthForm::parse(handoff::fuzz::bytes(data, size));
    if (!form) {
        FUZZ_CHECK(form.error().code == u"invalid_request");
        FUZZ_CHECK(!form.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(form->size() <= OAuthForm::MaxParameters);
    QByteArray encoded;
    for (auto it = form->cbegin(); it != form->cend(); ++it) {
        FUZZ_CHECK(!it.key().isEmpty());
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(it.key()) + '=' + QUrl::toPercentEncoding(it.value());
    }
    const auto again = OAuthForm::parse(encoded);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *form);
    return 0;
}
