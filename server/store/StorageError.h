#pragma once

// The Error every store returns when SQLite refuses a statement: code "storage",
// what we were doing, and SQLite's own words (never a bound value, so no secret).
// One definition for the server's stores, so they all report it the same way.

#include "core/common/Result.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QString>

namespace handoff::server {

inline Error sqlError(const QString& what, const QSqlError& error)
{
    return Error { QStringLiteral("storage"), QStringLiteral("%1: %2").arg(what, error.text()) };
}

inline Error sqlError(const QString& what, const QSqlQuery& query)
{
    return sqlError(what, query.lastError());
}

} // namespace handoff::server
