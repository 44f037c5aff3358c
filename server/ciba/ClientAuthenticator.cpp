#include "server/ciba/ClientAuthenticator.h"

#include "server/ciba/CibaApi.h"
#include "server/ciba/OAuthForm.h"

namespace handoff::server {

namespace {

// The id and secret inside Basic are form-encoded (RFC 6749 2.3.1).
QString formDecode(const QByteArray& raw)
{
    QByteArray bytes = raw;
    bytes.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(bytes));
}

} // namespace

std::optional<ClientAuthenticator::ClientRequest> ClientAuthenticator::accept(const HttpRequest& request,
                                                                             HttpResponse* failure)
{
    if (!request.header("content-type").toLower().startsWith("application/x-www-form-urlencoded")) {
        *failure = CibaApi::oauthError(400, QStringLiteral("invalid_request"),
                                       QStringLiteral("the body must be application/x-www-form-urlencoded"));
        return std::nullopt;
    }
    Result<QMap<QString, QString>> form = OAuthForm::parse(request.body);
    if (!form) {
        *failure = CibaApi::oauthError(400, QStringLiteral("invalid_request"), form.error().message);
        return std::nullopt;
    }
    std::optional<ClientRecord> client = authenticate(request, *form, failure);
    if (!client) {
        return std::nullopt;
    }
    return ClientRequest{std::move(form).value(), std::move(*client)};
}

std::optional<ClientRecord> ClientAuthenticator::authenticate(const HttpRequest& request,
                                                              const QMap<QString, QString>& form, HttpResponse* failure)
{
    const QByteArray authorization = request.header("authorization");
    const bool basic = authorization.size() > 6 && authorization.first(6).compare("Basic ", Qt::CaseInsensitive) == 0;
    const bool post = form.contains(QStringLiteral("client_secret"));
    const auto invalidClient = [failure, basic](const QString& why) {
        *failure = CibaApi::oauthError(401, QStringLiteral("invalid_client"), why);
        if (basic) {
            failure->setHeader("WWW-Authenticate", "Basic realm=\"handoff\"");
        }
    };
    if (basic && post) {
        *failure = CibaApi::oauthError(400, QStringLiteral("invalid_request"),
                                       QStringLiteral("use one client authentication method, not two"));
        return std::nullopt;
    }
    QString id;
    QString secret;
    if (basic) {
        const auto decoded = QByteArray::fromBase64Encoding(authorization.mid(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        const qsizetype colon = decoded ? (*decoded).indexOf(':') : -1;
        if (colon < 0) {
            invalidClient(QStringLiteral("malformed Basic credentials"));
            return std::nullopt;
        }
        id = formDecode((*decoded).first(colon));
        secret = formDecode((*decoded).mid(colon + 1));
        if (form.contains(QStringLiteral("client_id")) && form.value(QStringLiteral("client_id")) != id) {
            invalidClient(QStringLiteral("client_id does not match the credentials"));
            return std::nullopt;
        }
    } else if (post) {
        id = form.value(QStringLiteral("client_id"));
        secret = form.value(QStringLiteral("client_secret"));
    } else {
        invalidClient(QStringLiteral("client authentication is required (client_secret_basic or client_secret_post)"));
        return std::nullopt;
    }
    std::optional<ClientRecord> client = m_clients.authenticate(id, secret.toUtf8());
    if (!client) {
        invalidClient(QStringLiteral("unknown client or wrong secret"));
    }
    return client;
}

} // namespace handoff::server
