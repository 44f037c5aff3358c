#include "core/common/PlainText.h"

#include <QChar>
#include <QList>

#include <algorithm>

namespace handoff {

bool PlainText::isDeceptive(char32_t codePoint)
{
    switch (QChar::category(codePoint)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

bool PlainText::containsDeceptive(QStringView text)
{
    if (!text.isValidUtf16())
        return true;
    const QList<uint> codePoints = text.toUcs4();
    return std::any_of(codePoints.begin(), codePoints.end(), [](uint c) { return isDeceptive(c); });
}

QString PlainText::sanitized(QStringView text)
{
    // toUcs4() turns lone surrogates into U+FFFD already.
    const QList<uint> codePoints = text.toUcs4();
    QString result;
    result.reserve(text.size());
    for (const uint point : codePoints) {
        const char32_t c = isDeceptive(point) ? char32_t(QChar::ReplacementCharacter) : char32_t(point);
        result += QString::fromUcs4(&c, 1);
    }
    return result;
}

} // namespace handoff
