#pragma once

// One HTTP response, and its serialisation. JSON helpers build the API's bodies,
// including the error shape {"error": code, "message": text}.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace handoff::server {

struct HttpResponse final {
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool closeConnection = false; // the server closes after sending this

    HttpResponse& setHeader(QByteArray name, QByteArray value);
    QByteArray header(QByteArrayView name) const;

    static HttpResponse json(int status, const QJsonObject& object);
    // {"error": code, "message": message} plus "field" when given.
    static HttpResponse error(int status, const QString& code, const QString& message, const QString& field = {});
    static HttpResponse text(int status, QByteArray contentType, QByteArray body);

    static QByteArray reasonPhrase(int status);
    // Status line, headers (adds Content-Length, Connection, Date) and, unless
    // `headOnly`, the body.
    QByteArray serialize(bool keepAlive, bool headOnly = false) const;
};

} // namespace handoff::server
