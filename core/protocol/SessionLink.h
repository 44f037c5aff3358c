#pragma once

// A parsed session link (PROTOCOL section 1): which server, which session, the
// viewer token from the fragment and, for version 2, the agent key fingerprint
// (k) and the viewer secret (s). Only SessionLinkParser makes one, so every
// SessionLink holds checked values.
//
// The viewer token and the viewer secret are secrets: never log them, nor any URL
// built from them (streamUrl(), toWebUrl(), toHandoffUrl()). describe() is the
// loggable form.

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace handoff::protocol {

class SessionLink final {
public:
    // http(s)://host[:port][/prefix], normalised: lower-case scheme and host, no
    // default port, no user info, query, fragment or trailing slash.
    const QUrl& serverBase() const { return m_serverBase; }
    const QString& sessionId() const { return m_sessionId; }
    const QString& viewerToken() const { return m_viewerToken; }
    // The 16 bytes of k, when the link has one (version 2 pins the agent's key).
    const std::optional<QByteArray>& keyFingerprint() const { return m_keyFingerprint; }
    bool hasKeyFingerprint() const { return m_keyFingerprint.has_value(); }
    // The 16 bytes of s, when the link has one (version 2 proves the viewer read the link).
    const std::optional<QByteArray>& viewerSecret() const { return m_viewerSecret; }
    bool usesTls() const;

    // ws(s)://host[:port][/prefix]/stream/<id>?role=viewer&token=<viewer token>
    QUrl streamUrl() const;
    // <serverBase>/s/<id>#t=<token>[&k=<fingerprint>][&s=<secret>], the server's session_url form.
    QUrl toWebUrl() const;
    // handoff://s/<id>?server=<serverBase, percent-encoded>#t=<token>[&k=<fingerprint>][&s=<secret>],
    // the form the agent gives first: it opens the app without passing through a page the relay serves.
    QUrl toHandoffUrl() const;

    // Server and session only, for logs and the UI: "https://relay.example.com/s/sess_…".
    // Wherever the token or the viewer secret appears in that text, it reads "[secret]".
    QString describe() const;

    friend bool operator==(const SessionLink&, const SessionLink&) = default;

private:
    friend class SessionLinkParser;

    SessionLink(QUrl serverBase, QString sessionId, QString viewerToken, std::optional<QByteArray> keyFingerprint,
                std::optional<QByteArray> viewerSecret);

    QString fragment() const;

    QUrl m_serverBase;
    QString m_sessionId;
    QString m_viewerToken;
    std::optional<QByteArray> m_keyFingerprint;
    std::optional<QByteArray> m_viewerSecret;
};

} // namespace handoff::protocol
