#pragma once

// Checks one line of an audit export (AuditRecord). Pure: what a server database
// says comes in through Reference, when one is at hand.
//
// A request line verifies when it parses, its outcome matches the signed decision
// (approve -> approved, deny -> denied), and the ES256 signature verifies with the
// public key in the line over the statement rebuilt from the line's own fields.
// That alone proves that whoever holds that key signed exactly this text. With a
// Reference it also proves the key is the one the server registered for that
// device at pairing, and that the server's own record of the request holds the
// same decision and signature (so an approval cannot be passed off as expired).
// Undecided lines (pending, expired) carry no signature and count as unsigned;
// block lines are events with nothing to verify.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>

namespace handoff::server {

struct AuditVerdict final {
    enum class Kind { Verified, Unsigned, Event, Failed };
    Kind kind = Kind::Failed;
    QString reason; // why it failed
    QString authReqId;
    QString outcome;
    QString deviceId;
    QString event; // the line type of an Event ("block", "user_code_lock")
};

class AuditVerifier final {
public:
    AuditVerifier() = delete;

    struct StoredRequest final {
        QString outcome;
        QByteArray signature; // empty when undecided
    };
    struct Reference final {
        std::function<std::optional<QByteArray>(const QString& deviceId)> deviceKey;
        std::function<std::optional<StoredRequest>(const QString& authReqId)> request;
    };

    static constexpr qsizetype MaxLineBytes = 64 * 1024;

    static AuditVerdict verifyLine(QByteArrayView line, const Reference* reference);
};

} // namespace handoff::server
