#include "app/InstanceMessage.h"

#include <QDataStream>
#include <QIODevice>
#include <QtEndian>

namespace handoff::app {

namespace {

constexpr qsizetype LengthSize = sizeof(quint32);

bool isKnown(quint8 type)
{
    using Type = InstanceMessage::Type;
    switch (static_cast<Type>(type)) {
    case Type::Activate:
    case Type::OpenLink:
    case Type::Accepted:
        return true;
    }
    return false;
}

} // namespace

QByteArray InstanceMessage::encode() const
{
    QByteArray payload;
    {
        QDataStream out(&payload, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out << StreamVersion << static_cast<quint8>(type) << link;
    }
    QByteArray frame(LengthSize, Qt::Uninitialized);
    qToBigEndian(static_cast<quint32>(payload.size()), frame.data());
    return frame + payload;
}

Result<std::optional<InstanceMessage>> InstanceMessage::takeFrom(QByteArray& buffer)
{
    using Taken = Result<std::optional<InstanceMessage>>;
    if (buffer.size() < LengthSize)
        return std::optional<InstanceMessage>();
    const quint32 length = qFromBigEndian<quint32>(buffer.constData());
    if (length == 0 || length > MaxPayloadSize)
        return Taken::failure(QStringLiteral("bad_length"),
                              QStringLiteral("An instance message of %1 bytes is not accepted.").arg(length));
    if (buffer.size() < LengthSize + qsizetype(length))
        return std::optional<InstanceMessage>();

    const QByteArray payload = buffer.mid(LengthSize, length);
    buffer.remove(0, LengthSize + length);

    QDataStream in(payload);
    in.setVersion(QDataStream::Qt_6_0);
    quint32 version = 0;
    quint8 type = 0;
    QString link;
    in >> version >> type >> link;
    if (in.status() != QDataStream::Ok || !in.atEnd())
        return Taken::failure(QStringLiteral("malformed"), QStringLiteral("An instance message is malformed."));
    if (version != StreamVersion)
        return Taken::failure(QStringLiteral("bad_version"),
                              QStringLiteral("The other instance speaks message version %1.").arg(version));
    if (!isKnown(type))
        return Taken::failure(QStringLiteral("bad_type"),
                              QStringLiteral("Instance message type %1 is unknown.").arg(type));
    return std::optional<InstanceMessage>(InstanceMessage{static_cast<Type>(type), link});
}

} // namespace handoff::app
