#include "agent/approval/CibaClient.h"

#include "agent/AgentLogging.h"
#include "core/common/EndpointPolicy.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <memory>

namespace handoff::agent {

namespace {

const QString CibaGrantType = QStringLiteral("urn:openid:params:grant-type:ciba");

Error requestError(const QString& message)
{
    return Error{QStringLiteral("bad_request"), message};
}

// The scope as sent: space-separated tokens with "openid" first if it was missing.
QString normalizedScope(const QString& scope)
{
    QStringList tokens = scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    tokens.removeDuplicates();
    if (!tokens.contains(QStringLiteral("openid"))) {
        tokens.prepend(QStringLiteral("openid"));
    }
    return tokens.join(QLatin1Char(' '));
}

// application/x-www-form-urlencoded, each value percent-encoded (RFC 6749 appendix B).
QByteArray formBody(const QList<std::pair<QString, QString>>& fields)
{
    QByteArray body;
    for (const auto& [name, value] : fields) {
        if (!body.isEmpty()) {
            body += '&';
        }
        body += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

// "Basic " + base64(urlencode(id) ":" urlencode(secret)) (RFC 6749 2.3.1).
QByteArray basicAuthorization(const QString& clientId, const QByteArray& clientSecret)
{
    const QByteArray credentials =
        QUrl::toPercentEncoding(clientId) + ':' + QUrl::toPercentEncoding(QString::fromUtf8(clientSecret));
    return QByteArrayLiteral("Basic ") + credentials.toBase64();
}

} // namespace

QString ApprovalResult::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Approved:
        return QStringLiteral("approved");
    case Outcome::Denied:
        return QStringLiteral("denied");
    case Outcome::Expired:
        return QStringLiteral("expired");
    case Outcome::Cancelled:
        return QStringLiteral("cancelled");
    case Outcome::Error:
        break;
    }
    return QStringLiteral("error");
}

CibaClient::CibaClient(CibaRequest request, QObject* parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_network(new QNetworkAccessManager(this))
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &CibaClient::poll);
}

CibaClient::~CibaClient()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void CibaClient::start()
{
    if (m_started) {
        return;
    }
    m_started = true;
    m_issuer = ProviderMetadata::issuerFor(m_request.server);
    std::optional<Error> problem;
    if (m_issuer.isEmpty()) {
        problem = requestError(QStringLiteral("the server must be an http(s) URL without query, fragment or user name"));
    } else if (!EndpointPolicy::isAcceptable(m_request.server)) {
        problem = requestError(QStringLiteral("the server must be an https URL (http only to a loopback host): the client "
                                              "secret and the tokens travel over it"));
    } else if (m_request.clientId.isEmpty() || m_request.clientSecret.isEmpty()) {
        problem = requestError(QStringLiteral("the client id and client secret are required"));
    } else if (m_request.loginHint.trimmed().isEmpty()) {
        problem = requestError(QStringLiteral("the login hint (whom to ask) is required"));
    } else if (m_request.bindingMessage.trimmed().isEmpty()) {
        problem = requestError(QStringLiteral("the binding message (what to approve) is required"));
    }
    if (problem) {
        QTimer::singleShot(0, this, [this, error = *problem] { finish(ApprovalResult::Outcome::Error, error); });
        return;
    }
    discover();
}

void CibaClient::cancel()
{
    if (m_finished) {
        return;
    }
    m_pollTimer.stop();
    QPointer<QNetworkReply> reply = m_reply;
    finish(ApprovalResult::Outcome::Cancelled,
           Error{QStringLiteral("cancelled"),
                 QStringLiteral("stopped waiting; the request stays open on the server until it expires")});
    if (reply) {
        reply->disconnect(this);
        reply->abort();
    }
}

QNetworkRequest CibaClient::formRequest(const QUrl& url) const
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Authorization", basicAuthorization(m_request.clientId, m_request.clientSecret));
    return request;
}

void CibaClient::send(QNetworkRequest request, const QByteArray& body, Handler handler)
{
    request.setTransferTimeout(RequestTimeoutMs);
    // A redirect would carry the client secret to wherever it points.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    QNetworkReply* reply = body.isNull() ? m_network->get(request) : m_network->post(request, body);
    m_reply = reply;
    auto tooLarge = std::make_shared<bool>(false);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply, tooLarge](qint64 received, qint64 total) {
        if (received > CibaAnswers::MaxAnswerBytes || total > CibaAnswers::MaxAnswerBytes) {
            *tooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, tooLarge, handler = std::move(handler)] {
        reply->deleteLater();
        if (m_reply == reply) {
            m_reply = nullptr;
        }
        if (m_finished) {
            return;
        }
        int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QByteArray answer = reply->read(CibaAnswers::MaxAnswerBytes + 1);
        if (*tooLarge) {
            // The parsers reject anything longer than the bound; make sure they see that.
            answer.resize(CibaAnswers::MaxAnswerBytes + 1, ' ');
            status = status == 0 ? 200 : status;
        }
        const QString networkError =
            status == 0 ? (reply->error() == QNetworkReply::OperationCanceledError ? QStringLiteral("the request timed out")
                                                                                   : reply->errorString())
                        : QString();
        handler(status, answer, networkError);
    });
}

void CibaClient::discover()
{
    const QUrl url = ProviderMetadata::discoveryUrl(m_issuer);
    qCDebug(lcApproval).noquote() << "discovery at" << url.toString();
    send(QNetworkRequest(url), QByteArray(), [this](int status, const QByteArray& body, const QString& networkError) {
        if (status == 0) {
            finish(ApprovalResult::Outcome::Error,
                   Error{QStringLiteral("server_unreachable"),
                         QStringLiteral("could not reach %1: %2").arg(m_issuer, networkError)});
            return;
        }
        if (status != 200) {
            finish(ApprovalResult::Outcome::Error,
                   Error{QStringLiteral("discovery_failed"),
                         QStringLiteral("%1 answered HTTP %2 for its OpenID configuration; is it a Handoff server's base "
                                        "URL?")
                             .arg(m_issuer)
                             .arg(status)});
            return;
        }
        Result<ProviderMetadata> metadata = ProviderMetadata::parse(body, m_issuer);
        if (!metadata) {
            finish(ApprovalResult::Outcome::Error, metadata.error());
            return;
        }
        if (!m_request.userCode.isEmpty() && !metadata->userCodeSupported) {
            finish(ApprovalResult::Outcome::Error,
                   Error{QStringLiteral("unsupported_server"), QStringLiteral("the server does not take user codes")});
            return;
        }
        m_metadata = std::move(metadata).value();
        authenticate();
    });
}

void CibaClient::authenticate()
{
    QList<std::pair<QString, QString>> fields{
        {QStringLiteral("scope"), normalizedScope(m_request.scope)},
        {QStringLiteral("login_hint"), m_request.loginHint},
        {QStringLiteral("binding_message"), m_request.bindingMessage},
    };
    if (!m_request.userCode.isEmpty()) {
        fields.append({QStringLiteral("user_code"), m_request.userCode});
    }
    if (m_request.requestedExpiry > 0) {
        fields.append({QStringLiteral("requested_expiry"), QString::number(m_request.requestedExpiry)});
    }
    // Not retried: each accepted request prompts the person once more.
    send(formRequest(m_metadata->backchannelAuthenticationEndpoint), formBody(fields),
         [this](int status, const QByteArray& body, const QString& networkError) {
             Result<BackchannelGrant> grant = CibaAnswers::parseAuthentication(status, body, networkError);
             if (!grant) {
                 qCInfo(lcApproval).noquote() << "backchannel authentication refused:" << grant.error().code;
                 finish(ApprovalResult::Outcome::Error, grant.error());
                 return;
             }
             m_result.authReqId = grant->authReqId;
             m_clock.start();
             m_schedule.emplace(grant->interval, grant->expiresIn, 0);
             qCInfo(lcApproval).noquote() << "request accepted; expires in" << grant->expiresIn << "s, polling every"
                                          << m_schedule->intervalSeconds() << "s";
             Q_EMIT requestAccepted(grant->authReqId, grant->expiresIn, m_schedule->intervalSeconds());
             if (!m_finished) {
                 scheduleNextPoll();
             }
         });
}

void CibaClient::scheduleNextPoll()
{
    m_pollTimer.start(int(m_schedule->nextDelayMs(m_clock.elapsed())));
}

void CibaClient::poll()
{
    if (m_finished) {
        return;
    }
    const QByteArray body = formBody({{QStringLiteral("grant_type"), CibaGrantType},
                                      {QStringLiteral("auth_req_id"), m_result.authReqId}});
    send(formRequest(m_metadata->tokenEndpoint), body,
         [this](int status, const QByteArray& answer, const QString& networkError) {
             onTokenAnswer(CibaAnswers::parseToken(status, answer, networkError));
         });
}

void CibaClient::onTokenAnswer(const TokenAnswer& answer)
{
    const qint64 now = m_clock.elapsed();
    switch (answer.kind) {
    case TokenAnswer::Kind::Granted: {
        Result<void> claims = CibaAnswers::checkIdToken(answer.tokens.idToken, m_issuer, m_request.clientId,
                                                        m_result.authReqId, QDateTime::currentSecsSinceEpoch());
        if (!claims) {
            qCInfo(lcApproval).noquote() << "tokens refused:" << claims.error().message;
            finish(ApprovalResult::Outcome::Error, claims.error());
            return;
        }
        m_result.tokens = answer.tokens;
        if (m_result.tokens.scope.isEmpty()) {
            m_result.tokens.scope = normalizedScope(m_request.scope);
        }
        finish(ApprovalResult::Outcome::Approved);
        return;
    }
    case TokenAnswer::Kind::Denied:
        finish(ApprovalResult::Outcome::Denied,
               Error{answer.error.code, QStringLiteral("the person denied the request")});
        return;
    case TokenAnswer::Kind::Expired:
        finish(ApprovalResult::Outcome::Expired,
               Error{answer.error.code, QStringLiteral("the request expired before the person answered")});
        return;
    case TokenAnswer::Kind::Failed:
        qCInfo(lcApproval).noquote() << "token endpoint refused:" << answer.error.code;
        finish(ApprovalResult::Outcome::Error, answer.error);
        return;
    case TokenAnswer::Kind::Transient:
        if (!m_schedule->failedTransiently()) {
            finish(ApprovalResult::Outcome::Error,
                   Error{answer.error.code, QStringLiteral("gave up after %1 failed polls in a row: %2")
                                                .arg(m_schedule->failuresInARow())
                                                .arg(answer.error.message)});
            return;
        }
        qCInfo(lcApproval).noquote() << "poll failed (" << answer.error.code << "); trying again";
        break;
    case TokenAnswer::Kind::SlowDown:
        m_schedule->answered();
        m_schedule->slowDown();
        qCInfo(lcApproval) << "slow_down: polling every" << m_schedule->intervalSeconds() << "s";
        Q_EMIT intervalChanged(m_schedule->intervalSeconds());
        break;
    case TokenAnswer::Kind::Pending:
        m_schedule->answered();
        Q_EMIT stillPending();
        break;
    }
    if (m_finished) {
        return;
    }
    if (m_schedule->isExpired(now)) {
        finish(ApprovalResult::Outcome::Expired,
               Error{QStringLiteral("expired_token"), QStringLiteral("the request expired before the person answered")});
        return;
    }
    scheduleNextPoll();
}

void CibaClient::finish(ApprovalResult::Outcome outcome, Error error)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_pollTimer.stop();
    m_result.outcome = outcome;
    m_result.error = std::move(error);
    qCInfo(lcApproval).noquote() << "outcome:" << ApprovalResult::outcomeName(outcome)
                                 << (outcome == ApprovalResult::Outcome::Approved ? QString() : m_result.error.code);
    Q_EMIT finished(outcome);
}

} // namespace handoff::agent
