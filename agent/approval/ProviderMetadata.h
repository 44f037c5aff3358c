#pragma once

// What a poll-mode CIBA client needs from an OpenID provider's discovery
// document (OpenID Connect Discovery 1.0 section 3, CIBA Core 1.0 section 4):
// the issuer, the backchannel authentication and token endpoints, and whether
// user codes are taken. Pure: the document and the issuer it must name in, the
// metadata or an error that says what is wrong out.
//
// The issuer must equal, character for character, the base URL the document was
// fetched under (Discovery 4.3): a document that names another issuer was not
// written by the server we were told to trust. Endpoints must be https, or http
// to a loopback host, since the client secret and the tokens travel to them.

#include "core/common/Result.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace handoff::agent {

struct ProviderMetadata final {
    QString issuer;
    QUrl backchannelAuthenticationEndpoint;
    QUrl tokenEndpoint;
    bool userCodeSupported = false;

    static constexpr qsizetype MaxDocumentBytes = 64 * 1024;
    static constexpr qsizetype MaxUrlLength = 2048;

    // Error codes: "bad_discovery" (not a usable document), "issuer_mismatch",
    // "unsupported_server" (no poll delivery, no CIBA grant, no client_secret_basic).
    static Result<ProviderMetadata> parse(const QByteArray& document, const QString& expectedIssuer);

    // The issuer identifier for a base URL as a person gives it: the URL without a
    // trailing slash. Empty when the URL cannot be an issuer (not http(s), no host,
    // a query, a fragment or user info).
    static QString issuerFor(const QUrl& base);
    // The well-known URL of the discovery document for an issuer.
    static QUrl discoveryUrl(const QString& issuer);
};

} // namespace handoff::agent
