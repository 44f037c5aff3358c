#pragma once

// The demo bank's sign-in sessions, in memory, keyed by the (hashed) value of an
// HttpOnly cookie. A session only moves forward through the stages, and gets a
// new id each time it does, so a cookie seen before a step is worth nothing after.
// Bounded: idle and old sessions expire, and the oldest go when the table is full.

#include "server/demo/OneTimeCode.h"

#include <QByteArray>
#include <QHashFunctions>
#include <QString>

#include <functional>
#include <optional>
#include <unordered_map>

namespace handoff::server {

struct DemoSession final {
    enum class Stage {
        AwaitingCode, // the password was right; a one-time code is out
        Locked,       // too many wrong codes: only signing in again helps
        SignedIn,     // the code was right: the account page is open
    };
    Stage stage = Stage::AwaitingCode;
    QString userName;
    std::optional<OneTimeCode> code;
    int resends = 0;
    bool codeResent = false; // the next verify page says a new code went out
    qint64 createdMs = 0;
    qint64 lastSeenMs = 0;
};

class DemoSessions final {
public:
    static constexpr qint64 IdleTimeoutMs = 15 * 60 * 1000;
    static constexpr qint64 MaxAgeMs = 60 * 60 * 1000;
    static constexpr qsizetype MaxSessions = 10'000;

    using Clock = std::function<qint64()>; // monotonic milliseconds

    explicit DemoSessions(Clock clock);

    // Stores `session` under a fresh random id and returns the id (for the cookie),
    // or an empty id when no randomness could be had.
    QByteArray create(DemoSession session);
    // The live session for a cookie value, or nullptr. Touches it.
    DemoSession* find(QByteArrayView id);
    // Moves the session to a fresh id; returns it (empty if `id` is unknown).
    QByteArray rotate(QByteArrayView id);
    void remove(QByteArrayView id);
    qsizetype size() const { return qsizetype(m_sessions.size()); }
    qint64 now() const { return m_clock(); }

private:
    static QByteArray keyOf(QByteArrayView id);
    bool isExpired(const DemoSession& session, qint64 nowMs) const;
    void makeRoom();

    struct KeyHash final {
        size_t operator()(const QByteArray& key) const noexcept { return qHash(key); }
    };

    Clock m_clock;
    // SHA-256 of the id -> session. A std container: sessions hold move-only secrets.
    std::unordered_map<QByteArray, DemoSession, KeyHash> m_sessions;
};

} // namespace handoff::server
