#include "server/ciba/ServerKey.h"

#include "core/crypto/Digest.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace handoff::server {

const QList<const char*>& ServerKey::migrationStatements()
{
    static const QList<const char*> statements = {
        "CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, private_key BLOB NOT NULL, created_at INTEGER NOT NULL)",
    };
    return statements;
}

QByteArray ServerKey::base64Url(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

ServerKey::ServerKey(crypto::SigningKey key)
    : m_key(std::move(key))
{
    const QByteArray point = m_key.publicPoint();
    // RFC 7638: the required members in lexicographic order, no whitespace.
    const QByteArray thumbprintInput = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + base64Url(point.mid(1, 32))
                                       + "\",\"y\":\"" + base64Url(point.mid(33, 32)) + "\"}";
    m_kid = QString::fromLatin1(base64Url(crypto::Digest::sha256(thumbprintInput)));
}

Result<std::unique_ptr<ServerKey>> ServerKey::loadOrCreate(Database& database)
{
    QSqlQuery query(database.handle());
    if (!query.exec(QStringLiteral("SELECT private_key FROM signing_keys ORDER BY created_at DESC LIMIT 1"))) {
        return Error{QStringLiteral("storage"), query.lastError().text()};
    }
    if (query.next()) {
        Result<crypto::SigningKey> key = crypto::SigningKey::importPkcs8(query.value(0).toByteArray());
        if (!key) {
            return key.error();
        }
        return std::unique_ptr<ServerKey>(new ServerKey(std::move(key).value()));
    }
    query.finish();
    Result<crypto::SigningKey> key = crypto::SigningKey::generate();
    if (!key) {
        return key.error();
    }
    Result<crypto::SecretBytes> pkcs8 = key->exportPkcs8();
    if (!pkcs8) {
        return pkcs8.error();
    }
    std::unique_ptr<ServerKey> serverKey(new ServerKey(std::move(key).value()));
    QSqlQuery insert(database.handle());
    insert.prepare(QStringLiteral("INSERT INTO signing_keys (kid, private_key, created_at) VALUES (?, ?, ?)"));
    insert.addBindValue(serverKey->m_kid);
    insert.addBindValue(pkcs8->bytes());
    insert.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!insert.exec()) {
        return Error{QStringLiteral("storage"), insert.lastError().text()};
    }
    return serverKey;
}

QJsonObject ServerKey::publicJwk() const
{
    const QByteArray point = m_key.publicPoint();
    return QJsonObject{
        {QStringLiteral("kty"), QStringLiteral("EC")},
        {QStringLiteral("crv"), QStringLiteral("P-256")},
        {QStringLiteral("x"), QString::fromLatin1(base64Url(point.mid(1, 32)))},
        {QStringLiteral("y"), QString::fromLatin1(base64Url(point.mid(33, 32)))},
        {QStringLiteral("kid"), m_kid},
        {QStringLiteral("use"), QStringLiteral("sig")},
        {QStringLiteral("alg"), QStringLiteral("ES256")},
    };
}

Result<QString> ServerKey::signJwt(const QJsonObject& header, const QJsonObject& claims) const
{
    QJsonObject fullHeader = header;
    fullHeader.insert(QStringLiteral("alg"), QStringLiteral("ES256"));
    fullHeader.insert(QStringLiteral("kid"), m_kid);
    const QByteArray input = base64Url(QJsonDocument(fullHeader).toJson(QJsonDocument::Compact)) + '.'
                             + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    Result<QByteArray> signature = m_key.sign(input);
    if (!signature) {
        return signature.error();
    }
    return QString::fromLatin1(input + '.' + base64Url(*signature));
}

} // namespace handoff::server
