#include "agent/cdp/CdpMessage.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>

namespace handoff::agent {

namespace {

// Compared as a double first: converting an out-of-range double to an integer
// is undefined behaviour, and 1.5 must not answer command 1.
qint64 commandId(double value)
{
    if (!(value >= 1 && value <= double(CdpMessage::MaxId)) || std::floor(value) != value) {
        return 0;
    }
    return qint64(value);
}

} // namespace

Result<CdpMessage> CdpMessage::parse(QByteArrayView json)
{
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return Error { QStringLiteral("not_json"), QStringLiteral("the DevTools message is not a JSON object") };
    }
    const QJsonObject object = document.object();
    CdpMessage message;
    const QJsonValue id = object.value(QLatin1String("id"));
    if (id.isDouble()) {
        message.id = commandId(id.toDouble());
        if (object.contains(QLatin1String("error"))) {
            const QJsonObject error = object.value(QLatin1String("error")).toObject();
            message.kind = Kind::Error;
            message.errorMessage = error.value(QLatin1String("message")).toString();
            message.errorCode = error.value(QLatin1String("code")).toInt();
        } else {
            message.kind = Kind::Result;
            message.result = object.value(QLatin1String("result")).toObject();
        }
        return message;
    }
    message.method = object.value(QLatin1String("method")).toString();
    if (message.method.isEmpty()) {
        return Error { QStringLiteral("not_cdp"),
                       QStringLiteral("the DevTools message has neither an id nor a method") };
    }
    message.kind = Kind::Event;
    message.params = object.value(QLatin1String("params")).toObject();
    return message;
}

} // namespace handoff::agent
