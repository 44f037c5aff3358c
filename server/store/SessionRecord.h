#pragma once

// A session as stored. Secrets are kept only as SHA-256 hashes.

#include "server/session/SessionStatus.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace handoff::server {

struct SessionRecord final {
    QString id;
    QString apiKeyId;
    SessionStatus status = SessionStatus::Pending;
    QString service;
    QString cdpUrl;
    QJsonObject context;
    QString loginHint;
    QByteArray streamTokenHash;
    QByteArray viewerTokenHash;
    QByteArray viewerKeyHash; // empty until a viewer completes a version-2 handshake
    qint64 createdAtMs = 0;
    qint64 expiresAtMs = 0;
    std::optional<qint64> endedAtMs;
};

} // namespace handoff::server
