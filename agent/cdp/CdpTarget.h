#pragma once

// A DevTools target as /json/list describes it, and the pure rules that pick
// the one the agent drives: a --target selector matches an id exactly or a URL
// by substring; without one, the first http(s) page wins, then any page.

#include "core/common/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

namespace handoff::agent {

struct CdpTarget final {
    QString id;
    QString type; // "page", "iframe", "service_worker", "browser_ui", ...
    QString title;
    QString url;
    QUrl webSocketDebuggerUrl;
};

class CdpTargets final {
public:
    CdpTargets() = delete;

    // Upper bound on a /json/list answer we are willing to parse.
    static constexpr qsizetype MaxListBytes = 4 * 1024 * 1024;

    // Parses the JSON array /json/list returns. Entries without an id or a
    // ws(s) debugger URL are skipped (a target another client already attached
    // to has none).
    static Result<QList<CdpTarget>> parseList(const QByteArray& json);

    // Picks the target to drive. `selector` empty: the first http(s) page, else the
    // first page. Otherwise an exact id match, else the first page whose URL
    // contains `selector`.
    static Result<CdpTarget> choose(const QList<CdpTarget>& targets, const QString& selector);

    // The http://host:port/ a DevTools endpoint answers /json/* on, from any of
    // the URL forms a user may give: http(s)://host:port[/...], ws(s)://host:port/devtools/...
    static Result<QUrl> discoveryBase(const QUrl& endpoint);

    // True for ws(s)://host:port/devtools/page/<id>: a URL that needs no discovery.
    static bool isPageSocketUrl(const QUrl& url);
};

} // namespace handoff::agent
