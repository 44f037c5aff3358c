#include "server/ciba/OAuthForm.h"

#include <QStringDecoder>
#include <QUrl>

namespace handoff::server {

namespace {

std::optional<QString> decode(QByteArrayView raw)
{
    QByteArray bytes = raw.toByteArray();
    bytes.replace('+', ' ');
    // Reject malformed escapes rather than let them through as text.
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (bytes.at(i) == '%') {
            if (i + 2 >= bytes.size() || !isxdigit(uchar(bytes.at(i + 1))) || !isxdigit(uchar(bytes.at(i + 2)))) {
                return std::nullopt;
            }
        }
    }
    const QByteArray decoded = QByteArray::fromPercentEncoding(bytes);
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8(decoded);
    if (utf8.hasError()) {
        return std::nullopt;
    }
    return text;
}

} // namespace

Result<QMap<QString, QString>> OAuthForm::parse(QByteArrayView body)
{
    QMap<QString, QString> parameters;
    const QList<QByteArray> pairs = body.toByteArray().split('&');
    for (const QByteArray& pair : pairs) {
        if (pair.isEmpty()) {
            continue;
        }
        const qsizetype equals = pair.indexOf('=');
        const std::optional<QString> name = decode(equals < 0 ? QByteArrayView(pair) : QByteArrayView(pair).first(equals));
        const std::optional<QString> value =
            decode(equals < 0 ? QByteArrayView() : QByteArrayView(pair).sliced(equals + 1));
        if (!name || !value || name->isEmpty()) {
            return Error{QStringLiteral("invalid_request"), QStringLiteral("the form body is not valid UTF-8 form encoding")};
        }
        if (parameters.contains(*name)) {
            return Error{QStringLiteral("invalid_request"), QStringLiteral("parameter %1 is repeated").arg(*name)};
        }
        if (parameters.size() >= MaxParameters) {
            return Error{QStringLiteral("invalid_request"), QStringLiteral("too many parameters")};
        }
        parameters.insert(*name, *value);
    }
    return parameters;
}

} // namespace handoff::server
