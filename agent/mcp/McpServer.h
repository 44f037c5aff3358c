#pragma once

// The MCP server of `handoff-agent mcp` (JSON-RPC 2.0, MCP revision 2025-06-18),
// transport-free: handleMessage() takes one JSON-RPC message, and replies and
// notifications leave through the write function (one JSON object per call).
//
// Tools:
//   handoff_to_human {service, cdp_url?, context?{url, blocker_type, hint}, ttl?, login_hint?}
//       -> {session_id, session_url, sas?}: starts a hand-over and returns the link
//          to give the person (the SAS follows once a viewer connects).
//   handoff_status {session_id} -> {session_id, status, message}: blocks until the
//       session ends (status resolved, cancelled, timeout or error), sending
//       notifications/progress while it waits when the request has a progressToken.
//   handoff_request_approval {binding_message, login_hint, scope?, user_code?, expiry_seconds?}
//       -> {outcome: approved|denied|expired|error, auth_req_id?, scope?, expires_in?, message}:
//          asks the person on their paired device (OpenID Connect CIBA, CibaClient)
//          and blocks until they answer, with progress notifications like
//          handoff_status. The client credentials come from the agent's own
//          configuration (HANDOFF_CLIENT_ID/HANDOFF_CLIENT_SECRET or the command
//          line), never from the model, and the access token is never returned:
//          the tool is a yes/no gate for the model, not a way to obtain a credential.
// A notifications/cancelled for a pending call cancels that session on the server,
// or stops waiting for that approval.

#include "agent/approval/CibaClient.h"
#include "agent/session/AgentSession.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QTimer>

#include <functional>

namespace handoff::agent {

class McpServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(McpServer)

public:
    static constexpr const char* ProtocolVersion = "2025-06-18";
    using WriteFunction = std::function<void(const QJsonObject&)>;

    struct Defaults final {
        QUrl server;
        QByteArray apiKey;
        QUrl cdpUrl;
        int protocolVersion = 2;
        QString clientId;       // CIBA client for handoff_request_approval
        QByteArray clientSecret;
    };
    static constexpr int MaxPendingApprovals = 8;

    McpServer(Defaults defaults, WriteFunction write, QObject* parent = nullptr);
    ~McpServer() override;

    void setProgressIntervalMs(int ms) { m_progressTimer.setInterval(ms); }
    // One JSON-RPC message (request, notification or batch member), as bytes.
    void handleMessage(const QByteArray& json);
    static QString instructions();
    // Cancels every session still running (stdin closed, SIGTERM).
    void cancelAll();
    bool hasLiveSessions() const;
    static QJsonArray toolList();

private:
    struct PendingStatus final {
        QJsonValue requestId;
        QJsonValue progressToken;
        QString sessionId;
        int progress = 0;
    };
    struct Hand final {
        AgentSession* session = nullptr;
    };
    struct PendingApproval final {
        QJsonValue requestId;
        QJsonValue progressToken;
        CibaClient* client = nullptr;
        int progress = 0;
    };

    void handleRequest(const QJsonValue& id, const QString& method, const QJsonObject& params);
    void callTool(const QJsonValue& id, const QJsonObject& params);
    void toHuman(const QJsonValue& id, const QJsonObject& arguments);
    void status(const QJsonValue& id, const QJsonObject& arguments, const QJsonValue& progressToken);
    void requestApproval(const QJsonValue& id, const QJsonObject& arguments, const QJsonValue& progressToken);
    void onApprovalFinished(const QString& key);
    void sendProgressNotification(const QJsonValue& token, int progress, const QString& message);
    void onFinished(const QString& sessionId);
    void sendProgress();
    void respond(const QJsonValue& id, const QJsonObject& result);
    void respondError(const QJsonValue& id, int code, const QString& message);
    void respondToolResult(const QJsonValue& id, const QJsonObject& structured, bool isError = false);
    void respondToolError(const QJsonValue& id, const QString& message);

    Defaults m_defaults;
    WriteFunction m_write;
    QHash<QString, Hand> m_sessions; // by session id
    QList<PendingStatus> m_pending;
    QHash<QString, AgentSession*> m_creating; // handoff_to_human calls waiting for their link, by request id
    QHash<QString, PendingApproval> m_approvals; // handoff_request_approval calls waiting, by request id
    QTimer m_progressTimer;
    bool m_initialized = false;
};

} // namespace handoff::agent
