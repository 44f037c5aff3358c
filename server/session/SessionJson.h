#pragma once

// The JSON shapes of a session that the API and the relay send, and the RFC 3339
// form of its times.

#include "server/store/SessionRecord.h"

#include <QJsonObject>

namespace handoff::server {

class SessionJson final {
public:
    SessionJson() = delete;
    static QString timestamp(qint64 msSinceEpoch); // RFC 3339 UTC, whole seconds: 2025-01-31T12:00:00Z
    // GET /session/{id}: {session_id, status, service, context, created_at, expires_at}
    static QJsonObject status(const SessionRecord& record);
    // The relay's {"type":"session_info", session_id, service, context, expires_at}
    static QJsonObject info(const SessionRecord& record);
};

} // namespace handoff::server
