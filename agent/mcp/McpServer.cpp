#include "agent/mcp/McpServer.h"

#include "agent/AgentLogging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace handoff::agent {

namespace {

constexpr int ParseError = -32700;
constexpr int InvalidRequest = -32600;
constexpr int MethodNotFound = -32601;
constexpr int InvalidParams = -32602;
constexpr qsizetype MaxMessageBytes = 1024 * 1024;

QString idKey(const QJsonValue& id)
{
    return id.isString() ? QStringLiteral("s:") + id.toString() : QStringLiteral("n:") + QString::number(id.toDouble());
}

QJsonObject stringProperty(const QString& description)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("description"), description}};
}

// Absent: empty. Present: a string within `maxLength` code points, else nothing.
std::optional<QString> optionalString(const QJsonObject& arguments, const QString& name, qsizetype maxLength)
{
    const QJsonValue value = arguments.value(name);
    if (value.isUndefined() || value.isNull()) {
        return QString();
    }
    if (!value.isString() || value.toString().toUcs4().size() > maxLength) {
        return std::nullopt;
    }
    return value.toString();
}

} // namespace

McpServer::McpServer(Defaults defaults, WriteFunction write, QObject* parent)
    : QObject(parent)
    , m_defaults(std::move(defaults))
    , m_write(std::move(write))
{
    m_progressTimer.setInterval(5000);
    connect(&m_progressTimer, &QTimer::timeout, this, &McpServer::sendProgress);
}

McpServer::~McpServer() = default;

QString McpServer::instructions()
{
    return QStringLiteral(
        "Handoff hands one authentication step in your browser to the real person. Call handoff_to_human when "
        "the page you drive shows a wall you must not or cannot pass yourself: a password, a one-time code, a "
        "CAPTCHA, a security question or a document upload. Give the person the session_url it returns (a "
        "handoff:// link that opens their Handoff app; web_url only if that link does not open for them, and "
        "the security code if they ask), then call handoff_status, which waits until they are done; continue "
        "when it returns resolved. Never ask the user for passwords, codes or other credentials in the chat, "
        "and never type them yourself: the person types them into their own app, end-to-end encrypted.\n\n"
        "Call handoff_request_approval before a sensitive action the person has not explicitly approved for this "
        "very case: a payment, refund or transfer, deleting data, sending a message or signing something in "
        "their name. Give a precise binding_message that names the action, the amount and the party, e.g. "
        "\"Refund $120.00 to ACME Corp, order 1234\", and login_hint naming the person. The call waits until "
        "they approve or deny on their own device. Perform the action only when outcome is approved, and only "
        "the action the binding message describes; on denied, expired or error do not perform it (ask again "
        "only if the person wants you to).");
}

QJsonArray McpServer::toolList()
{
    const QJsonObject context{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("url"), stringProperty(QStringLiteral("The page that shows the wall"))},
                     {QStringLiteral("blocker_type"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                  {QStringLiteral("enum"),
                                   QJsonArray{QStringLiteral("otp"), QStringLiteral("password"),
                                              QStringLiteral("captcha"), QStringLiteral("security_question"),
                                              QStringLiteral("document_upload"), QStringLiteral("other")}}}},
                     {QStringLiteral("hint"), stringProperty(QStringLiteral("What the person should do (at most 200 characters)"))}}},
    };
    const QJsonObject toHuman{
        {QStringLiteral("name"), QStringLiteral("handoff_to_human")},
        {QStringLiteral("title"), QStringLiteral("Hand the browser to the person")},
        {QStringLiteral("description"),
         QStringLiteral("Starts a Handoff session for the page in the given Chromium and returns the link to give "
                        "the person. They see the page live and type the secret themselves.")},
        {QStringLiteral("inputSchema"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                     {QStringLiteral("properties"),
                      QJsonObject{{QStringLiteral("service"), stringProperty(QStringLiteral("Name of the site or service, shown to the person"))},
                                  {QStringLiteral("cdp_url"), stringProperty(QStringLiteral("Chrome DevTools endpoint, e.g. http://127.0.0.1:9222"))},
                                  {QStringLiteral("context"), context},
                                  {QStringLiteral("ttl"), QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                                                                      {QStringLiteral("minimum"), 30},
                                                                      {QStringLiteral("maximum"), 3600}}},
                                  {QStringLiteral("login_hint"), stringProperty(QStringLiteral("User whose paired devices are notified"))}}},
                     {QStringLiteral("required"), QJsonArray{QStringLiteral("service")}}}},
        {QStringLiteral("outputSchema"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                     {QStringLiteral("properties"),
                      QJsonObject{{QStringLiteral("session_id"), stringProperty(QStringLiteral("The session"))},
                                  {QStringLiteral("session_url"),
                                   stringProperty(QStringLiteral("The link for the person, in the Handoff app's "
                                                                 "handoff:// form: give them this one"))},
                                  {QStringLiteral("web_url"),
                                   stringProperty(QStringLiteral("The same link as a web page on the relay, for a "
                                                                 "person whose system does not open handoff:// links"))}}},
                     {QStringLiteral("required"), QJsonArray{QStringLiteral("session_id"), QStringLiteral("session_url")}}}},
    };
    const QJsonObject status{
        {QStringLiteral("name"), QStringLiteral("handoff_status")},
        {QStringLiteral("title"), QStringLiteral("Wait for the person")},
        {QStringLiteral("description"),
         QStringLiteral("Waits until the person finished the hand-over and returns the outcome: resolved, "
                        "cancelled, timeout or error. Sends progress notifications while waiting.")},
        {QStringLiteral("inputSchema"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                     {QStringLiteral("properties"), QJsonObject{{QStringLiteral("session_id"), stringProperty(QStringLiteral("From handoff_to_human"))}}},
                     {QStringLiteral("required"), QJsonArray{QStringLiteral("session_id")}}}},
        {QStringLiteral("outputSchema"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                     {QStringLiteral("properties"),
                      QJsonObject{{QStringLiteral("session_id"), stringProperty(QStringLiteral("The session"))},
                                  {QStringLiteral("status"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                               {QStringLiteral("enum"), QJsonArray{QStringLiteral("resolved"), QStringLiteral("cancelled"),
                                                                                   QStringLiteral("timeout"), QStringLiteral("error")}}}},
                                  {QStringLiteral("message"), stringProperty(QStringLiteral("A sentence for the log"))}}},
                     {QStringLiteral("required"), QJsonArray{QStringLiteral("session_id"), QStringLiteral("status")}}}},
    };
    const QJsonObject approval{
        {QStringLiteral("name"), QStringLiteral("handoff_request_approval")},
        {QStringLiteral("title"), QStringLiteral("Ask the person to approve an action")},
        {QStringLiteral("description"),
         QStringLiteral("Asks the person to approve or deny one action on their own paired device (OpenID Connect "
                        "CIBA) and waits for the answer: approved, denied or expired (or error). Use it before a "
                        "sensitive action, with a binding_message that says exactly what will happen. Sends progress "
                        "notifications while waiting. It returns only the outcome, never an access token: the "
                        "approval is a yes/no gate for you, not a credential to use.")},
        {QStringLiteral("inputSchema"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                     {QStringLiteral("properties"),
                      QJsonObject{{QStringLiteral("binding_message"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                               {QStringLiteral("minLength"), 1},
                                               {QStringLiteral("maxLength"), CibaRequest::MaxBindingMessageLength},
                                               {QStringLiteral("description"),
                                                QStringLiteral("The action, shown to the person as is, e.g. \"Refund $120.00 to ACME "
                                                               "Corp, order 1234\" (plain text, at most 140 characters)")}}},
                                  {QStringLiteral("login_hint"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                               {QStringLiteral("minLength"), 1},
                                               {QStringLiteral("maxLength"), CibaRequest::MaxLoginHintLength},
                                               {QStringLiteral("description"),
                                                QStringLiteral("The person to ask: their user name on the Handoff server, e.g. an email")}}},
                                  {QStringLiteral("scope"),
                                   stringProperty(QStringLiteral("Space-separated OAuth scope values for what is approved "
                                                                 "(openid is added when missing); default openid"))},
                                  {QStringLiteral("user_code"),
                                   stringProperty(QStringLiteral("The person's user code, if their account has one and they "
                                                                 "gave it to you for this"))},
                                  {QStringLiteral("expiry_seconds"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                                               {QStringLiteral("minimum"), 1},
                                               {QStringLiteral("maximum"), CibaRequest::MaxExpirySeconds},
                                               {QStringLiteral("description"),
                                                QStringLiteral("How long the person has to answer, in seconds (the server's "
                                                               "default when absent; it may cap it)")}}}}},
                     {QStringLiteral("required"), QJsonArray{QStringLiteral("binding_message"), QStringLiteral("login_hint")}}}},
        {QStringLiteral("outputSchema"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                     {QStringLiteral("properties"),
                      QJsonObject{{QStringLiteral("outcome"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                               {QStringLiteral("enum"), QJsonArray{QStringLiteral("approved"), QStringLiteral("denied"),
                                                                                   QStringLiteral("expired"), QStringLiteral("error")}}}},
                                  {QStringLiteral("auth_req_id"),
                                   stringProperty(QStringLiteral("The server's id of the request (absent when it never got there)"))},
                                  {QStringLiteral("scope"), stringProperty(QStringLiteral("The scope approved"))},
                                  {QStringLiteral("expires_in"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                                               {QStringLiteral("description"),
                                                QStringLiteral("Seconds the approval's token stays valid")}}},
                                  {QStringLiteral("message"), stringProperty(QStringLiteral("What happened, in a sentence"))}}},
                     {QStringLiteral("required"), QJsonArray{QStringLiteral("outcome"), QStringLiteral("message")}}}},
    };
    return QJsonArray{toHuman, status, approval};
}

void McpServer::handleMessage(const QByteArray& json)
{
    if (json.size() > MaxMessageBytes) {
        respondError(QJsonValue::Null, InvalidRequest, QStringLiteral("message too large"));
        return;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        respondError(QJsonValue::Null, ParseError, QStringLiteral("not a JSON-RPC object"));
        return;
    }
    const QJsonObject message = doc.object();
    const QString method = message.value(QLatin1String("method")).toString();
    const QJsonValue id = message.value(QLatin1String("id"));
    const QJsonObject params = message.value(QLatin1String("params")).toObject();
    if (method.isEmpty()) {
        return; // a response to something we never ask
    }
    if (id.isUndefined()) {
        if (method == QLatin1String("notifications/initialized")) {
            m_initialized = true;
        } else if (method == QLatin1String("notifications/cancelled")) {
            const QString key = idKey(params.value(QLatin1String("requestId")));
            for (qsizetype i = 0; i < m_pending.size(); ++i) {
                if (idKey(m_pending.at(i).requestId) == key) {
                    const QString sessionId = m_pending.at(i).sessionId;
                    m_pending.removeAt(i);
                    qCInfo(lcMcp).noquote() << "client cancelled the wait; cancelling session" << sessionId;
                    if (auto it = m_sessions.find(sessionId); it != m_sessions.end() && it->session) {
                        it->session->cancel();
                    }
                    break;
                }
            }
            if (AgentSession* creating = m_creating.take(key)) {
                qCInfo(lcMcp) << "client cancelled handoff_to_human; cancelling the session";
                creating->cancel();
            }
            if (const auto approval = m_approvals.find(key); approval != m_approvals.end()) {
                // Removed first: a cancelled request gets no response (MCP cancellation).
                CibaClient* client = approval->client;
                m_approvals.erase(approval);
                qCInfo(lcMcp) << "client cancelled handoff_request_approval; no longer waiting";
                client->cancel();
                client->deleteLater();
            }
        }
        return;
    }
    handleRequest(id, method, params);
}

void McpServer::handleRequest(const QJsonValue& id, const QString& method, const QJsonObject& params)
{
    if (method == QLatin1String("initialize")) {
        respond(id, QJsonObject{
                        {QStringLiteral("protocolVersion"), QString::fromLatin1(ProtocolVersion)},
                        {QStringLiteral("capabilities"),
                         QJsonObject{{QStringLiteral("tools"), QJsonObject{{QStringLiteral("listChanged"), false}}}}},
                        {QStringLiteral("serverInfo"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("handoff-agent")},
                                     {QStringLiteral("title"), QStringLiteral("Handoff")},
                                     {QStringLiteral("version"), QStringLiteral("0.1.0")}}},
                        {QStringLiteral("instructions"), instructions()},
                    });
        return;
    }
    if (method == QLatin1String("ping")) {
        respond(id, QJsonObject{});
        return;
    }
    if (method == QLatin1String("tools/list")) {
        respond(id, QJsonObject{{QStringLiteral("tools"), toolList()}});
        return;
    }
    if (method == QLatin1String("tools/call")) {
        callTool(id, params);
        return;
    }
    respondError(id, MethodNotFound, QStringLiteral("method not found"));
}

void McpServer::callTool(const QJsonValue& id, const QJsonObject& params)
{
    const QString name = params.value(QLatin1String("name")).toString();
    const QJsonObject arguments = params.value(QLatin1String("arguments")).toObject();
    if (name == QLatin1String("handoff_to_human")) {
        toHuman(id, arguments);
    } else if (name == QLatin1String("handoff_status")) {
        status(id, arguments, params.value(QLatin1String("_meta")).toObject().value(QLatin1String("progressToken")));
    } else if (name == QLatin1String("handoff_request_approval")) {
        requestApproval(id, arguments,
                        params.value(QLatin1String("_meta")).toObject().value(QLatin1String("progressToken")));
    } else {
        respondError(id, InvalidParams, QStringLiteral("unknown tool"));
    }
}

void McpServer::toHuman(const QJsonValue& id, const QJsonObject& arguments)
{
    const QString service = arguments.value(QLatin1String("service")).toString();
    if (service.isEmpty() || service.size() > 100) {
        respondToolError(id, QStringLiteral("service is required (1 to 100 characters)"));
        return;
    }
    AgentSessionConfig config;
    config.server = m_defaults.server;
    config.apiKey = m_defaults.apiKey;
    config.protocolVersion = m_defaults.protocolVersion;
    config.cdpUrl = arguments.contains(QLatin1String("cdp_url"))
        ? QUrl(arguments.value(QLatin1String("cdp_url")).toString())
        : m_defaults.cdpUrl;
    if (!config.server.isValid() || config.server.isEmpty() || config.apiKey.isEmpty()) {
        respondToolError(id, QStringLiteral("the agent has no server or API key (set HANDOFF_SERVER and HANDOFF_API_KEY)"));
        return;
    }
    if (!config.cdpUrl.isValid() || config.cdpUrl.isEmpty()) {
        respondToolError(id, QStringLiteral("cdp_url is required (or set HANDOFF_CDP_URL)"));
        return;
    }
    const QJsonObject context = arguments.value(QLatin1String("context")).toObject();
    config.request.service = service;
    config.request.contextUrl = context.value(QLatin1String("url")).toString();
    config.request.blockerType = context.value(QLatin1String("blocker_type")).toString();
    config.request.hint = context.value(QLatin1String("hint")).toString();
    config.request.ttlSeconds = arguments.value(QLatin1String("ttl")).toInt();
    config.request.loginHint = arguments.value(QLatin1String("login_hint")).toString();
    config.request.cdpUrl = config.cdpUrl.toString(QUrl::RemoveUserInfo);

    auto* session = new AgentSession(std::move(config), this);
    const QString key = idKey(id);
    m_creating.insert(key, session);
    connect(session, &AgentSession::linkReady, this,
            [this, session, id, key](const QUrl& appLink, const QUrl& webLink, const QString& sessionId) {
                m_sessions[sessionId].session = session;
                if (m_creating.remove(key) > 0) {
                    respondToolResult(id,
                                      QJsonObject{{QStringLiteral("session_id"), sessionId},
                                                  {QStringLiteral("session_url"), appLink.toString(QUrl::FullyEncoded)},
                                                  {QStringLiteral("web_url"), webLink.toString(QUrl::FullyEncoded)}});
                }
            });
    connect(session, &AgentSession::finished, this,
            [this, session, id, key](AgentSession::Outcome, const QString& message) {
                if (session->sessionId().isEmpty() || !m_sessions.contains(session->sessionId())) {
                    if (m_creating.remove(key) > 0) {
                        respondToolError(id, message);
                    }
                    session->deleteLater();
                    return;
                }
                onFinished(session->sessionId());
            });
    session->start();
}

void McpServer::status(const QJsonValue& id, const QJsonObject& arguments, const QJsonValue& progressToken)
{
    const QString sessionId = arguments.value(QLatin1String("session_id")).toString();
    const auto it = m_sessions.constFind(sessionId);
    if (it == m_sessions.cend()) {
        respondToolError(id, QStringLiteral("unknown session_id (start one with handoff_to_human)"));
        return;
    }
    AgentSession* session = it->session;
    if (session->isFinished()) {
        respondToolResult(id, QJsonObject{{QStringLiteral("session_id"), sessionId},
                                          {QStringLiteral("status"), AgentSession::outcomeName(*session->outcome())},
                                          {QStringLiteral("message"), QStringLiteral("the session has ended")}});
        return;
    }
    m_pending.append(PendingStatus{id, progressToken, sessionId, 0});
    if (!m_progressTimer.isActive()) {
        m_progressTimer.start();
    }
}

void McpServer::requestApproval(const QJsonValue& id, const QJsonObject& arguments, const QJsonValue& progressToken)
{
    const std::optional<QString> bindingMessage =
        optionalString(arguments, QStringLiteral("binding_message"), CibaRequest::MaxBindingMessageLength);
    if (!bindingMessage || bindingMessage->trimmed().isEmpty()) {
        respondToolError(id, QStringLiteral("binding_message is required: the action to approve, in at most %1 characters")
                                 .arg(CibaRequest::MaxBindingMessageLength));
        return;
    }
    const std::optional<QString> loginHint =
        optionalString(arguments, QStringLiteral("login_hint"), CibaRequest::MaxLoginHintLength);
    if (!loginHint || loginHint->trimmed().isEmpty()) {
        respondToolError(id, QStringLiteral("login_hint is required: the person to ask (at most %1 characters)")
                                 .arg(CibaRequest::MaxLoginHintLength));
        return;
    }
    const std::optional<QString> scope =
        optionalString(arguments, QStringLiteral("scope"), CibaRequest::MaxScopeLength);
    if (!scope) {
        respondToolError(id, QStringLiteral("scope must be text: space-separated scope values"));
        return;
    }
    const std::optional<QString> userCode =
        optionalString(arguments, QStringLiteral("user_code"), CibaRequest::MaxUserCodeLength);
    if (!userCode) {
        respondToolError(id, QStringLiteral("user_code must be text of at most %1 characters")
                                 .arg(CibaRequest::MaxUserCodeLength));
        return;
    }
    const QJsonValue expiry = arguments.value(QLatin1String("expiry_seconds"));
    int expirySeconds = 0;
    if (!expiry.isUndefined() && !expiry.isNull()) {
        const double value = expiry.toDouble(-1);
        if (!expiry.isDouble() || value != std::floor(value) || value < 1 || value > CibaRequest::MaxExpirySeconds) {
            respondToolError(id, QStringLiteral("expiry_seconds must be a whole number from 1 to %1")
                                     .arg(CibaRequest::MaxExpirySeconds));
            return;
        }
        expirySeconds = int(value);
    }
    if (m_defaults.server.isEmpty() || !m_defaults.server.isValid()) {
        respondToolError(id, QStringLiteral("the agent has no server (set HANDOFF_SERVER for handoff-agent mcp)"));
        return;
    }
    if (m_defaults.clientId.isEmpty() || m_defaults.clientSecret.isEmpty()) {
        respondToolError(id, QStringLiteral("the agent has no CIBA client credentials (set HANDOFF_CLIENT_ID and "
                                            "HANDOFF_CLIENT_SECRET for handoff-agent mcp)"));
        return;
    }
    const QString key = idKey(id);
    if (m_approvals.contains(key)) {
        respondError(id, InvalidRequest, QStringLiteral("a request with this id is still running"));
        return;
    }
    if (m_approvals.size() >= MaxPendingApprovals) {
        respondToolError(id,
                         QStringLiteral("%1 approvals are already waiting; wait for one to end").arg(MaxPendingApprovals));
        return;
    }

    CibaRequest request;
    request.server = m_defaults.server;
    request.clientId = m_defaults.clientId;
    request.clientSecret = m_defaults.clientSecret;
    request.scope = *scope;
    request.loginHint = loginHint->trimmed();
    request.bindingMessage = *bindingMessage;
    request.userCode = *userCode;
    request.requestedExpiry = expirySeconds;
    auto* client = new CibaClient(std::move(request), this);
    m_approvals.insert(key, PendingApproval{id, progressToken, client, 0});
    connect(client, &CibaClient::finished, this, [this, key] { onApprovalFinished(key); });
    if (!m_progressTimer.isActive()) {
        m_progressTimer.start();
    }
    client->start();
}

void McpServer::onApprovalFinished(const QString& key)
{
    const auto it = m_approvals.find(key);
    if (it == m_approvals.end()) {
        return; // cancelled by the client: no response
    }
    const PendingApproval pending = *it;
    m_approvals.erase(it);
    pending.client->deleteLater();
    const ApprovalResult& result = pending.client->result();
    if (result.outcome == ApprovalResult::Outcome::Cancelled) {
        return; // the agent shuts down
    }
    const CibaRequest& request = pending.client->request();
    QJsonObject structured{{QStringLiteral("outcome"), ApprovalResult::outcomeName(result.outcome)}};
    if (!result.authReqId.isEmpty()) {
        structured.insert(QStringLiteral("auth_req_id"), result.authReqId);
    }
    switch (result.outcome) {
    case ApprovalResult::Outcome::Approved:
        structured.insert(QStringLiteral("scope"), result.tokens.scope);
        if (result.tokens.expiresIn > 0) {
            structured.insert(QStringLiteral("expires_in"), result.tokens.expiresIn);
        }
        structured.insert(QStringLiteral("message"), QStringLiteral("%1 approved on their device: %2")
                                                         .arg(request.loginHint, request.bindingMessage));
        break;
    case ApprovalResult::Outcome::Denied:
        structured.insert(QStringLiteral("message"),
                          QStringLiteral("%1 denied the request; do not perform the action").arg(request.loginHint));
        break;
    case ApprovalResult::Outcome::Expired:
        structured.insert(QStringLiteral("message"),
                          QStringLiteral("the request expired before %1 answered; do not perform the action")
                              .arg(request.loginHint));
        break;
    default:
        structured.insert(QStringLiteral("message"),
                          QStringLiteral("%1 (%2); there is no approval, so do not perform the action")
                              .arg(result.error.message, result.error.code));
        break;
    }
    respondToolResult(pending.requestId, structured, result.outcome == ApprovalResult::Outcome::Error);
}

void McpServer::sendProgressNotification(const QJsonValue& token, int progress, const QString& message)
{
    m_write(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("method"), QStringLiteral("notifications/progress")},
                        {QStringLiteral("params"), QJsonObject{{QStringLiteral("progressToken"), token},
                                                               {QStringLiteral("progress"), progress},
                                                               {QStringLiteral("message"), message}}}});
}

void McpServer::sendProgress()
{
    for (PendingStatus& p : m_pending) {
        if (p.progressToken.isUndefined() || p.progressToken.isNull()) {
            continue;
        }
        ++p.progress;
        sendProgressNotification(p.progressToken, p.progress, QStringLiteral("waiting for the person"));
    }
    for (PendingApproval& a : m_approvals) {
        if (a.progressToken.isUndefined() || a.progressToken.isNull()) {
            continue;
        }
        ++a.progress;
        const QString loginHint = a.client->request().loginHint;
        sendProgressNotification(a.progressToken, a.progress,
                                 QStringLiteral("waiting for %1 to approve on their device").arg(loginHint));
    }
    if (m_pending.isEmpty() && m_approvals.isEmpty()) {
        m_progressTimer.stop();
    }
}

void McpServer::onFinished(const QString& sessionId)
{
    const auto it = m_sessions.constFind(sessionId);
    if (it == m_sessions.cend()) {
        return;
    }
    AgentSession* session = it->session;
    const QString outcome = AgentSession::outcomeName(session->outcome().value_or(AgentSession::Outcome::Error));
    for (qsizetype i = m_pending.size() - 1; i >= 0; --i) {
        if (m_pending.at(i).sessionId == sessionId) {
            respondToolResult(m_pending.at(i).requestId,
                              QJsonObject{{QStringLiteral("session_id"), sessionId},
                                          {QStringLiteral("status"), outcome},
                                          {QStringLiteral("message"), QStringLiteral("the session ended: %1").arg(outcome)}});
            m_pending.removeAt(i);
        }
    }
}

void McpServer::cancelAll()
{
    for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
        if (it->session && !it->session->isFinished()) {
            it->session->cancel();
        }
    }
    for (AgentSession* session : std::as_const(m_creating)) {
        session->cancel();
    }
    // CIBA cannot withdraw a request: stopping the polls is all there is to do.
    const QList<PendingApproval> approvals = m_approvals.values();
    for (const PendingApproval& approval : approvals) {
        approval.client->cancel();
    }
}

bool McpServer::hasLiveSessions() const
{
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        if (it->session && !it->session->isFinished()) {
            return true;
        }
    }
    return !m_creating.isEmpty();
}

void McpServer::respond(const QJsonValue& id, const QJsonObject& result)
{
    m_write(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("id"), id},
                        {QStringLiteral("result"), result}});
}

void McpServer::respondError(const QJsonValue& id, int code, const QString& message)
{
    m_write(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("id"), id},
                        {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}});
}

void McpServer::respondToolResult(const QJsonValue& id, const QJsonObject& structured, bool isError)
{
    const QString text = QString::fromUtf8(QJsonDocument(structured).toJson(QJsonDocument::Compact));
    respond(id, QJsonObject{{QStringLiteral("content"),
                             QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}}}},
                            {QStringLiteral("structuredContent"), structured},
                            {QStringLiteral("isError"), isError}});
}

void McpServer::respondToolError(const QJsonValue& id, const QString& message)
{
    respond(id, QJsonObject{{QStringLiteral("content"),
                             QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), message}}}},
                            {QStringLiteral("isError"), true}});
}

} // namespace handoff::agent
