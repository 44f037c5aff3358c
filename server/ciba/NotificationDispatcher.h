#pragma once

// Sends the ping and push notifications of the outbox (CIBA Core 10.2, 10.3, 12)
// to the clients' notification endpoints: a JSON POST with
// "Authorization: Bearer <client_notification_token>". A 2xx answer completes a
// delivery; anything else (no connection, a timeout, 3xx since redirects are never
// followed, 4xx, 5xx) is tried again on the RetrySchedule until its period runs
// out, and then recorded as failed with the last error. At most maxInFlight
// attempts run at once, each cut off after attemptTimeoutMs; an answer's body is
// read and dropped, and one longer than 64 KiB ends the attempt. Push tokens are
// minted for each attempt (TokenIssuer), so a late retry never carries an expired
// token. A revoked client, an endpoint that ClientStore no longer accepts or a
// malformed notification token fail at once, without a request.
//
// start() makes everything pending due at once, so deliveries queued or cut off
// before a restart go out right after it. The notification token is never logged.

#include "server/ciba/NotificationMetrics.h"
#include "server/ciba/NotificationOutbox.h"
#include "server/ciba/NotificationSettings.h"
#include "server/ciba/RetrySchedule.h"

#include <QHash>
#include <QObject>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace handoff::server {

class TokenIssuer;

class NotificationDispatcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationDispatcher)

public:
    NotificationDispatcher(NotificationOutbox& outbox, TokenIssuer& tokens, NotificationSettings settings,
                           QObject* parent = nullptr);
    ~NotificationDispatcher() override;

    void start();
    // Something was queued: look at the outbox soon.
    void wake();
    // Stops sending; attempts under way are dropped unrecorded and stay pending.
    void shutdown();

    QByteArray renderMetrics();

    static constexpr qint64 MaxAnswerBytes = 64 * 1024;

private:
    struct Attempt final {
        QString authReqId;
        QString clientId;
        QString mode;
        int attempt = 0;
        qint64 queuedAtMs = 0;
        bool redeems = false; // a push of tokens: the request is redeemed once delivered
        bool timedOut = false;
        qint64 answerBytes = 0;
    };

    void run();
    void arm();
    void send(const NotificationJob& job);
    void onFinished(QNetworkReply* reply);
    void settle(const Attempt& attempt, bool delivered, const QString& error, bool final);

    NotificationOutbox& m_outbox;
    TokenIssuer& m_tokens;
    NotificationSettings m_settings;
    RetrySchedule m_schedule;
    NotificationMetrics m_metrics;
    QNetworkAccessManager* m_network = nullptr;
    QTimer m_timer;
    QHash<QNetworkReply*, Attempt> m_attempts;
    bool m_running = false;
};

} // namespace handoff::server
