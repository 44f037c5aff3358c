#include "agent/cdp/CdpTarget.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace handoff::agent {

Result<QList<CdpTarget>> CdpTargets::parseList(const QByteArray& json)
{
    if (json.size() > MaxListBytes) {
        return Error{QStringLiteral("cdp_discovery"), QStringLiteral("the DevTools target list is too large")};
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray()) {
        return Error{QStringLiteral("cdp_discovery"),
                     QStringLiteral("the DevTools endpoint did not answer /json/list with a JSON array")};
    }
    QList<CdpTarget> targets;
    const QJsonArray array = doc.array();
    for (const QJsonValue& value : array) {
        const QJsonObject object = value.toObject();
        CdpTarget target;
        target.id = object.value(QLatin1String("id")).toString();
        target.type = object.value(QLatin1String("type")).toString();
        target.title = object.value(QLatin1String("title")).toString();
        target.url = object.value(QLatin1String("url")).toString();
        target.webSocketDebuggerUrl = QUrl(object.value(QLatin1String("webSocketDebuggerUrl")).toString());
        const QString scheme = target.webSocketDebuggerUrl.scheme();
        if (target.id.isEmpty() || !target.webSocketDebuggerUrl.isValid()
            || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))) {
            continue;
        }
        targets.append(target);
    }
    return targets;
}

Result<CdpTarget> CdpTargets::choose(const QList<CdpTarget>& targets, const QString& selector)
{
    const auto isPage = [](const CdpTarget& t) { return t.type == QLatin1String("page"); };
    if (!selector.isEmpty()) {
        for (const CdpTarget& t : targets) {
            if (t.id == selector) {
                return t;
            }
        }
        for (const CdpTarget& t : targets) {
            if (isPage(t) && t.url.contains(selector)) {
                return t;
            }
        }
        return Error{QStringLiteral("cdp_no_target"),
                     QStringLiteral("no DevTools target has the id or a URL containing the given --target")};
    }
    for (const CdpTarget& t : targets) {
        if (isPage(t)
            && (t.url.startsWith(QLatin1String("http://")) || t.url.startsWith(QLatin1String("https://")))) {
            return t;
        }
    }
    for (const CdpTarget& t : targets) {
        if (isPage(t)) {
            return t;
        }
    }
    return Error{QStringLiteral("cdp_no_target"), QStringLiteral("the browser has no page open to hand over")};
}

Result<QUrl> CdpTargets::discoveryBase(const QUrl& endpoint)
{
    const QString scheme = endpoint.scheme();
    QString httpScheme;
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws")) {
        httpScheme = QStringLiteral("http");
    } else if (scheme == QLatin1String("https") || scheme == QLatin1String("wss")) {
        httpScheme = QStringLiteral("https");
    } else {
        return Error{QStringLiteral("cdp_bad_url"),
                     QStringLiteral("the CDP URL must start with http://, https://, ws:// or wss://")};
    }
    if (!endpoint.isValid() || endpoint.host().isEmpty()) {
        return Error{QStringLiteral("cdp_bad_url"), QStringLiteral("the CDP URL has no host")};
    }
    QUrl base;
    base.setScheme(httpScheme);
    base.setHost(endpoint.host());
    base.setPort(endpoint.port());
    base.setPath(QStringLiteral("/"));
    return base;
}

bool CdpTargets::isPageSocketUrl(const QUrl& url)
{
    const QString scheme = url.scheme();
    return (scheme == QLatin1String("ws") || scheme == QLatin1String("wss"))
        && url.path().startsWith(QLatin1String("/devtools/page/"));
}

} // namespace handoff::agent
