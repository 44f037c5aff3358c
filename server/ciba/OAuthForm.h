#pragma once

// Parsing of application/x-www-form-urlencoded bodies as OAuth 2.0 endpoints
// receive them (RFC 6749 appendix B): '+' is a space, %XX is a byte, values are
// UTF-8, and a parameter sent twice is an error (RFC 6749 3.1). Pure.

#include "core/common/Result.h"

#include <QByteArrayView>
#include <QMap>
#include <QString>

namespace handoff::server {

class OAuthForm final {
public:
    OAuthForm() = delete;
    static constexpr qsizetype MaxParameters = 50;
    // Error code "invalid_request" with a message naming the problem.
    static Result<QMap<QString, QString>> parse(QByteArrayView body);
};

} // namespace handoff::server
