#include "server/ciba/BindingMessage.h"

#include "core/common/PlainText.h"

#include <QList>

namespace handoff::server {

QString BindingMessage::problem(const QString& message)
{
    if (message.trimmed().isEmpty()) {
        return QStringLiteral("binding_message is blank");
    }
    if (PlainText::containsDeceptive(message)) {
        return QStringLiteral("binding_message must be plain text, without control or formatting characters");
    }
    if (message.toUcs4().size() > MaxCodePoints) {
        return QStringLiteral("binding_message has more than %1 characters").arg(MaxCodePoints);
    }
    return {};
}

} // namespace handoff::server
