#include "server/demo/FormData.h"

#include <QStringDecoder>

namespace handoff::server {

namespace {

Error badForm(const QString& message)
{
    return Error{QStringLiteral("invalid_form"), message};
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

Result<QString> decode(QByteArrayView encoded)
{
    QByteArray bytes;
    bytes.reserve(encoded.size());
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded.at(i);
        if (c == '+') {
            bytes.append(' ');
        } else if (c == '%') {
            const int high = i + 2 < encoded.size() ? hexValue(encoded.at(i + 1)) : -1;
            const int low = high >= 0 ? hexValue(encoded.at(i + 2)) : -1;
            if (low < 0) {
                return badForm(QStringLiteral("the form holds a malformed %-escape"));
            }
            bytes.append(char(high * 16 + low));
            i += 2;
        } else {
            bytes.append(c);
        }
    }
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(bytes);
    if (utf8.hasError()) {
        return badForm(QStringLiteral("the form is not valid UTF-8"));
    }
    if (text.isNull()) {
        text = QStringLiteral(""); // present but empty, unlike an absent field
    }
    return text;
}

} // namespace

bool FormData::isFormContentType(QByteArrayView contentType)
{
    QByteArrayView type = contentType;
    const qsizetype semicolon = type.indexOf(';');
    if (semicolon >= 0) {
        type = type.first(semicolon);
    }
    return type.trimmed().compare("application/x-www-form-urlencoded", Qt::CaseInsensitive) == 0;
}

Result<FormData> FormData::parse(QByteArrayView body)
{
    FormData form;
    if (body.isEmpty()) {
        return form;
    }
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf('&', start);
        if (end < 0) {
            end = body.size();
        }
        const QByteArrayView pair = body.sliced(start, end - start);
        start = end + 1;
        if (pair.isEmpty()) {
            continue;
        }
        if (form.m_fields.size() == MaxFields) {
            return badForm(QStringLiteral("the form has more than %1 fields").arg(MaxFields));
        }
        const qsizetype equals = pair.indexOf('=');
        const QByteArrayView name = equals < 0 ? pair : pair.first(equals);
        const QByteArrayView value = equals < 0 ? QByteArrayView() : pair.sliced(equals + 1);
        if (name.size() > MaxFieldBytes || value.size() > MaxFieldBytes) {
            return badForm(QStringLiteral("a form field is longer than %1 bytes").arg(MaxFieldBytes));
        }
        Result<QString> decodedName = decode(name);
        if (!decodedName) {
            return decodedName.error();
        }
        Result<QString> decodedValue = decode(value);
        if (!decodedValue) {
            return decodedValue.error();
        }
        form.m_fields.append({std::move(*decodedName), std::move(*decodedValue)});
    }
    return form;
}

QString FormData::value(QStringView name) const
{
    for (const auto& [fieldName, fieldValue] : m_fields) {
        if (fieldName == name) {
            return fieldValue;
        }
    }
    return {};
}

bool FormData::contains(QStringView name) const
{
    for (const auto& field : m_fields) {
        if (field.first == name) {
            return true;
        }
    }
    return false;
}

} // namespace handoff::server
