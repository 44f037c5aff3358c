#include "agent/approval/ProviderMetadata.h"

#include "agent/approval/ServerText.h"
#include "core/common/EndpointPolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace handoff::agent {

namespace {

Error bad(const QString& message)
{
    return Error{QStringLiteral("bad_discovery"), message};
}

Error unsupported(const QString& message)
{
    return Error{QStringLiteral("unsupported_server"), message};
}

// Absent: nullopt. Present: the strings, or an error if it is not an array of strings.
Result<std::optional<QStringList>> stringList(const QJsonObject& document, const QString& name)
{
    const QJsonValue value = document.value(name);
    if (value.isUndefined()) {
        return std::optional<QStringList>();
    }
    if (!value.isArray()) {
        return bad(QStringLiteral("the discovery document's %1 is not a list").arg(name));
    }
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& item : array) {
        if (!item.isString()) {
            return bad(QStringLiteral("the discovery document's %1 holds something other than text").arg(name));
        }
        list.append(item.toString());
    }
    return std::optional<QStringList>(list);
}

Result<QUrl> endpoint(const QJsonObject& document, const QString& name)
{
    const QJsonValue value = document.value(name);
    if (value.isUndefined()) {
        return unsupported(QStringLiteral("the server is not a CIBA provider: its discovery document has no %1").arg(name));
    }
    const QString text = value.toString();
    if (!value.isString() || text.isEmpty() || text.size() > ProviderMetadata::MaxUrlLength) {
        return bad(QStringLiteral("the discovery document's %1 is not a URL").arg(name));
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasFragment()) {
        return bad(QStringLiteral("the discovery document's %1 is not a URL").arg(name));
    }
    if (!EndpointPolicy::isAcceptable(url)) {
        return bad(QStringLiteral("the discovery document's %1 is not https (http is accepted only on a loopback host)")
                       .arg(name));
    }
    return url;
}

} // namespace

QString ProviderMetadata::issuerFor(const QUrl& base)
{
    const QString scheme = base.scheme();
    if (!base.isValid() || base.host().isEmpty() || !base.userInfo().isEmpty() || base.hasQuery() || base.hasFragment()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        return {};
    }
    QString text = base.toString(QUrl::FullyEncoded);
    while (text.endsWith(QLatin1Char('/'))) {
        text.chop(1);
    }
    return text;
}

QUrl ProviderMetadata::discoveryUrl(const QString& issuer)
{
    return QUrl(issuer + QStringLiteral("/.well-known/openid-configuration"));
}

Result<ProviderMetadata> ProviderMetadata::parse(const QByteArray& document, const QString& expectedIssuer)
{
    if (document.size() > MaxDocumentBytes) {
        return bad(QStringLiteral("the discovery document is larger than %1 KiB").arg(MaxDocumentBytes / 1024));
    }
    QJsonParseError parseError{};
    const QJsonDocument json = QJsonDocument::fromJson(document, &parseError);
    if (parseError.error != QJsonParseError::NoError || !json.isObject()) {
        return bad(QStringLiteral("the discovery document is not a JSON object"));
    }
    const QJsonObject object = json.object();

    ProviderMetadata metadata;
    const QJsonValue issuer = object.value(QLatin1String("issuer"));
    if (!issuer.isString() || issuer.toString().isEmpty()) {
        return bad(QStringLiteral("the discovery document names no issuer"));
    }
    metadata.issuer = issuer.toString();
    if (metadata.issuer != expectedIssuer) {
        return Error{QStringLiteral("issuer_mismatch"),
                     QStringLiteral("the server at %1 calls itself \"%2\"; give exactly its issuer URL as the server")
                         .arg(expectedIssuer, ServerText::printable(metadata.issuer, MaxUrlLength / 8))};
    }

    Result<QUrl> backchannel = endpoint(object, QStringLiteral("backchannel_authentication_endpoint"));
    if (!backchannel) {
        return backchannel.error();
    }
    metadata.backchannelAuthenticationEndpoint = *backchannel;
    Result<QUrl> token = endpoint(object, QStringLiteral("token_endpoint"));
    if (!token) {
        return token.error();
    }
    metadata.tokenEndpoint = *token;

    Result<std::optional<QStringList>> modes =
        stringList(object, QStringLiteral("backchannel_token_delivery_modes_supported"));
    if (!modes) {
        return modes.error();
    }
    if (modes->has_value() && !(*modes)->contains(QStringLiteral("poll"))) {
        return unsupported(QStringLiteral("the server does not offer poll delivery of CIBA tokens"));
    }
    Result<std::optional<QStringList>> grants = stringList(object, QStringLiteral("grant_types_supported"));
    if (!grants) {
        return grants.error();
    }
    if (grants->has_value() && !(*grants)->contains(QStringLiteral("urn:openid:params:grant-type:ciba"))) {
        return unsupported(QStringLiteral("the server does not grant urn:openid:params:grant-type:ciba"));
    }
    // Absent means client_secret_basic (RFC 8414 section 2).
    Result<std::optional<QStringList>> methods = stringList(object, QStringLiteral("token_endpoint_auth_methods_supported"));
    if (!methods) {
        return methods.error();
    }
    if (methods->has_value() && !(*methods)->contains(QStringLiteral("client_secret_basic"))) {
        return unsupported(QStringLiteral("the server does not accept client_secret_basic client authentication"));
    }
    const QJsonValue userCode = object.value(QLatin1String("backchannel_user_code_parameter_supported"));
    if (!userCode.isUndefined() && !userCode.isBool()) {
        return bad(QStringLiteral("the discovery document's backchannel_user_code_parameter_supported is not true "
                                  "or false"));
    }
    metadata.userCodeSupported = userCode.toBool(false);
    return metadata;
}

} // namespace handoff::agent
