#pragma once

// The tables of the limits against guessing and wearing people down, one
// migration of the server's database (append-only): wrong user codes (each one,
// counted per person and per client within a window) and the locks they caused
// (kept for the audit like the denial blocks), and the count of unanswered
// requests among the refusals that started a denial block.

#include <QList>

namespace handoff::server {

class AbuseLimitSchema final {
public:
    AbuseLimitSchema() = delete;
    static const QList<const char*>& migrationStatements();
};

} // namespace handoff::server
