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

QString ServerText::code(const QString& text)
{
    QString result;
    result.reserve(std::min(text.size(), MaxCodeLength + 3));
    for (const QChar c : text) {
        if (result.size() == MaxCodeLength) {
            result += QStringLiteral("...");
            break;
        }
        const char16_t u = c.unicode();
        const bool allowed = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_'
                             || u == u'-' || u == u'.';
        result += allowed ? c : QLatin1Char('?');
    }
    return result;
}

} // namespace handoff::agent
