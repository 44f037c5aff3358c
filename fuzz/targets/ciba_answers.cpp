// What the agent reads from a CIBA provider (handoff-agent approve, the MCP
// approval tool): the /bc-authorize answer (CibaAnswers::parseAuthentication),
// each /token poll (parseToken), an OAuth error body (parseOAuthError) and the
// discovery document (ProviderMetadata::parse), the same bytes given to each
// with a success and an error status. What is accepted lies within the bounds
// the client's timers and requests rely on; text meant for a person is bounded.

#include "FuzzSupport.h"
#include "agent/approval/CibaAnswers.h"
#include "agent/approval/ProviderMetadata.h"

using namespace handoff::agent;

namespace {

const QString Issuer = QStringLiteral("https://handoff.example.com");

void checkError(const handoff::Error& error)
{
    FUZZ_CHECK(!error.code.isEmpty() && error.code.size() <= 100);
    FUZZ_CHECK(error.message.size() <= 2000);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray body = handoff::fuzz::bytes(data, size).toByteArray();
    for (const int status : { 200, 400 }) {
        if (const auto grant = CibaAnswers::parseAuthentication(status, body); grant.ok()) {
            FUZZ_CHECK(status == 200);
            FUZZ_CHECK(!grant->authReqId.isEmpty() && grant->authReqId.size() <= CibaAnswers::MaxAuthReqIdLength);
            FUZZ_CHECK(grant->expiresIn >= 1 && grant->expiresIn <= CibaAnswers::MaxExpiresInSeconds);
            FUZZ_CHECK(grant->interval >= 0 && grant->interval <= CibaAnswers::MaxIntervalSeconds);
        } else {
            checkError(grant.error());
        }

        const TokenAnswer answer = CibaAnswers::parseToken(status, body);
        if (answer.kind == TokenAnswer::Kind::Granted) {
            FUZZ_CHECK(status == 200);
            FUZZ_CHECK(!answer.tokens.accessToken.isEmpty() && answer.tokens.expiresIn >= 0);
        } else {
            checkError(answer.error);
        }
    }
    if (const auto error = CibaAnswers::parseOAuthError(body))
        checkError(*error);

    if (const auto metadata = ProviderMetadata::parse(body, Issuer); metadata.ok()) {
        FUZZ_CHECK(metadata->issuer == Issuer);
        for (const QUrl& endpoint : { metadata->backchannelAuthenticationEndpoint, metadata->tokenEndpoint }) {
            FUZZ_CHECK(endpoint.isValid() && !endpoint.host().isEmpty());
            FUZZ_CHECK(endpoint.scheme() == u"https" || endpoint.scheme() == u"http");
        }
    } else {
        checkError(metadata.error());
    }
    return 0;
}
