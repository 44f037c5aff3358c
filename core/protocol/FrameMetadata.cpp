#include "core/protocol/FrameMetadata.h"

#include "core/protocol/ProtocolError.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLocale>

#include <cmath>

namespace handoff::protocol {

namespace {

constexpr double MaxDeviceSize = 10000;
constexpr double MaxOffsetTop = 10000;
constexpr double MaxScrollOffset = 10000000;
constexpr double MaxPageScale = 10;
constexpr double MaxTimestamp = 1e11;

bool inRange(double value, double low, double high)
{
    return std::isfinite(value) && value >= low && value <= high;
}

Result<QJsonObject> parseMetadataObject(QByteArrayView json)
{
    if (json.size() > FrameMetadata::MaxJsonSize)
        return makeError("too_large", QStringLiteral("The frame metadata is larger than 4 KiB."));
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return makeError("bad_json", QStringLiteral("The frame metadata is not a JSON object."));
    return document.object();
}

Result<double> readNumber(const QJsonObject& object, QLatin1String name)
{
    const QJsonValue value = object.value(name);
    if (!value.isDouble())
        return makeError("bad_field",
                     QStringLiteral("The frame metadata field \"%1\" is missing or not a number.").arg(name));
    return value.toDouble();
}

// Shortest text that reads back as the same double, as JavaScript prints numbers.
QByteArray number(double value)
{
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

Result<FrameMetadata> readGeometry(const QJsonObject& object)
{
    FrameMetadata meta;
    const struct {
        QLatin1String name;
        double FrameMetadata::*field;
    } fields[] = {
        { QLatin1String("deviceWidth"), &FrameMetadata::deviceWidth },
        { QLatin1String("deviceHeight"), &FrameMetadata::deviceHeight },
        { QLatin1String("offsetTop"), &FrameMetadata::offsetTop },
        { QLatin1String("pageScaleFactor"), &FrameMetadata::pageScaleFactor },
        { QLatin1String("scrollOffsetX"), &FrameMetadata::scrollOffsetX },
        { QLatin1String("scrollOffsetY"), &FrameMetadata::scrollOffsetY },
    };
    for (const auto& field : fields) {
        auto value = readNumber(object, field.name);
        if (!value)
            return value.error();
        meta.*field.field = *value;
    }
    auto valid = meta.validateGeometry();
    if (!valid)
        return valid.error();
    return meta;
}

QByteArray geometryFields(const FrameMetadata& meta)
{
    return "\"deviceWidth\":" + number(meta.deviceWidth) + ",\"deviceHeight\":" + number(meta.deviceHeight)
        + ",\"offsetTop\":" + number(meta.offsetTop) + ",\"pageScaleFactor\":" + number(meta.pageScaleFactor)
        + ",\"scrollOffsetX\":" + number(meta.scrollOffsetX) + ",\"scrollOffsetY\":" + number(meta.scrollOffsetY);
}

Result<void> validateJpegSize(qint64 size)
{
    if (size < 1 || size > FrameMetadata::MaxImageSize)
        return makeError("bad_field", QStringLiteral("The frame's jpegSize must be 1 to 4 MiB."));
    return {};
}

Result<void> validateTimestamp(double timestamp)
{
    if (!inRange(timestamp, 0, MaxTimestamp))
        return makeError("bad_field",
                     QStringLiteral("The frame's timestamp must be a finite number of seconds, 0 to 1e11."));
    return {};
}

} // namespace

Result<void> FrameMetadata::validateGeometry() const
{
    if (!inRange(deviceWidth, 1, MaxDeviceSize) || !inRange(deviceHeight, 1, MaxDeviceSize))
        return makeError("bad_field", QStringLiteral("The frame's deviceWidth and deviceHeight must be 1 to 10,000."));
    if (!inRange(offsetTop, -MaxOffsetTop, MaxOffsetTop))
        return makeError("bad_field", QStringLiteral("The frame's offsetTop must be -10,000 to 10,000."));
    if (!std::isfinite(pageScaleFactor) || pageScaleFactor <= 0 || pageScaleFactor > MaxPageScale)
        return makeError("bad_field", QStringLiteral("The frame's pageScaleFactor must be above 0 and at most 10."));
    if (!inRange(scrollOffsetX, -MaxScrollOffset, MaxScrollOffset)
        || !inRange(scrollOffsetY, -MaxScrollOffset, MaxScrollOffset))
        return makeError("bad_field", QStringLiteral("The frame's scroll offsets must be finite and within 10,000,000."));
    return {};
}

Result<FrameMetadata> FrameMetadata::parseV1Message(QByteArrayView text)
{
    auto object = parseMetadataObject(text);
    if (!object)
        return object.error();
    if (object->value(QLatin1String("type")).toString() != QLatin1String("frame"))
        return makeError("wrong_type", QStringLiteral("The message is not a \"frame\" message."));
    auto meta = readGeometry(*object);
    if (!meta)
        return meta;
    const auto jpegSize = readNumber(*object, QLatin1String("jpegSize"));
    if (!jpegSize)
        return jpegSize.error();
    // Compare as double first: casting an out-of-range double to an integer is undefined.
    if (!inRange(*jpegSize, 1, double(MaxImageSize)) || std::floor(*jpegSize) != *jpegSize)
        return makeError("bad_field", QStringLiteral("The frame's jpegSize must be a whole number, 1 to 4 MiB."));
    meta->jpegSize = qint64(*jpegSize);
    return meta;
}

Result<FrameMetadata> FrameMetadata::parseV2Json(QByteArrayView json)
{
    auto object = parseMetadataObject(json);
    if (!object)
        return object.error();
    auto meta = readGeometry(*object);
    if (!meta)
        return meta;
    const auto timestamp = readNumber(*object, QLatin1String("timestamp"));
    if (!timestamp)
        return timestamp.error();
    if (auto valid = validateTimestamp(*timestamp); !valid)
        return valid.error();
    meta->timestamp = *timestamp;
    const QJsonValue format = object->value(QLatin1String("format"));
    if (format.isString() && format.toString() == QLatin1String("jpeg"))
        meta->format = Format::Jpeg;
    else if (format.isString() && format.toString() == QLatin1String("png"))
        meta->format = Format::Png;
    else
        return makeError("bad_field", QStringLiteral("The frame's format must be \"jpeg\" or \"png\"."));
    return meta;
}

Result<QByteArray> FrameMetadata::toV1Message() const
{
    if (auto valid = validateGeometry(); !valid)
        return valid.error();
    if (auto valid = validateJpegSize(jpegSize); !valid)
        return valid.error();
    // Field order as AuthLoop writes it; readers must not depend on it.
    return R"({"type":"frame",)" + geometryFields(*this) + R"(,"jpegSize":)" + QByteArray::number(jpegSize) + '}';
}

Result<QByteArray> FrameMetadata::toV2Json() const
{
    if (auto valid = validateGeometry(); !valid)
        return valid.error();
    if (auto valid = validateTimestamp(timestamp); !valid)
        return valid.error();
    const QByteArray formatName = format == Format::Png ? QByteArrayLiteral("png") : QByteArrayLiteral("jpeg");
    return '{' + geometryFields(*this) + R"(,"timestamp":)" + number(timestamp) + R"(,"format":")" + formatName + "\"}";
}

} // namespace handoff::protocol
