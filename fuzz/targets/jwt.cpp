// JWTs from outside: the server's AccessTokenVerifier (bearer tokens on its
// APIs) and the agent's CibaAnswers::checkIdToken (the ID token in a CIBA token
// answer). Two modes, chosen by the first byte of the input:
//
//  even: the rest is a token as anyone may send it. Without the server's key
//        nothing verifies.
//  odd:  the rest is header JSON, a NUL byte and claims JSON, which this
//        target encodes and signs with the server's key, so that the claims
//        checks behind the signature get fuzzed too: such a token never fails
//        its signature, and whatever verifies holds the claims the server
//        promises (subject, client, jti, a future expiry, a past issue time).

#include "FuzzSupport.h"
#include "agent/approval/CibaAnswers.h"
#include "core/crypto/SigningKey.h"
#include "server/ciba/AccessTokenVerifier.h"

using handoff::agent::CibaAnswers;
using handoff::crypto::SigningKey;
using handoff::server::AccessTokenVerifier;

namespace {

const QString Issuer = QStringLiteral("https://handoff.example.com");
const QString Kid = QStringLiteral("fuzz-kid");
constexpr qint64 Now = 1'800'000'000; // the tests' clock, so that their tokens make good seeds

const SigningKey& serverKey()
{
    static const SigningKey key = [] {
        auto created = SigningKey::fromPrivateScalar(QByteArrayView("server-key-scalar-for-the-fuzzer", 32));
        FUZZ_CHECK(created.ok());
        return std::move(*created);
    }();
    return key;
}

QByteArray base64Url(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

void check(const QString& token, bool signedByServer)
{
    static const AccessTokenVerifier verifier(serverKey().publicPoint(), Kid, Issuer);
    const auto claims = verifier.verify(token, Now);
    if (claims.ok()) {
        FUZZ_CHECK(signedByServer);
        FUZZ_CHECK(claims->issuer == Issuer);
        FUZZ_CHECK(!claims->subject.isEmpty() && !claims->clientId.isEmpty() && !claims->jti.isEmpty());
        FUZZ_CHECK(claims->expiresAt > Now);
        FUZZ_CHECK(claims->issuedAt <= Now + AccessTokenVerifier::MaxIssuedAtSkewSeconds);
    } else {
        const QString& code = claims.error().code;
        FUZZ_CHECK(code == u"malformed" || code == u"unsupported" || code == u"bad_signature" || code == u"wrong_issuer"
                   || code == u"expired" || code == u"not_yet_valid");
        FUZZ_CHECK(!signedByServer || code != u"bad_signature");
    }

    const auto idToken
        = CibaAnswers::checkIdToken(token, Issuer, QStringLiteral("fuzz-client"), QStringLiteral("fuzz-request"), Now);
    FUZZ_CHECK(idToken.ok() || idToken.error().code == u"invalid_id_token");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArrayView rest = handoff::fuzz::bytes(data + 1, size - 1);
    if ((data[0] & 1) == 0) {
        check(QString::fromUtf8(rest), false);
        return 0;
    }
    const qsizetype split = rest.indexOf('\0');
    const QByteArrayView header = split < 0 ? rest : rest.first(split);
    const QByteArrayView claims = split < 0 ? QByteArrayView() : rest.sliced(split + 1);
    const QByteArray signingInput = base64Url(header) + '.' + base64Url(claims);
    const auto signature = serverKey().sign(signingInput);
    FUZZ_CHECK(signature.ok());
    check(QString::fromLatin1(signingInput + '.' + base64Url(*signature)), true);
    return 0;
}
