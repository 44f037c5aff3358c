#pragma once

// The person's side in CIBA tests: the app's real DeviceClient, paired with a
// TestServer for a user, its key in the real keychain (removed again at the end),
// online on the device channel. It answers each approval request whose binding
// message it was told about, and records every approval_closed it receives.

#include "core/device/DeviceClient.h"
#include "core/keystore/Keystore.h"
#include "tests/ciba/CibaCli.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>

namespace handoff::test {

class ApprovingDevice final {
public:
    struct Closed final {
        QString authReqId;
        QString outcome;
    };

    ApprovingDevice() = default;
    Q_DISABLE_COPY_MOVE(ApprovingDevice)
    ~ApprovingDevice()
    {
        m_client.reset();
        if (!m_account.keyName.isEmpty()) {
            m_keystore.remove(m_account.keyName, [](Result<void>) {});
            QTest::qWait(200);
        }
    }

    // Adds the user, pairs and goes online; false (with `error`) on failure.
    bool pairAndStart(const TestServer& server, const QString& email, QString* error)
    {
        if (runCli(server, {QStringLiteral("users"), QStringLiteral("add"), email}).exitCode != 0) {
            *error = QStringLiteral("users add failed");
            return false;
        }
        Result<device::PairingLink> link = device::PairingLink::parse(
            pairingLinkFrom(runCli(server, {QStringLiteral("devices"), QStringLiteral("pair"), email}).out));
        if (!link) {
            *error = link.error().message;
            return false;
        }
        m_client = std::make_unique<device::DeviceClient>(m_keystore);
        m_client->setReconnectDelays(std::chrono::milliseconds(200), std::chrono::milliseconds(1000));
        QSignalSpy paired(m_client.get(), &device::DeviceClient::paired);
        m_client->pair(*link, QStringLiteral("Laptop"));
        if (!QTest::qWaitFor([&] { return paired.size() == 1; }, 30'000)) {
            *error = QStringLiteral("pairing did not complete");
            return false;
        }
        m_account = paired.first().first().value<device::DeviceAccount>();
        QObject::connect(m_client.get(), &device::DeviceClient::approvalRequested, m_client.get(),
                [this](const device::ApprovalRequest& request) {
                    m_seen.append(request.authReqId);
                    const auto it = m_answers.constFind(request.bindingMessage);
                    if (it != m_answers.constEnd()) {
                        m_decided.insert(request.authReqId, m_client->decide(request.authReqId, *it).ok());
                    }
                });
        QObject::connect(m_client.get(), &device::DeviceClient::approvalClosed, m_client.get(),
                [this](const QString& authReqId, const QString& outcome, const QString&, const QString&) {
                    m_closed.append({authReqId, outcome});
                });
        m_client->start(m_account);
        if (!waitOnline()) {
            *error = QStringLiteral("the device did not come online");
            return false;
        }
        return true;
    }

    device::DeviceClient& client() { return *m_client; }

    bool waitOnline(int timeoutMs = 30'000)
    {
        return QTest::qWaitFor([&] { return m_client->state() == device::DeviceClient::State::Online; }, timeoutMs);
    }

    // The person approves (or denies) the request that shows this binding message.
    void answer(const QString& bindingMessage, bool approve) { m_answers.insert(bindingMessage, approve); }

    bool saw(const QString& authReqId) const { return m_seen.contains(authReqId); }
    bool waitDecided(const QString& authReqId, int timeoutMs = 30'000) const
    {
        return QTest::qWaitFor([&] { return m_decided.value(authReqId, false); }, timeoutMs);
    }
    // The outcome of the approval_closed for this request, or empty.
    QString closedOutcome(const QString& authReqId) const
    {
        for (const Closed& closed : m_closed) {
            if (closed.authReqId == authReqId) {
                return closed.outcome;
            }
        }
        return {};
    }
    bool waitClosed(const QString& authReqId, int timeoutMs = 30'000) const
    {
        return QTest::qWaitFor([&] { return !closedOutcome(authReqId).isEmpty(); }, timeoutMs);
    }

private:
    keystore::Keystore m_keystore{device::DeviceClient::keychainService()};
    std::unique_ptr<device::DeviceClient> m_client;
    device::DeviceAccount m_account;
    QHash<QString, bool> m_answers;
    QHash<QString, bool> m_decided;
    QStringList m_seen;
    QList<Closed> m_closed;
};

} // namespace handoff::test
