#include "server/session/SessionService.h"

#include "core/crypto/Digest.h"
#include "core/crypto/Random.h"
#include "server/app/Logging.h"
#include "server/store/SessionStore.h"

#include <QDateTime>

namespace handoff::server {

SessionService::SessionService(SessionStore& store, QObject* parent)
    : QObject(parent)
    , m_store(store)
{
}

bool SessionService::isWellFormedId(QByteArrayView id)
{
    if (!id.startsWith("sess_") || id.size() < 5 + IdRandomLength || id.size() > 64) {
        return false;
    }
    const QByteArrayView random = id.sliced(5);
    return std::all_of(random.begin(), random.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

Result<SessionService::Created> SessionService::create(const QString& apiKeyId, const CreateSessionRequest& request)
{
    Result<QByteArray> random = crypto::Random::base62(IdRandomLength);
    Result<QByteArray> streamToken = crypto::Random::token(TokenBytes);
    Result<QByteArray> viewerToken = crypto::Random::token(TokenBytes);
    if (!random || !streamToken || !viewerToken) {
        return Error{QStringLiteral("random"), QStringLiteral("no random bytes for a new session")};
    }
    Created created;
    SessionRecord& record = created.record;
    record.id = QStringLiteral("sess_") + QString::fromLatin1(*random);
    record.apiKeyId = apiKeyId;
    record.status = SessionStatus::Pending;
    record.service = request.service;
    record.cdpUrl = request.cdpUrl;
    record.context = request.context;
    record.loginHint = request.loginHint;
    record.streamTokenHash = crypto::Digest::sha256(*streamToken);
    record.viewerTokenHash = crypto::Digest::sha256(*viewerToken);
    record.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    // Whole seconds, so that the expires_at the client reads is the instant enforced.
    const qint64 due = record.createdAtMs + qint64(request.ttlSeconds) * 1000;
    record.expiresAtMs = (due + 999) / 1000 * 1000;
    Result<void> stored = m_store.insert(record);
    if (!stored) {
        return stored.error();
    }
    created.streamToken = std::move(*streamToken);
    created.viewerToken = std::move(*viewerToken);
    qCInfo(lcSession).noquote() << "created" << record.id << "ttl" << request.ttlSeconds << "s";
    Q_EMIT sessionCreated(record.expiresAtMs);
    return created;
}

Result<std::optional<SessionRecord>> SessionService::find(const QString& id)
{
    Result<std::optional<SessionRecord>> found = m_store.find(id);
    if (!found || !found->has_value()) {
        return found;
    }
    SessionRecord& record = **found;
    if (!isTerminal(record.status) && QDateTime::currentMSecsSinceEpoch() >= record.expiresAtMs) {
        // The timer has not fired yet; the clock has. Expire now, so nobody sees a
        // session past its time.
        Result<bool> ended = finish(id, SessionStatus::Timeout);
        if (!ended) {
            return ended.error();
        }
        return m_store.find(id);
    }
    return found;
}

Result<bool> SessionService::finish(const QString& id, SessionStatus to)
{
    Result<bool> changed = m_store.finish(id, to, QDateTime::currentMSecsSinceEpoch());
    if (changed && *changed) {
        qCInfo(lcSession).noquote() << "ended" << id << toString(to);
        Q_EMIT sessionEnded(id, to);
    }
    return changed;
}

Result<void> SessionService::markActive(const QString& id)
{
    Result<bool> changed = m_store.markActive(id);
    if (!changed) {
        return changed.error();
    }
    if (*changed) {
        qCInfo(lcSession).noquote() << "active" << id;
    }
    return {};
}

Result<void> SessionService::pinViewerKey(const QString& id, const QByteArray& keyHash)
{
    return m_store.setViewerKeyHash(id, keyHash);
}

void SessionService::expireDue()
{
    Result<QStringList> due = m_store.dueForExpiry(QDateTime::currentMSecsSinceEpoch());
    if (!due) {
        qCWarning(lcSession).noquote() << due.error().message;
        return;
    }
    for (const QString& id : std::as_const(*due)) {
        Result<bool> ended = finish(id, SessionStatus::Timeout);
        if (!ended) {
            qCWarning(lcSession).noquote() << ended.error().message;
        }
    }
}

} // namespace handoff::server
