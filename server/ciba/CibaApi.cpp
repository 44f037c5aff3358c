#include "server/ciba/CibaApi.h"

#include "core/crypto/Random.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceStatements.h"
#include "server/ciba/BindingMessage.h"
#include "server/ciba/ClientStore.h"
#include "server/ciba/OAuthForm.h"
#include "server/device/DeviceHub.h"
#include "server/device/DeviceStore.h"
#include "server/device/UserStore.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcCibaApi, "handoff.ciba", QtInfoMsg)

HttpResponse serverError(const QString& detail)
{
    qCWarning(lcCibaApi).noquote() << detail;
    return CibaApi::oauthError(500, QStringLiteral("server_error"), QStringLiteral("the server could not complete the request"));
}

// RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
bool isScopeToken(const QString& token)
{
    return !token.isEmpty() && std::all_of(token.begin(), token.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
    });
}

std::optional<QString> formDecode(const QByteArray& raw)
{
    QByteArray bytes = raw;
    bytes.replace('+', ' ');
    const QString text = QString::fromUtf8(QByteArray::fromPercentEncoding(bytes));
    return text;
}

} // namespace

CibaApi::CibaApi(Database& database, ClientStore& clients, UserStore& users, DeviceStore& devices, DeviceHub& hub)
    : m_database(database)
    , m_clients(clients)
    , m_users(users)
    , m_devices(devices)
    , m_hub(hub)
{
}

void CibaApi::registerRoutes(Router& router)
{
    router.add("POST", "/bc-authorize",
               [this](const HttpRequest& request, const QStringList&) { return backchannelAuthenticate(request); });
}

HttpResponse CibaApi::oauthError(int status, const QString& code, const QString& description)
{
    HttpResponse response =
        HttpResponse::json(status, QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("error_description"), description}});
    response.setHeader("Pragma", "no-cache");
    return response;
}

std::optional<ClientRecord> CibaApi::authenticateClient(const HttpRequest& request, const QMap<QString, QString>& form,
                                                        HttpResponse* failure)
{
    const QByteArray authorization = request.header("authorization");
    const bool basic = authorization.size() > 6 && authorization.first(6).compare("Basic ", Qt::CaseInsensitive) == 0;
    const bool post = form.contains(QStringLiteral("client_secret"));
    const auto invalidClient = [failure, basic](const QString& why) {
        *failure = oauthError(401, QStringLiteral("invalid_client"), why);
        if (basic) {
            failure->setHeader("WWW-Authenticate", "Basic realm=\"handoff\"");
        }
    };
    if (basic && post) {
        *failure = oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("use one client authentication method, not two"));
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
        id = formDecode((*decoded).first(colon)).value_or(QString());
        secret = formDecode((*decoded).mid(colon + 1)).value_or(QString());
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

HttpResponse CibaApi::backchannelAuthenticate(const HttpRequest& request)
{
    if (!request.header("content-type").toLower().startsWith("application/x-www-form-urlencoded")) {
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("the body must be application/x-www-form-urlencoded"));
    }
    Result<QMap<QString, QString>> parsed = OAuthForm::parse(request.body);
    if (!parsed) {
        return oauthError(400, QStringLiteral("invalid_request"), parsed.error().message);
    }
    const QMap<QString, QString>& form = *parsed;
    HttpResponse failure;
    const std::optional<ClientRecord> client = authenticateClient(request, form, &failure);
    if (!client) {
        return failure;
    }

    // scope: required, must hold openid (CIBA Core 7.1).
    if (!form.contains(QStringLiteral("scope"))) {
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("scope is required"));
    }
    const QString scopeText = form.value(QStringLiteral("scope"));
    const QStringList scopes = scopeText.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (scopeText.size() > 1000 || !std::all_of(scopes.begin(), scopes.end(), isScopeToken)) {
        return oauthError(400, QStringLiteral("invalid_scope"), QStringLiteral("scope is malformed"));
    }
    if (!scopes.contains(QStringLiteral("openid"))) {
        return oauthError(400, QStringLiteral("invalid_scope"), QStringLiteral("scope must include openid"));
    }

    // Exactly one hint; only login_hint is understood here.
    if (form.contains(QStringLiteral("login_hint_token")) || form.contains(QStringLiteral("id_token_hint"))) {
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("only login_hint is supported; login_hint_token and id_token_hint are not"));
    }
    const QString loginHint = form.value(QStringLiteral("login_hint")).trimmed();
    if (loginHint.isEmpty()) {
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("login_hint is required"));
    }

    const QString notificationToken = form.value(QStringLiteral("client_notification_token"));
    if (client->mode != QLatin1String("poll")) {
        if (notificationToken.isEmpty()) {
            return oauthError(400, QStringLiteral("invalid_request"),
                              QStringLiteral("client_notification_token is required in %1 mode").arg(client->mode));
        }
        if (notificationToken.size() > MaxNotificationTokenLength) {
            return oauthError(400, QStringLiteral("invalid_request"),
                              QStringLiteral("client_notification_token is longer than %1 characters")
                                  .arg(MaxNotificationTokenLength));
        }
    }

    const QString bindingMessage = form.value(QStringLiteral("binding_message"));
    if (form.contains(QStringLiteral("binding_message"))) {
        const QString problem = BindingMessage::problem(bindingMessage);
        if (!problem.isEmpty()) {
            return oauthError(400, QStringLiteral("invalid_binding_message"), problem);
        }
    }

    int expiresIn = DefaultExpirySeconds;
    if (form.contains(QStringLiteral("requested_expiry"))) {
        const QString text = form.value(QStringLiteral("requested_expiry"));
        bool ok = false;
        const qint64 requested = text.toLongLong(&ok);
        if (!ok || requested < 1 || text.size() > 10
            || !std::all_of(text.begin(), text.end(), [](QChar c) { return c.isDigit(); })) {
            return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("requested_expiry must be a positive integer"));
        }
        expiresIn = int(std::min<qint64>(requested, MaxExpirySeconds));
    }

    Result<std::optional<UserRecord>> user = m_users.findByEmail(loginHint);
    if (!user) {
        return serverError(user.error().message);
    }
    if (!user->has_value()) {
        return oauthError(400, QStringLiteral("unknown_user_id"), QStringLiteral("login_hint names no user of this server"));
    }
    if ((*user)->hasUserCode) {
        if (!form.contains(QStringLiteral("user_code"))) {
            return oauthError(400, QStringLiteral("missing_user_code"), QStringLiteral("this user requires a user_code"));
        }
        Result<bool> codeOk = m_users.checkUserCode((*user)->id, form.value(QStringLiteral("user_code")));
        if (!codeOk) {
            return serverError(codeOk.error().message);
        }
        if (!*codeOk) {
            return oauthError(400, QStringLiteral("invalid_user_code"), QStringLiteral("the user_code is wrong"));
        }
    }
    Result<QList<DeviceRecord>> devices = m_devices.listForUser((*user)->id, false);
    if (!devices) {
        return serverError(devices.error().message);
    }
    if (devices->isEmpty()) {
        return oauthError(403, QStringLiteral("access_denied"), QStringLiteral("the user has no paired device to ask"));
    }

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(m_database.handle());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM ciba_requests WHERE user_id = ? AND status = 'pending' AND expires_at > ?"));
    query.addBindValue((*user)->id);
    query.addBindValue(now);
    if (!query.exec() || !query.next()) {
        return serverError(query.lastError().text());
    }
    if (query.value(0).toInt() >= MaxPendingPerUser) {
        return oauthError(403, QStringLiteral("access_denied"),
                          QStringLiteral("too many requests are already waiting for this person; try again later"));
    }
    query.finish();

    Result<QByteArray> authReqId = crypto::Random::token(32); // 256 bits
    if (!authReqId) {
        return serverError(authReqId.error().message);
    }
    // Whole seconds, so that the times the device signs are exactly the stored ones.
    const qint64 requestedAt = now - now % 1000;
    const qint64 expiresAt = requestedAt + qint64(expiresIn) * 1000;
    QSqlQuery insert(m_database.handle());
    insert.prepare(QStringLiteral(
        "INSERT INTO ciba_requests (auth_req_id, client_id, client_name, user_id, user_email, scope, binding_message, "
        "client_notification_token, requested_at, expires_at, status, poll_interval) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)"));
    insert.addBindValue(QString::fromLatin1(*authReqId));
    insert.addBindValue(client->id);
    insert.addBindValue(client->name);
    insert.addBindValue((*user)->id);
    insert.addBindValue((*user)->email);
    insert.addBindValue(scopes.join(QLatin1Char(' ')));
    insert.addBindValue(bindingMessage.isEmpty() ? QStringLiteral("") : bindingMessage);
    insert.addBindValue(notificationToken.isEmpty() ? QStringLiteral("") : notificationToken);
    insert.addBindValue(requestedAt);
    insert.addBindValue(expiresAt);
    insert.addBindValue(client->pollInterval);
    if (!insert.exec()) {
        return serverError(insert.lastError().text());
    }

    device::ApprovalRequest approval;
    approval.authReqId = QString::fromLatin1(*authReqId);
    approval.clientId = client->id;
    approval.clientName = client->name;
    approval.user = (*user)->email;
    approval.scope = scopes.join(QLatin1Char(' '));
    approval.bindingMessage = bindingMessage;
    approval.requestedAt = device::DeviceStatements::timestamp(requestedAt);
    approval.expiresAt = device::DeviceStatements::timestamp(expiresAt);
    const int reached = m_hub.sendToUser((*user)->id, approval.toJson());
    qCInfo(lcCibaApi).noquote() << "CIBA request from client" << client->id << "for user" << (*user)->id << "sent to"
                                << reached << "device connection(s)";

    QJsonObject answer{{QStringLiteral("auth_req_id"), approval.authReqId}, {QStringLiteral("expires_in"), expiresIn}};
    if (client->mode != QLatin1String("push")) {
        answer.insert(QStringLiteral("interval"), client->pollInterval);
    }
    HttpResponse response = HttpResponse::json(200, answer);
    response.setHeader("Pragma", "no-cache");
    return response;
}

} // namespace handoff::server
