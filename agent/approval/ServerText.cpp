#include "agent/approval/ServerText.h"

#include "core/common/PlainText.h"

#include <QList>

namespace handoff::agent {

QString ServerText::printable(const QString& text, qsizetype maxLength)
{
    QString result;
    result.reserve(std::min(text.size(), maxLength + 3));
    qsizetype count = 0;
    // toUcs4() turns lone surrogates into U+FFFD already.
    const QList<uint> codePoints = text.toUcs4();
    for (const uint point : codePoints) {
        const char32_t c = point;
        if (count == maxLength) {
            result += QStringLiteral("...");
            break;
        }
        ++count;
        // Other spaces (no-break, ideographic, ...) could pass for the plain one or pad a line out.
        const bool allowed = !PlainText::isDeceptive(c) && (QChar::category(c) != QChar::Separator_Space || c == U' ');
        if (allowed) {
            result += QString::fromUcs4(&c, 1);
        } else {
            result += QChar(0xFFFD);
        }
    }
    return result;
}

} // namespace handoff::agent
