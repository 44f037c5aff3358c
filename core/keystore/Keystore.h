#pragma once

// Secrets kept in the operating system's keychain, under one service name
// ("Handoff" in the app). Every call is asynchronous, as the keychain may ask the
// person to unlock it; the callback runs once, on the calling thread, with either
// the result or an Error whose message can be shown as is. There is no fallback:
// when no keychain is reachable the secret is not stored anywhere.

#include "core/common/Result.h"
#include "core/crypto/SecureMemory.h"

#include <QObject>
#include <QString>

#include <functional>

namespace handoff::keystore {

class Keystore final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Keystore)

public:
    explicit Keystore(QString service, QObject* parent = nullptr);
    ~Keystore() override;

    QString service() const { return m_service; }

    // Error codes: "keychain_unavailable" (no backend, locked and not unlocked,
    // access refused) and "keychain_error" (anything else); read() also
    // "not_found" when nothing is stored under `key`.
    void write(const QString& key, const QByteArray& secret, std::function<void(Result<void>)> done);
    void read(const QString& key, std::function<void(Result<crypto::SecretBytes>)> done);
    // Removing a key that is not there succeeds.
    void remove(const QString& key, std::function<void(Result<void>)> done);

private:
    QString m_service;
};

} // namespace handoff::keystore
