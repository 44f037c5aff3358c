#include "core/common/EndpointPolicy.h"

#include <QHostAddress>
#include <QUrl>

namespace handoff {

bool EndpointPolicy::isAcceptable(const QUrl& url)
{
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasFragment()) {
        return false;
    }
    if (url.scheme() == QLatin1String("https")) {
        return true;
    }
    if (url.scheme() != QLatin1String("http")) {
        return false;
    }
    // QUrl keeps host names in lower case.
    const QHostAddress address(url.host());
    return url.host() == QLatin1String("localhost") || (!address.isNull() && address.isLoopback());
}

} // namespace handoff
