#pragma once

// One HTTP response, and its serialisation. JSON helpers build the API's bodies,
// including the error shape {"error": code, "message": text}.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

namespace handoff::server {

class DeferredResponse;

struct HttpResponse final {
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool closeConnection = false; // the server closes after sending this
    // Set when the answer comes later (see DeferredResponse); the rest is then unused.
    std::shared_ptr<DeferredResponse> deferred;

    HttpResponse& setHeader(QByteArray name, QByteArray value);
    QByteArray header(QByteArrayView name) const;

    static HttpResponse json(int status, const QJsonObject& object);
    // {"error": code, "message": message} plus "field" when given.
    static HttpResponse error(int status, const QString& code, const QString& message, const QString& field = {});
    static HttpResponse text(int status, QByteArray contentType, QByteArray body);
    // An answer that `deferred` gives later.
    static HttpResponse later(std::shared_ptr<DeferredResponse> deferred);

    static QByteArray reasonPhrase(int status);
    // Status line, headers (adds Content-Length, Connection, Date) and, unless
    // `headOnly`, the body.
    QByteArray serialize(bool keepAlive, bool headOnly = false) const;
};

} // namespace handoff::server
