#pragma once

// The bodies the OP POSTs to a client notification endpoint (CIBA Core 10.2,
// 10.3, 12), and the check of the client_notification_token that authenticates
// them. Pure.
//   ping:           {"auth_req_id"}, whatever the outcome; the client then asks /token.
//   push, approved: the token response plus auth_req_id (10.3.1; the ID token holds
//                   at_hash and the auth_req_id claim, and no refresh token is issued,
//                   so there is no rt_hash).
//   push, denied:   {"auth_req_id", "error": "access_denied", "error_description"}
//   push, expired:  ... "error": "expired_token" ...
//   push, failed:   ... "error": "transaction_failed" ... (the tokens could not be made)

#include <QJsonObject>
#include <QString>

namespace handoff::server {

struct IssuedTokens;

class NotificationPayload final {
public:
    NotificationPayload() = delete;

    // RFC 6750 2.1 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=",
    // so that the token can never break out of the Authorization header.
    static bool isBearerToken(const QString& token);

    static QJsonObject ping(const QString& authReqId);
    static QJsonObject pushTokens(const QString& authReqId, const IssuedTokens& tokens);
    // outcome "denied" or "expired"; anything else is reported as transaction_failed.
    static QJsonObject pushError(const QString& authReqId, const QString& outcome);
};

} // namespace handoff::server
