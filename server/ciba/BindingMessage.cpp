#include "server/ciba/BindingMessage.h"

#include <QList>

namespace handoff::server {

QString BindingMessage::problem(const QString& message)
{
    if (message.trimmed().isEmpty()) {
        return QStringLiteral("binding_message is blank");
    }
    qsizetype count = 0;
    const QList<uint> codePoints = message.toUcs4();
    for (const uint codePoint : codePoints) {
        ++count;
        switch (QChar::category(codePoint)) {
        case QChar::Other_Control:
        case QChar::Other_Format:
        case QChar::Other_Surrogate:
        case QChar::Other_PrivateUse:
        case QChar::Other_NotAssigned:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph:
            return QStringLiteral("binding_message must be plain text, without control or formatting characters");
        default:
            break;
        }
    }
    if (count > MaxCodePoints) {
        return QStringLiteral("binding_message has more than %1 characters").arg(MaxCodePoints);
    }
    return {};
}

} // namespace handoff::server
