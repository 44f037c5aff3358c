#include "core/keystore/Keystore.h"

#include <QLoggingCategory>

#include <qt6keychain/keychain.h>

namespace handoff::keystore {

namespace {

Q_LOGGING_CATEGORY(lcKeystore, "handoff.keystore", QtInfoMsg)

Error keychainError(QKeychain::Error code, const QString& detail, const QString& action)
{
    switch (code) {
    case QKeychain::EntryNotFound:
        return Error{QStringLiteral("not_found"), QStringLiteral("the keychain holds no such entry")};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error{QStringLiteral("keychain_unavailable"),
                     QStringLiteral("No system keychain is available to %1 (%2). Handoff keeps its device key only "
                                    "in the keychain; start your desktop's keyring (for example GNOME Keyring or "
                                    "KWallet) and try again.")
                         .arg(action, detail)};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Error{QStringLiteral("keychain_unavailable"),
                     QStringLiteral("The system keychain refused to %1 (%2). Unlock it and allow Handoff to use it.")
                         .arg(action, detail)};
    default:
        return Error{QStringLiteral("keychain_error"),
                     QStringLiteral("The system keychain could not %1: %2").arg(action, detail)};
    }
}

// Every job is configured the same way: no plaintext fallback, deleted when done.
template <typename Job>
Job* makeJob(const QString& service, const QString& key, QObject* parent)
{
    auto* job = new Job(service, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    return job;
}

} // namespace

Keystore::Keystore(QString service, QObject* parent)
    : QObject(parent)
    , m_service(std::move(service))
{
}

Keystore::~Keystore() = default;

void Keystore::write(const QString& key, const QByteArray& secret, std::function<void(Result<void>)> done)
{
    auto* job = makeJob<QKeychain::WritePasswordJob>(m_service, key, this);
    job->setBinaryData(secret);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        if (finished->error() != QKeychain::NoError) {
            qCWarning(lcKeystore).noquote() << "keychain write failed:" << finished->errorString();
            done(keychainError(finished->error(), finished->errorString(), QStringLiteral("store the device key")));
            return;
        }
        done(Result<void>::success());
    });
    job->start();
}

void Keystore::read(const QString& key, std::function<void(Result<crypto::SecretBytes>)> done)
{
    auto* job = makeJob<QKeychain::ReadPasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        if (finished->error() != QKeychain::NoError) {
            if (finished->error() != QKeychain::EntryNotFound) {
                qCWarning(lcKeystore).noquote() << "keychain read failed:" << finished->errorString();
            }
            done(keychainError(finished->error(), finished->errorString(), QStringLiteral("read the device key")));
            return;
        }
        auto* readJob = static_cast<QKeychain::ReadPasswordJob*>(finished);
        done(crypto::SecretBytes(readJob->binaryData()));
    });
    job->start();
}

void Keystore::remove(const QString& key, std::function<void(Result<void>)> done)
{
    auto* job = makeJob<QKeychain::DeletePasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        if (finished->error() != QKeychain::NoError && finished->error() != QKeychain::EntryNotFound) {
            qCWarning(lcKeystore).noquote() << "keychain delete failed:" << finished->errorString();
            done(keychainError(finished->error(), finished->errorString(), QStringLiteral("remove the device key")));
            return;
        }
        done(Result<void>::success());
    });
    job->start();
}

} // namespace handoff::keystore
