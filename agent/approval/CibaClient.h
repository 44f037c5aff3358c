#pragma once

// A poll-mode OpenID Connect CIBA client (CIBA Core 1.0), GUI-free: asks a
// person to approve one action on their own device and waits for the answer.
//
//   1. discovery at <server>/.well-known/openid-configuration; the issuer must
//      be exactly <server> (ProviderMetadata);
//   2. POST backchannel_authentication_endpoint with client_secret_basic:
//      scope (openid is added when missing: CIBA requires it), login_hint,
//      binding_message, user_code?, requested_expiry?;
//   3. POST token_endpoint every interval (PollSchedule: 5 s by default, +5 s
//      after each slow_down, a last poll at the deadline, transient failures
//      retried a bounded number of times) until an outcome: approved (tokens,
//      ID token claims checked), denied, expired, error; or cancel().
//
// Every request has a timeout and a bound on its answer's size; redirects are
// not followed (they would carry the client secret elsewhere). The client
// secret and the tokens never reach a log line or an error message.

#include "agent/approval/CibaAnswers.h"
#include "agent/approval/PollSchedule.h"
#include "agent/approval/ProviderMetadata.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace handoff::agent {

struct CibaRequest final {
    // What the front ends (the approve command, the MCP tool) accept before asking.
    static constexpr qsizetype MaxBindingMessageLength = 140; // code points (CIBA Core 7.1)
    static constexpr qsizetype MaxLoginHintLength = 320;
    static constexpr qsizetype MaxScopeLength = 1000;
    static constexpr qsizetype MaxUserCodeLength = 256;
    static constexpr int MaxExpirySeconds = 24 * 3600;

    QUrl server; // the provider's issuer URL, e.g. https://handoff.example.com
    QString clientId;
    QByteArray clientSecret;
    QString scope; // space-separated; "openid" is added when missing
    QString loginHint;
    QString bindingMessage;
    QString userCode;        // empty: none
    int requestedExpiry = 0; // seconds; 0: the server's default
};

struct ApprovalResult final {
    enum class Outcome { Approved, Denied, Expired, Cancelled, Error };
    Outcome outcome = Outcome::Error;
    QString authReqId; // empty when the request never reached the server
    IssuedTokens tokens; // Approved only
    Error error;         // all but Approved: a stable code and a sentence for a person

    // "approved", "denied", "expired", "cancelled", "error"
    static QString outcomeName(Outcome outcome);
};

class CibaClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CibaClient)

public:
    static constexpr int RequestTimeoutMs = 15000;

    explicit CibaClient(CibaRequest request, QObject* parent = nullptr);
    ~CibaClient() override;

    // Starts the flow; finished() follows exactly once (also for a request that
    // is bad from the start, then from the event loop).
    void start();
    // Stops waiting: no further poll, the request in flight is aborted, and
    // finished() reports Cancelled. CIBA has no way to withdraw a request, so
    // it stays pending on the server until it expires.
    void cancel();

    bool isFinished() const { return m_finished; }
    const ApprovalResult& result() const { return m_result; }
    const CibaRequest& request() const { return m_request; }

Q_SIGNALS:
    // The server accepted the request and asked the person's devices.
    void requestAccepted(const QString& authReqId, int expiresInSeconds, int intervalSeconds);
    // The server said slow_down; polls are now `intervalSeconds` apart.
    void intervalChanged(int intervalSeconds);
    // Another poll found the person has not answered yet.
    void stillPending();
    void finished(handoff::agent::ApprovalResult::Outcome outcome);

private:
    using Handler = std::function<void(int status, const QByteArray& body, const QString& networkError)>;

    void discover();
    void authenticate();
    void poll();
    void onTokenAnswer(const TokenAnswer& answer);
    void scheduleNextPoll();
    void send(QNetworkRequest request, const QByteArray& body, Handler handler);
    QNetworkRequest formRequest(const QUrl& url) const;
    void finish(ApprovalResult::Outcome outcome, Error error = {});

    CibaRequest m_request;
    QString m_issuer;
    std::optional<ProviderMetadata> m_metadata;
    std::optional<PollSchedule> m_schedule;
    QElapsedTimer m_clock; // started when the request was accepted
    QNetworkAccessManager* m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_pollTimer;
    ApprovalResult m_result;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace handoff::agent
