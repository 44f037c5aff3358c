#include "server/ciba/BindingMessage.h"

#include "core/common/PlainText.h"

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
        if (PlainText::isDeceptive(codePoint)) {
            return QStringLiteral("binding_message must be plain text, without control or formatting characters");
        }
    }
    if (count > MaxCodePoints) {
        return QStringLiteral("binding_message has more than %1 characters").arg(MaxCodePoints);
    }
    return {};
}

} // namespace handoff::server
