#pragma once

// A folder that only this user can reach, for the single-instance lock and
// socket: a socket or lock in a folder that other local users can write to could
// be taken (or faked) by one of them first. ensure() makes the folder owner-only
// when it creates it and refuses one that belongs to someone else or that
// others may write to.

#include "core/common/Result.h"

#include <QString>

namespace handoff::app {

class PrivateFolder final {
public:
    PrivateFolder() = delete;

    // A real folder (not a symbolic link) owned by this user that no one else may write to.
    static bool isPrivate(const QString& path);
    // Creates `path` owner-only when it is missing; then it must be private.
    static Result<void> ensure(const QString& path);
};

} // namespace handoff::app
