#pragma once

// The rules of a session's life (PROTOCOL section 1): creation with fresh id and
// tokens, the state machine in which terminal states never change, and expiry.
// Everyone who ends a session goes through here, so sessionEnded() is emitted
// exactly once per session, and the relay learns of it.

#include "core/common/Result.h"
#include "server/session/CreateSessionRequest.h"
#include "server/store/SessionRecord.h"

#include <QObject>

#include <optional>

namespace handoff::server {

class SessionStore;

class SessionService final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionService)

public:
    explicit SessionService(SessionStore& store, QObject* parent = nullptr);

    struct Created final {
        SessionRecord record;
        QByteArray streamToken; // for the agent; only its hash is kept
        QByteArray viewerToken; // for the link's fragment; only its hash is kept
    };
    Result<Created> create(const QString& apiKeyId, const CreateSessionRequest& request);

    // The session, after applying an expiry that is due; nullopt for an unknown id.
    Result<std::optional<SessionRecord>> find(const QString& id);
    // Ends a live session with `to`; false when it had already ended.
    Result<bool> finish(const QString& id, SessionStatus to);
    Result<void> markActive(const QString& id);
    Result<void> pinViewerKey(const QString& id, const QByteArray& keyHash);
    // Ends every live session whose time is up, with TIMEOUT.
    void expireDue();

    // "sess_" followed by 22 or more base62 characters.
    static bool isWellFormedId(QByteArrayView id);
    static constexpr qsizetype IdRandomLength = 22;  // 22 * log2(62) = 131 bits
    static constexpr qsizetype TokenBytes = 32;      // 256 bits, base64url

Q_SIGNALS:
    void sessionCreated(qint64 expiresAtMs);
    void sessionEnded(const QString& id, handoff::server::SessionStatus status);

private:
    SessionStore& m_store;
};

} // namespace handoff::server
