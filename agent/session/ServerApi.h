#pragma once

// The agent's side of the server HTTP API (PROTOCOL section 1): create, cancel,
// resolve and read a session. The API key goes in the Authorization header and
// nowhere else: never into a log line or an error message.

#include "core/common/Result.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace handoff::agent {

struct CreateSessionRequest final {
    QString service;
    QString contextUrl;
    QString blockerType; // otp password captcha security_question document_upload other, or empty
    QString hint;
    QString cdpUrl;      // stored by the server for display only
    int ttlSeconds = 0;  // 0: the server's default
    QString loginHint;
    // Version 2 with a login_hint: the link's k and s (base64url), for the server to
    // put into the links it delivers to that person's devices. A secret: never logged.
    QByteArray linkKeyFingerprint;
    QByteArray linkViewerSecret;

    QJsonObject contextJson() const; // {url?, blocker_type?, hint?}
    QJsonObject toJson() const;
};

struct CreatedSession final {
    QString sessionId;
    QUrl sessionUrl;
    QString streamToken;
    QUrl streamUrl;
    QString expiresAt;
};

class ServerApi final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerApi)

public:
    template <typename T>
    using Callback = std::function<void(const Result<T>&)>;
    static constexpr int TimeoutMs = 15000;

    ServerApi(QUrl serverBase, QByteArray apiKey, QObject* parent = nullptr);
    ~ServerApi() override;

    void createSession(const CreateSessionRequest& request, Callback<CreatedSession> callback);
    void cancelSession(const QString& sessionId, Callback<QJsonObject> callback);
    void resolveSession(const QString& sessionId, Callback<QJsonObject> callback);
    void getSession(const QString& sessionId, Callback<QJsonObject> callback);

    // Parses a POST /session answer (pure).
    static Result<CreatedSession> parseCreated(const QByteArray& body);

private:
    void call(const QByteArray& verb, const QString& path, const QByteArray& body, Callback<QJsonObject> callback);

    QNetworkAccessManager* m_network;
    QUrl m_base;
    QByteArray m_apiKey;
};

} // namespace handoff::agent
