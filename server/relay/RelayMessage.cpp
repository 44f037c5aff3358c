#include "server/relay/RelayMessage.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace handoff::server {

RelayMessage::Text RelayMessage::inspect(const QString& text)
{
    Text result;
    // Cheap test first: every message of interest is a small JSON object.
    if (text.size() > 16 * 1024 || !text.startsWith(QLatin1Char('{')) || !text.contains(QLatin1String("\"type\""))) {
        return result;
    }
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    if (!document.isObject()) {
        return result;
    }
    const QJsonObject object = document.object();
    const QJsonValue type = object.value(QLatin1String("type"));
    if (!type.isString()) {
        return result;
    }
    result.type = type.toString();
    if (result.type == QLatin1String("pubkey")) {
        const QJsonValue version = object.value(QLatin1String("v"));
        result.version = version.isDouble() ? version.toInt(1) : 1;
        const QJsonValue key = object.value(QLatin1String("key"));
        if (key.isString()) {
            auto decoded = QByteArray::fromBase64Encoding(key.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (decoded) {
                result.key = decoded.decoded;
            }
        }
    }
    return result;
}

bool RelayMessage::isV2FrameRecord(const QByteArray& message)
{
    return message.size() >= 2 && message.at(0) == 0x02 && message.at(1) == 0x02;
}

QString RelayMessage::control(const char* type)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("type"), QString::fromLatin1(type)}})
                                 .toJson(QJsonDocument::Compact));
}

QString RelayMessage::error(const QString& code, const QString& message)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                                       {QStringLiteral("code"), code},
                                                       {QStringLiteral("message"), message}})
                                 .toJson(QJsonDocument::Compact));
}

} // namespace handoff::server
