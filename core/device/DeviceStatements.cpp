#include "core/device/DeviceStatements.h"

#include "core/device/ApprovalRequest.h"

#include <QDateTime>

#include <initializer_list>
#include <utility>

namespace handoff::device {

namespace {

using Field = std::pair<const char*, QString>;

QByteArray build(const char* title, std::initializer_list<Field> fields)
{
    QByteArray out(title);
    out += '\n';
    for (const auto& [name, value] : fields) {
        const QByteArray bytes = value.toUtf8();
        out += name;
        out += '=';
        out += QByteArray::number(bytes.size());
        out += ':';
        out += bytes;
        out += '\n';
    }
    return out;
}

} // namespace

QString DeviceStatements::serverIdentity(const QUrl& serverUrl)
{
    const QString scheme = serverUrl.scheme().toLower();
    QString identity = scheme + QStringLiteral("://") + serverUrl.host(QUrl::FullyEncoded).toLower();
    const int port = serverUrl.port();
    const int defaultPort = scheme == QLatin1String("https") || scheme == QLatin1String("wss") ? 443 : 80;
    if (port != -1 && port != defaultPort) {
        identity += QLatin1Char(':') + QString::number(port);
    }
    QString path = serverUrl.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/'))) {
        path.chop(1);
    }
    return identity + path;
}

QString DeviceStatements::timestamp(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch - msSinceEpoch % 1000, Qt::UTC).toString(Qt::ISODate);
}

QByteArray DeviceStatements::approvalDecision(const QString& server, const ApprovalRequest& request,
                                              const QString& deviceId, const QString& decision,
                                              const QString& decidedAt)
{
    return build("handoff approval decision v1", {
                                                     {"server", server},
                                                     {"auth_req_id", request.authReqId},
                                                     {"client_id", request.clientId},
                                                     {"client_name", request.clientName},
                                                     {"user", request.user},
                                                     {"scope", request.scope},
                                                     {"binding_message", request.bindingMessage},
                                                     {"requested_at", request.requestedAt},
                                                     {"expires_at", request.expiresAt},
                                                     {"device_id", deviceId},
                                                     {"decision", decision},
                                                     {"decided_at", decidedAt},
                                                 });
}

QByteArray DeviceStatements::deviceAuthentication(const QString& server, const QString& deviceId, const QString& nonce)
{
    return build("handoff device authentication v1", {{"server", server}, {"device_id", deviceId}, {"nonce", nonce}});
}

QByteArray DeviceStatements::pairing(const QString& server, const QString& pairingToken,
                                     const QByteArray& publicKeyBase64, const QString& deviceName)
{
    return build("handoff device pairing v1", {
                                                  {"server", server},
                                                  {"pairing_token", pairingToken},
                                                  {"public_key", QString::fromLatin1(publicKeyBase64)},
                                                  {"name", deviceName},
                                              });
}

} // namespace handoff::device
