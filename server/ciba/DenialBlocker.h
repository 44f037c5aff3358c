#pragma once

// Against prompt bombing, the second line after the pending-per-user limit: a
// client whose requests one person keeps denying, or leaves unanswered until they
// expire, is stopped from asking that person again for a while, and the person is
// told so. (Ignoring prompts is how many people answer a flood of them.)
//
// After each stored denial or expiry, the requests of that client that the user
// denied or left to expire within the policy's window are counted (only those
// since the last block, so a block is not re-armed by the refusals that caused
// it). When they reach the policy's number, a block is recorded in ciba_blocks
// (kept for the audit) and the user's online devices get {"type":"notice",
// "code":"client_blocked","message","client_id","client_name","until"}. Until the
// block ends, /bc-authorize refuses that client for that user with access_denied,
// and each refusal is counted on the block. Other clients, and other users of the
// same client, are not affected.

#include "core/common/Result.h"
#include "server/ciba/DenialBlockPolicy.h"

#include <QString>

#include <optional>

namespace handoff::server {

class Database;
class DeviceHub;

class DenialBlocker final {
public:
    DenialBlocker(Database& database, DeviceHub& hub, DenialBlockPolicy policy = {});

    // A denial of `authReqId` was just stored: may start a block.
    void onDenied(const QString& authReqId, qint64 nowMs) { onRefused(authReqId, nowMs); }
    // `authReqId` expired unanswered: may start a block.
    void onExpired(const QString& authReqId, qint64 nowMs) { onRefused(authReqId, nowMs); }
    // While a block holds: why the request is refused (for error_description);
    // the refusal is counted on the block. Nothing when the client may ask.
    Result<std::optional<QString>> refusal(const QString& clientId, const QString& userId, qint64 nowMs);

    static QString noticeCode() { return QStringLiteral("client_blocked"); }
    // "30 minutes", "1 minute", "45 seconds".
    static QString describeDuration(qint64 ms);

private:
    void onRefused(const QString& authReqId, qint64 nowMs);

    Database& m_database;
    DeviceHub& m_hub;
    DenialBlockPolicy m_policy;
};

} // namespace handoff::server
