#pragma once

// A session created over the API, with the URLs its agent and viewer connect to.

#include "tests/server/HttpTestClient.h"
#include "tests/support/TestServer.h"

namespace handoff::test {

struct RelayTestSession final {
    QString id;
    QString streamToken;
    QString viewerToken;
    QString streamUrl;

    bool isValid() const { return !id.isEmpty(); }
    // As the AuthLoop agent builds it: stream_url + "?token=...&role=agent".
    QUrl agentUrl() const { return QUrl(streamUrl + QStringLiteral("?token=") + streamToken + QStringLiteral("&role=agent")); }
    QUrl viewerUrl() const { return QUrl(streamUrl + QStringLiteral("?role=viewer&token=") + viewerToken); }
    QUrl url(const QString& query) const { return QUrl(streamUrl + QLatin1Char('?') + query); }

    static RelayTestSession create(HttpTestClient& http, const TestServer& server,
                                   const QByteArray& body = R"({"service":"Relay Bank","context":{"blocker_type":"otp"}})")
    {
        const HttpResult result = http.post(server.url(QStringLiteral("/session")), server.apiKey(), body);
        RelayTestSession session;
        if (result.status != 201) {
            qWarning() << "session creation failed" << result.status << result.body;
            return session;
        }
        const QJsonObject json = result.json();
        session.id = json.value(QStringLiteral("session_id")).toString();
        session.streamToken = json.value(QStringLiteral("stream_token")).toString();
        session.viewerToken = json.value(QStringLiteral("session_url")).toString().section(QStringLiteral("#t="), 1);
        session.streamUrl = json.value(QStringLiteral("stream_url")).toString();
        return session;
    }
};

} // namespace handoff::test
