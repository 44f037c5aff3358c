#pragma once

// The one parser for session links (PROTOCOL section 1), whichever way they
// arrive: command line, a second instance, QFileOpenEvent, or pasted by a person.
// Both forms are accepted:
//
//   <public_base>/s/<session_id>#t=<viewer_token>[&k=<fingerprint>][&s=<viewer secret>]
//   handoff://s/<session_id>?server=<public_base>#t=<viewer_token>[&k=<fingerprint>][&s=<viewer secret>]
//
// where public_base is http(s)://host[:port][/prefix] and the server parameter may
// be percent-encoded or not. Surrounding whitespace is trimmed (pasted links end in
// newlines); anything else out of place is rejected with its own stable code. Error
// messages never contain the token or the secret, nor the link itself. Unknown fragment
// parameters are ignored, so a later protocol version can add some.

#include "SessionLink.h"
#include "core/common/Result.h"

#include <QLatin1StringView>
#include <QStringView>
#include <QUrl>

namespace handoff::protocol {

class SessionLinkParser final {
public:
    SessionLinkParser() = delete;

    static constexpr qsizetype MaxLinkLength = 4096;
    static constexpr qsizetype MinSessionIdSuffixLength = 22; // base62 after "sess_": >= 128 bits
    static constexpr qsizetype MaxSessionIdSuffixLength = 64;
    static constexpr qsizetype MinTokenLength = 16;
    static constexpr qsizetype MaxTokenLength = 256;
    static constexpr qsizetype FingerprintSize = 16; // bytes of k
    static constexpr qsizetype FingerprintTextLength = 22; // b64url characters of k
    static constexpr qsizetype ViewerSecretSize = 16; // bytes of s
    static constexpr qsizetype ViewerSecretTextLength = 22; // b64url characters of s

    // Error codes.
    static constexpr QLatin1StringView ErrorEmpty { "empty_link" };
    static constexpr QLatin1StringView ErrorTooLong { "link_too_long" };
    static constexpr QLatin1StringView ErrorWhitespace { "whitespace_in_link" };
    static constexpr QLatin1StringView ErrorControlCharacter { "control_character" };
    static constexpr QLatin1StringView ErrorUnparseable { "unparseable" };
    static constexpr QLatin1StringView ErrorBadScheme { "bad_scheme" };
    static constexpr QLatin1StringView ErrorBadServerScheme { "bad_server_scheme" };
    static constexpr QLatin1StringView ErrorMissingHost { "missing_host" };
    static constexpr QLatin1StringView ErrorBadPort { "bad_port" };
    static constexpr QLatin1StringView ErrorUserInfo { "userinfo_not_allowed" };
    static constexpr QLatin1StringView ErrorNotSessionLink { "not_a_session_link" };
    static constexpr QLatin1StringView ErrorBadSessionId { "bad_session_id" };
    static constexpr QLatin1StringView ErrorUnexpectedPath { "unexpected_path" };
    static constexpr QLatin1StringView ErrorUnexpectedQuery { "unexpected_query" };
    static constexpr QLatin1StringView ErrorMissingFragment { "missing_fragment" };
    static constexpr QLatin1StringView ErrorMissingToken { "missing_token" };
    static constexpr QLatin1StringView ErrorBadToken { "bad_token" };
    static constexpr QLatin1StringView ErrorDuplicateParameter { "duplicate_parameter" };
    static constexpr QLatin1StringView ErrorBadKeyFingerprint { "bad_key_fingerprint" };
    static constexpr QLatin1StringView ErrorBadViewerSecret { "bad_viewer_secret" };
    static constexpr QLatin1StringView ErrorMissingServer { "missing_server" };
    static constexpr QLatin1StringView ErrorBadServer { "bad_server" };
    static constexpr QLatin1StringView ErrorBadHandoffHost { "bad_handoff_host" };

    static Result<SessionLink> parse(QStringView text);
    // For links the platform already turned into a QUrl (QFileOpenEvent, QDesktopServices).
    static Result<SessionLink> parse(const QUrl& url);

    // "sess_" followed by 22..64 base62 characters.
    static bool isValidSessionId(QStringView sessionId);
    // 16..256 base64url characters.
    static bool isValidToken(QStringView token);
};

} // namespace handoff::protocol
