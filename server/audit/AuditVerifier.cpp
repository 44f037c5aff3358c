#include "server/audit/AuditVerifier.h"

#include "core/crypto/SigningKey.h"
#include "core/device/DeviceStatements.h"
#include "server/audit/AuditRecord.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace handoff::server {

namespace {

AuditVerdict failed(AuditVerdict verdict, const QString& reason)
{
    verdict.kind = AuditVerdict::Kind::Failed;
    verdict.reason = reason;
    return verdict;
}

bool isDecided(const QString& outcome)
{
    return outcome == QLatin1String("approved") || outcome == QLatin1String("denied");
}

} // namespace

AuditVerdict AuditVerifier::verifyLine(QByteArrayView line, const Reference* reference)
{
    AuditVerdict verdict;
    if (line.size() > MaxLineBytes) {
        return failed(verdict, QStringLiteral("the line is longer than %1 bytes").arg(MaxLineBytes));
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return failed(verdict, QStringLiteral("not a JSON object"));
    }
    const QJsonObject object = document.object();
    const QString type = object.value(QStringLiteral("type")).toString();
    if (type == AuditBlock::typeName() || type == AuditUserCodeLock::typeName()) {
        verdict.kind = AuditVerdict::Kind::Event;
        verdict.event = type;
        return verdict;
    }
    if (type != AuditRecord::typeName()) {
        return failed(verdict, QStringLiteral("unknown line type"));
    }
    const Result<AuditRecord> parsed = AuditRecord::fromJson(object);
    if (!parsed) {
        return failed(verdict, parsed.error().message);
    }
    const AuditRecord& record = *parsed;
    verdict.authReqId = record.request.authReqId;
    verdict.outcome = record.outcome;
    verdict.deviceId = record.deviceId;
    if (!isDecided(record.outcome) && record.outcome != QLatin1String("expired")
        && record.outcome != QLatin1String("pending")) {
        return failed(verdict, QStringLiteral("unknown outcome"));
    }
    std::optional<StoredRequest> stored;
    if (reference) {
        stored = reference->request(record.request.authReqId);
        if (!stored) {
            return failed(verdict, QStringLiteral("the server database holds no such request"));
        }
    }
    if (!record.isSigned()) {
        if (isDecided(record.outcome)) {
            return failed(verdict, QStringLiteral("a decided request without a signature"));
        }
        // A pending line may simply be older than the decision; an expired one can never have been decided.
        if (stored && !stored->signature.isEmpty() && record.outcome == QLatin1String("expired")) {
            return failed(verdict, QStringLiteral("the server's record holds a signed decision (%1) that the line drops")
                                       .arg(stored->outcome));
        }
        verdict.kind = AuditVerdict::Kind::Unsigned;
        return verdict;
    }
    const QString expected = record.decision == device::DeviceStatements::approveWord() ? QStringLiteral("approved")
                             : record.decision == device::DeviceStatements::denyWord()  ? QStringLiteral("denied")
                                                                                        : QString();
    if (expected.isEmpty()) {
        return failed(verdict, QStringLiteral("decision is neither approve nor deny"));
    }
    if (record.outcome != expected) {
        return failed(verdict, QStringLiteral("the outcome does not match the signed decision"));
    }
    if (!crypto::SigningKey::verify(record.devicePublicKey, record.statement(), record.signature)) {
        return failed(verdict, QStringLiteral("the signature does not verify over the line's fields"));
    }
    if (reference) {
        const std::optional<QByteArray> registered = reference->deviceKey(record.deviceId);
        if (!registered) {
            return failed(verdict, QStringLiteral("the server database knows no such device"));
        }
        if (*registered != record.devicePublicKey) {
            return failed(verdict, QStringLiteral("the public key is not the one the server registered for this device"));
        }
        if (stored->signature != record.signature || stored->outcome != record.outcome) {
            return failed(verdict, QStringLiteral("the line does not match the server's record of the request"));
        }
    }
    verdict.kind = AuditVerdict::Kind::Verified;
    return verdict;
}

} // namespace handoff::server
