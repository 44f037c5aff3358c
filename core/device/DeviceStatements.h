#pragma once

// The exact byte strings a device signs with its P-256 key (ECDSA over SHA-256,
// 64-byte r || s). The server builds the same bytes from its own records to
// verify, and so can anyone holding an audit export, so the format is fixed here
// once and documented in docs/ciba.md:
//
//   <title line>\n
//   <name>=<length>:<value>\n      one line per field, in the fixed order below
//
// <length> is the decimal count of UTF-8 bytes of <value>, so a value holding
// "\n" or "=" cannot be mistaken for another field. Times are RFC 3339 UTC with
// whole seconds ("2025-01-31T12:00:00Z"), exactly as the server sent them.
//
//   "handoff approval decision v1": server, auth_req_id, client_id, client_name,
//       user, scope, binding_message, requested_at, expires_at, device_id,
//       decision ("approve" or "deny"), decided_at
//   "handoff device authentication v1": server, device_id, nonce
//   "handoff device pairing v1": server, pairing_token, public_key (b64), name
//
// "server" is serverIdentity() of the server's public URL, so a signature made
// for one server is worth nothing on another.

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace handoff::device {

struct ApprovalRequest;

class DeviceStatements final {
public:
    DeviceStatements() = delete;

    // scheme://host[:port][/path] in lower case, default port and trailing '/' dropped.
    static QString serverIdentity(const QUrl& serverUrl);
    // RFC 3339 UTC, whole seconds.
    static QString timestamp(qint64 msSinceEpoch);

    static QByteArray approvalDecision(const QString& server, const ApprovalRequest& request, const QString& deviceId,
                                       const QString& decision, const QString& decidedAt);
    static QByteArray deviceAuthentication(const QString& server, const QString& deviceId, const QString& nonce);
    static QByteArray pairing(const QString& server, const QString& pairingToken, const QByteArray& publicKeyBase64,
                              const QString& deviceName);

    static QString approveWord() { return QStringLiteral("approve"); }
    static QString denyWord() { return QStringLiteral("deny"); }
};

} // namespace handoff::device
