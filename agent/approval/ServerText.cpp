#include "agent/approval/ServerText.h"

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
        bool allowed = true;
        switch (QChar::category(c)) {
        case QChar::Other_Control:
        case QChar::Other_Format:
        case QChar::Other_Surrogate:
        case QChar::Other_PrivateUse:
        case QChar::Other_NotAssigned:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph:
            allowed = false;
            break;
        case QChar::Separator_Space:
            allowed = c == U' ';
            break;
        default:
            break;
        }
        if (allowed) {
            result += QString::fromUcs4(&c, 1);
        } else {
            result += QChar(0xFFFD);
        }
    }
    return result;
}

} // namespace handoff::agent
