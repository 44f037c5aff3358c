#include "server/ciba/NotificationDispatcher.h"

#include "core/common/EndpointPolicy.h"
#include "server/ciba/NotificationPayload.h"
#include "server/ciba/TokenIssuer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>

#include <algorithm>

namespace handoff::server {

namespace {

Q_LOGGING_CATEGORY(lcNotify, "handoff.ciba.notify", QtInfoMsg)

constexpr qint64 maxWaitMs = 60 * 60 * 1000;
constexpr qint64 leaseMarginMs = 60 * 1000;
constexpr int storageRetryMs = 5000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString networkError(const QNetworkReply* reply)
{
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("the endpoint closed the connection without an answer");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed: %1").arg(reply->errorString());
    default:
        return reply->errorString();
    }
}

QString inSeconds(qint64 ms)
{
    return ms < 10'000 ? QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1) : QStringLiteral("%1 s").arg(ms / 1000);
}

} // namespace

NotificationDispatcher::NotificationDispatcher(NotificationOutbox& outbox, TokenIssuer& tokens,
                                               NotificationSettings settings, QObject* parent)
    : QObject(parent)
    , m_outbox(outbox)
    , m_tokens(tokens)
    , m_settings(settings)
    , m_schedule(settings.retryInitialMs, settings.retryMaxMs, settings.retryPeriodMs)
    , m_network(new QNetworkAccessManager(this))
{
    // Redirects are not followed (CIBA Core 10.2); each request also keeps no cookies.
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &NotificationDispatcher::run);
}

NotificationDispatcher::~NotificationDispatcher()
{
    shutdown();
}

void NotificationDispatcher::start()
{
    m_running = true;
    Result<int> resumed = m_outbox.makePendingDue(nowMs());
    if (!resumed) {
        qCWarning(lcNotify).noquote() << resumed.error().message;
    } else if (*resumed > 0) {
        qCInfo(lcNotify) << "resuming" << *resumed << "pending notification(s)";
    }
    wake();
}

void NotificationDispatcher::wake()
{
    if (m_running) {
        m_timer.start(0);
    }
}

void NotificationDispatcher::shutdown()
{
    m_running = false;
    m_timer.stop();
    const QList<QNetworkReply*> replies = m_attempts.keys();
    m_attempts.clear();
    for (QNetworkReply* reply : replies) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        delete reply;
    }
}

QByteArray NotificationDispatcher::renderMetrics()
{
    Result<QMap<QString, qint64>> states = m_outbox.countByState();
    if (!states) {
        qCWarning(lcNotify).noquote() << states.error().message;
        return m_metrics.render({});
    }
    return m_metrics.render(*states);
}

void NotificationDispatcher::run()
{
    if (!m_running) {
        return;
    }
    const int free = m_settings.maxInFlight - int(m_attempts.size());
    if (free > 0) {
        Result<QList<NotificationJob>> jobs =
            m_outbox.takeDue(nowMs(), free, qint64(m_settings.attemptTimeoutMs) + leaseMarginMs);
        if (!jobs) {
            qCWarning(lcNotify).noquote() << jobs.error().message;
            m_timer.start(storageRetryMs);
            return;
        }
        for (const NotificationJob& job : std::as_const(*jobs)) {
            send(job);
        }
    }
    arm();
}

void NotificationDispatcher::arm()
{
    if (!m_running || m_timer.isActive()) {
        return;
    }
    if (int(m_attempts.size()) >= m_settings.maxInFlight) {
        return; // the next finished attempt runs the outbox again
    }
    Result<std::optional<qint64>> next = m_outbox.nextDue();
    if (!next) {
        qCWarning(lcNotify).noquote() << next.error().message;
        m_timer.start(storageRetryMs);
        return;
    }
    if (next->has_value()) {
        m_timer.start(int(std::clamp<qint64>(**next - nowMs(), 0, maxWaitMs)));
    }
}

void NotificationDispatcher::send(const NotificationJob& job)
{
    Attempt attempt;
    attempt.authReqId = job.authReqId;
    attempt.clientId = job.grant.clientId;
    attempt.mode = job.mode;
    attempt.attempt = job.attempts;
    attempt.queuedAtMs = job.queuedAtMs;

    const QUrl endpoint(job.endpoint, QUrl::StrictMode);
    if (job.clientRevoked) {
        settle(attempt, false, QStringLiteral("the client was revoked"), true);
        return;
    }
    if (!EndpointPolicy::isAcceptable(endpoint)) {
        settle(attempt, false, QStringLiteral("the notification endpoint is not an https URL (or http to localhost)"), true);
        return;
    }
    if (!NotificationPayload::isBearerToken(job.notificationToken)) {
        settle(attempt, false, QStringLiteral("the client notification token is not a bearer token"), true);
        return;
    }

    QJsonObject body;
    if (job.mode == QLatin1String("ping")) {
        body = NotificationPayload::ping(job.authReqId);
    } else if (job.outcome == QLatin1String("approved")) {
        Result<IssuedTokens> tokens = m_tokens.issue(job.grant, nowMs());
        if (tokens) {
            body = NotificationPayload::pushTokens(job.authReqId, *tokens);
            attempt.redeems = true;
        } else {
            qCWarning(lcNotify).noquote() << "cannot make the tokens for a push to client" << attempt.clientId << ":"
                                          << tokens.error().message;
            body = NotificationPayload::pushError(job.authReqId, QStringLiteral("failed"));
        }
    } else {
        body = NotificationPayload::pushError(job.authReqId, job.outcome);
    }

    QNetworkRequest request(endpoint);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("handoff-server/") + QCoreApplication::applicationVersion().toLatin1());
    request.setRawHeader("Authorization", "Bearer " + job.notificationToken.toLatin1());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    QNetworkReply* reply = m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    m_attempts.insert(reply, attempt);

    // A whole-attempt deadline: a transfer timeout alone would let a trickling answer run on.
    auto* deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, reply] {
        const auto it = m_attempts.find(reply);
        if (it != m_attempts.end()) {
            it->timedOut = true;
            reply->abort();
        }
    });
    deadline->start(m_settings.attemptTimeoutMs);
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        const auto it = m_attempts.find(reply);
        if (it == m_attempts.end()) {
            return;
        }
        it->answerBytes += reply->skip(reply->bytesAvailable());
        if (it->answerBytes > MaxAnswerBytes) {
            reply->abort(); // the status line, already read, still decides
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
}

void NotificationDispatcher::onFinished(QNetworkReply* reply)
{
    const auto it = m_attempts.find(reply);
    if (it == m_attempts.end()) {
        return;
    }
    const Attempt attempt = *it;
    m_attempts.erase(it);
    reply->deleteLater();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 200 && status < 300) {
        settle(attempt, true, {}, false);
    } else if (status >= 300 && status < 400) {
        settle(attempt, false, QStringLiteral("HTTP %1 (redirects are not followed)").arg(status), false);
    } else if (status > 0) {
        settle(attempt, false, QStringLiteral("HTTP %1").arg(status), false);
    } else if (attempt.timedOut) {
        settle(attempt, false, QStringLiteral("no answer within %1").arg(inSeconds(m_settings.attemptTimeoutMs)), false);
    } else {
        settle(attempt, false, networkError(reply), false);
    }
    wake(); // a slot is free
}

void NotificationDispatcher::settle(const Attempt& attempt, bool delivered, const QString& error, bool final)
{
    const qint64 now = nowMs();
    if (delivered) {
        Result<void> recorded = m_outbox.markDelivered(attempt.authReqId, now, attempt.redeems);
        if (!recorded) {
            // The lease runs out and the client is told again: better twice than never.
            qCWarning(lcNotify).noquote() << recorded.error().message;
        }
        m_metrics.count(attempt.mode, QStringLiteral("delivered"));
        qCInfo(lcNotify).noquote() << "delivered the" << attempt.mode << "notification to client" << attempt.clientId
                                   << "on attempt" << attempt.attempt;
        return;
    }
    const std::optional<qint64> next =
        final ? std::nullopt
              : m_schedule.nextAttemptAt(attempt.attempt, attempt.queuedAtMs, now, QRandomGenerator::global()->generateDouble());
    if (next) {
        Result<void> recorded = m_outbox.scheduleRetry(attempt.authReqId, *next, error);
        if (!recorded) {
            qCWarning(lcNotify).noquote() << recorded.error().message;
        }
        m_metrics.count(attempt.mode, QStringLiteral("retry"));
        qCWarning(lcNotify).noquote() << "the" << attempt.mode << "notification to client" << attempt.clientId
                                      << "failed on attempt" << attempt.attempt
                                      << QStringLiteral("(%1); next attempt in %2").arg(error, inSeconds(*next - now));
        return;
    }
    Result<void> recorded = m_outbox.markFailed(attempt.authReqId, now, error);
    if (!recorded) {
        qCWarning(lcNotify).noquote() << recorded.error().message;
    }
    m_metrics.count(attempt.mode, QStringLiteral("failed"));
    qCWarning(lcNotify).noquote() << "gave up on the" << attempt.mode << "notification to client" << attempt.clientId
                                  << "after" << attempt.attempt << "attempt(s); last error:" << error;
}

} // namespace handoff::server
