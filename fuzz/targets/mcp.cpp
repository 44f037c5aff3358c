// MCP's JSON-RPC messages as `handoff-agent mcp` reads them from its client:
// McpServer::handleMessage, one line of the input per message (the stdio
// transport's framing), on a server with no Handoff server or CIBA client
// configured, so that no tool call leaves the process. JSON-RPC 2.0 must hold:
// a request (method and id) gets exactly one response carrying its id and
// either a result or an error; a notification and a response get none; text
// that is not a JSON object gets one parse error with a null id.

#include "FuzzSupport.h"
#include "agent/mcp/McpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>

using handoff::agent::McpServer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    QList<QJsonObject> written;
    McpServer server(McpServer::Defaults {}, [&written](const QJsonObject& message) { written.append(message); });

    for (const QByteArrayView line : handoff::fuzz::bytes(data, size).toByteArray().split('\n')) {
        if (line.isEmpty())
            continue;
        written.clear();
        server.handleMessage(line.toByteArray());

        QJsonParseError error {};
        const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            FUZZ_CHECK(written.size() == 1);
            FUZZ_CHECK(written[0].value(QLatin1String("id")).isNull());
            FUZZ_CHECK(written[0].value(QLatin1String("error")).toObject().value(QLatin1String("code")).toInt()
                       == -32700);
            continue;
        }
        const QJsonObject message = document.object();
        const QString method = message.value(QLatin1String("method")).toString();
        const QJsonValue id = message.value(QLatin1String("id"));
        if (method.isEmpty() || id.isUndefined()) {
            FUZZ_CHECK(written.isEmpty());
            continue;
        }
        FUZZ_CHECK(written.size() == 1);
        const QJsonObject& response = written[0];
        FUZZ_CHECK(response.value(QLatin1String("jsonrpc")) == QJsonValue(QStringLiteral("2.0")));
        FUZZ_CHECK(response.value(QLatin1String("id")) == id);
        FUZZ_CHECK(response.contains(QLatin1String("result")) != response.contains(QLatin1String("error")));
        if (response.contains(QLatin1String("error"))) {
            const QJsonObject rpcError = response.value(QLatin1String("error")).toObject();
            FUZZ_CHECK(rpcError.value(QLatin1String("code")).isDouble());
            FUZZ_CHECK(!rpcError.value(QLatin1String("message")).toString().isEmpty());
        }
    }
    return 0;
}
