#pragma once

// The fields of an application/x-www-form-urlencoded body, as a browser sends a
// plain HTML form: name=value pairs joined by '&', '+' for a space, %XX escapes,
// UTF-8. Pure and bounded: too many fields, a field too long, a bad escape or
// invalid UTF-8 is an error, never a crash.

#include "core/common/Result.h"

#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace handoff::server {

class FormData final {
public:
    static constexpr qsizetype MaxFields = 32;
    static constexpr qsizetype MaxFieldBytes = 4096; // a name or a value, encoded

    static Result<FormData> parse(QByteArrayView body);
    // True for "application/x-www-form-urlencoded", with or without parameters such as charset.
    static bool isFormContentType(QByteArrayView contentType);

    // The first value of `name`, or a null QString when the field is absent.
    QString value(QStringView name) const;
    bool contains(QStringView name) const;
    qsizetype size() const { return m_fields.size(); }

private:
    QList<QPair<QString, QString>> m_fields;
};

} // namespace handoff::server
