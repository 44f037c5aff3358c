#pragma once

// The one-time link that pairs the desktop app with a user on a server
// (`handoff-server devices pair EMAIL`). Two forms, like session links:
//
//   handoff://pair?server=<percent-encoded base URL>#t=<pairing token>
//   <base URL>/pair#t=<pairing token>
//
// The token sits in the fragment so that proxies and server logs never see it.
// Pure: no I/O.

#include "core/common/Result.h"

#include <QString>
#include <QUrl>

namespace handoff::device {

struct PairingLink final {
    QUrl server;  // http(s) base URL, no query or fragment
    QString token; // base64url, 43 characters (256 bits)

    static Result<PairingLink> parse(const QString& text);
    static bool looksLikePairingLink(const QString& text);
    QString toAppLink() const; // the handoff:// form
    QString toWebLink() const; // the <base>/pair form
};

} // namespace handoff::device
