#include "core/protocol/Sas.h"

#include <QtEndian>

namespace handoff::protocol {

Result<QString> Sas::fromBytes(QByteArrayView sasBytes)
{
    if (sasBytes.size() != InputSize)
        return Error { QStringLiteral("bad_sas_input"), QStringLiteral("The SAS is made from exactly 4 bytes.") };
    const quint32 value = qFromBigEndian<quint32>(sasBytes.data()) % 1000000U;
    return QStringLiteral("%1").arg(value, Digits, 10, QLatin1Char('0'));
}

} // namespace handoff::protocol
