#pragma once

// Tells which authentication wall the page shows, from DOM heuristics run in
// the page with Runtime.evaluate: a CAPTCHA widget, a one-time-code field, a
// password field, a security question or a file upload; or none. Nothing of
// what the page holds leaves it: the script returns only the kind.

#include "core/common/Result.h"

#include <QString>

#include <functional>

namespace handoff::agent {

class CdpClient;

class WallDetector final {
public:
    WallDetector() = delete;

    // "password", "otp", "captcha", "security_question", "file_upload" or "none".
    static void detect(CdpClient& cdp, std::function<void(const Result<QString>&)> callback);
    // The script detect() evaluates (for tests and for review).
    static QString script();
    // The POST /session blocker_type for a detected kind ("file_upload" is
    // "document_upload" there, "none" is "other").
    static QString blockerType(const QString& kind);
};

} // namespace handoff::agent
