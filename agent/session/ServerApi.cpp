#include "agent/session/ServerApi.h"

#include "agent/AgentLogging.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace handoff::agent {

namespace {
constexpr qint64 MaxAnswerBytes = 64 * 1024;
}

QJsonObject CreateSessionRequest::contextJson() const
{
    QJsonObject context;
    if (!contextUrl.isEmpty()) {
        context.insert(QStringLiteral("url"), contextUrl);
    }
    if (!blockerType.isEmpty()) {
        context.insert(QStringLiteral("blocker_type"), blockerType);
    }
    if (!hint.isEmpty()) {
        context.insert(QStringLiteral("hint"), hint);
    }
    return context;
}

QJsonObject CreateSessionRequest::toJson() const
{
    QJsonObject body{{QStringLiteral("service"), service}};
    const QJsonObject context = contextJson();
    if (!context.isEmpty()) {
        body.insert(QStringLiteral("context"), context);
    }
    if (!cdpUrl.isEmpty()) {
        body.insert(QStringLiteral("cdp_url"), cdpUrl);
    }
    if (ttlSeconds > 0) {
        body.insert(QStringLiteral("ttl"), ttlSeconds);
    }
    if (!loginHint.isEmpty()) {
        body.insert(QStringLiteral("login_hint"), loginHint);
    }
    if (!linkKeyFingerprint.isEmpty() && !linkViewerSecret.isEmpty()) {
        body.insert(QStringLiteral("e2e"), QJsonObject{{QStringLiteral("k"), QString::fromLatin1(linkKeyFingerprint)},
                                                       {QStringLiteral("s"), QString::fromLatin1(linkViewerSecret)}});
    }
    return body;
}

ServerApi::ServerApi(QUrl serverBase, QByteArray apiKey, QObject* parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_base(std::move(serverBase))
    , m_apiKey(std::move(apiKey))
{
}

ServerApi::~ServerApi() = default;

Result<CreatedSession> ServerApi::parseCreated(const QByteArray& body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    CreatedSession s;
    s.sessionId = o.value(QLatin1String("session_id")).toString();
    s.sessionUrl = QUrl(o.value(QLatin1String("session_url")).toString());
    s.streamToken = o.value(QLatin1String("stream_token")).toString();
    s.streamUrl = QUrl(o.value(QLatin1String("stream_url")).toString());
    s.expiresAt = o.value(QLatin1String("expires_at")).toString();
    if (s.sessionId.isEmpty() || !s.sessionUrl.isValid() || s.sessionUrl.isEmpty() || s.streamToken.isEmpty()
        || !s.streamUrl.isValid() || s.streamUrl.isEmpty()) {
        return Error{QStringLiteral("bad_server_answer"), QStringLiteral("the server's session answer is incomplete")};
    }
    return s;
}

void ServerApi::createSession(const CreateSessionRequest& request, Callback<CreatedSession> callback)
{
    call("POST", QStringLiteral("/session"), QJsonDocument(request.toJson()).toJson(QJsonDocument::Compact),
         [callback = std::move(callback)](const Result<QJsonObject>& r) {
             if (!r) {
                 callback(r.error());
                 return;
             }
             callback(parseCreated(QJsonDocument(*r).toJson()));
         });
}

void ServerApi::cancelSession(const QString& sessionId, Callback<QJsonObject> callback)
{
    call("DELETE", QStringLiteral("/session/") + sessionId, {}, std::move(callback));
}

void ServerApi::resolveSession(const QString& sessionId, Callback<QJsonObject> callback)
{
    call("POST", QStringLiteral("/session/") + sessionId + QStringLiteral("/resolve"), QByteArrayLiteral("{}"),
         std::move(callback));
}

void ServerApi::getSession(const QString& sessionId, Callback<QJsonObject> callback)
{
    call("GET", QStringLiteral("/session/") + sessionId, {}, std::move(callback));
}

void ServerApi::call(const QByteArray& verb, const QString& path, const QByteArray& body,
                     Callback<QJsonObject> callback)
{
    QUrl url = m_base;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/'))) {
        basePath.chop(1);
    }
    url.setPath(basePath + path);
    QNetworkRequest request(url);
    request.setTransferTimeout(TimeoutMs);
    request.setRawHeader("Authorization", "Bearer " + m_apiKey);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply* reply = body.isEmpty() && verb != "POST" ? m_network->sendCustomRequest(request, verb)
                                                            : m_network->sendCustomRequest(request, verb, body);
    const QString what = QString::fromLatin1(verb) + u' ' + path.section(QLatin1Char('/'), 0, 1);
    connect(reply, &QNetworkReply::finished, this, [reply, callback = std::move(callback), what] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = reply->read(MaxAnswerBytes);
        const QJsonObject object = QJsonDocument::fromJson(answer).object();
        if (status >= 200 && status < 300) {
            callback(object);
            return;
        }
        if (status == 0) {
            qCWarning(lcAgent).noquote() << what << "failed:" << reply->errorString();
            callback(Error{QStringLiteral("server_unreachable"),
                           QStringLiteral("could not reach the server: %1").arg(reply->errorString())});
            return;
        }
        QString code = object.value(QLatin1String("error")).toString();
        QString message = object.value(QLatin1String("message")).toString();
        if (code.isEmpty()) {
            code = QStringLiteral("http_%1").arg(status);
        }
        if (message.isEmpty()) {
            message = QStringLiteral("the server answered HTTP %1").arg(status);
        }
        qCWarning(lcAgent).noquote() << what << "answered" << status << code;
        callback(Error{code, message});
    });
}

} // namespace handoff::agent
