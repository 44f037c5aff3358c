#pragma once

// One parsed HTTP/1.1 request: the head from HttpRequestParser plus the body the
// connection read for it.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QUrlQuery>

namespace handoff::server {

struct HttpRequest final {
    QByteArray method;  // as sent; methods are case-sensitive
    QByteArray target;  // origin-form as sent: path and query
    QByteArray path;    // target up to '?', still percent-encoded
    QByteArray query;   // after '?', without it; never logged (it may hold a token)
    int minorVersion = 1;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    qint64 contentLength = 0;
    bool keepAlive = true;
    bool webSocketUpgrade = false;
    bool expectContinue = false;
    QByteArray body;
    QHostAddress peer;

    // First value of a header (name in lower case), or a null QByteArray.
    QByteArray header(QByteArrayView lowerName) const
    {
        for (const auto& [name, value] : headers) {
            if (name == lowerName) {
                return value;
            }
        }
        return {};
    }
    bool hasHeader(QByteArrayView lowerName) const
    {
        for (const auto& pair : headers) {
            if (pair.first == lowerName) {
                return true;
            }
        }
        return false;
    }
    QUrlQuery queryItems() const { return QUrlQuery(QString::fromUtf8(query)); }
};

} // namespace handoff::server
