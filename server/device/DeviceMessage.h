#pragma once

// The fields of what a device sends on /device (PROTOCOL 4), read and bounded
// before anything is looked up: "authenticate" {device_id, signature} and
// "approval_decision" {auth_req_id, decision, decided_at, signature}. Pure, so
// that the server's reading of these untrusted messages is tested and fuzzed on
// its own; DeviceHub and ApprovalService check the signatures against storage.

#include "core/common/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace handoff::server {

class DeviceMessage final {
public:
    DeviceMessage() = delete;

    static constexpr qsizetype MaxDeviceIdLength = 64;
    static constexpr qsizetype MaxAuthReqIdLength = 256; // longer ids are cut, and then match nothing
    static constexpr qsizetype MaxTimeLength = 64;

    struct Authenticate final {
        QString deviceId; // 1..64 characters
        QByteArray signature; // decoded base64url; its length is the verifier's to check
    };

    struct Decision final {
        QString authReqId; // non-empty, at most MaxAuthReqIdLength
        QString decision; // DeviceStatements::approveWord() or denyWord()
        QString decidedAt; // as sent (it is part of what was signed)
        QDateTime decidedTime; // decidedAt read as an ISO 8601 time, valid
        QByteArray signature; // SigningKey::SignatureSize bytes
        bool approves() const;
    };

    // The id an answer to a decision names, even when the decision is malformed.
    static QString decisionRequestId(const QJsonObject& message);

    // Error code "invalid_message" for both.
    static Result<Authenticate> authenticate(const QJsonObject& message);
    static Result<Decision> decision(const QJsonObject& message);
};

} // namespace handoff::server
