#pragma once

// The person's desktop app, as far as approvals go: the real DeviceClient with
// its key in the real keychain (the test environment's unlocked
// gnome-keyring), paired with a TestServer for one user and online; the key
// leaves the keychain again when the device goes. It keeps every approval
// request and every approval_closed that arrives, so that a test can wait for
// the request with its binding message and approve or deny it, signed like the
// app does, or say beforehand how the person answers a binding message. It
// reconnects quickly (200 ms, at most 1 s), so that a test may restart the server.
//
//   PairedDevice device;
//   QVERIFY2(device.pair(server, "alex@example.com"), qPrintable(device.errorString()));
//   std::optional<device::ApprovalRequest> r = device.waitForRequest("Refund $120.00");
//   QVERIFY(r && device.decide(r->authReqId, true));
//
// pairClient() and decideWhenPending() are the same steps for a test that holds
// a DeviceClient of its own.

#include "core/common/Result.h"
#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceAccount.h"

#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace handoff::device {
class DeviceClient;
}
namespace handoff::keystore {
class Keystore;
}

namespace handoff::test {

class TestServer;

// How PairedDevice::pair() sets the device up.
struct PairingOptions final {
    QString deviceName = QStringLiteral("Test workstation");
    bool addUser = true; // `users add EMAIL` first; false for a user the test added itself
};

class PairedDevice final {
public:
    PairedDevice();
    ~PairedDevice(); // stops the client and removes its key from the keychain
    Q_DISABLE_COPY_MOVE(PairedDevice)

    // `users add EMAIL`, `devices pair EMAIL`, pairing over HTTP and the device
    // channel up; blocks until online. False on failure (see errorString()).
    bool pair(const TestServer& server, const QString& email);
    bool pair(const TestServer& server, const QString& email, const PairingOptions& options);
    QString errorString() const { return m_error; }
    bool waitOnline(int timeoutMs = 30'000);

    // The first request that arrived with exactly this binding message, waiting
    // for it up to `timeoutMs`.
    std::optional<device::ApprovalRequest> waitForRequest(const QString& bindingMessage, int timeoutMs = 30'000);
    // Waits until the client holds the request, signs and sends the decision;
    // true when the server accepted it.
    bool decide(const QString& authReqId, bool approve, int timeoutMs = 30'000);

    // The person approves (or denies) each request that shows this binding
    // message as soon as it arrives.
    void answer(const QString& bindingMessage, bool approve);
    // Whether a request with this id arrived.
    bool saw(const QString& authReqId) const;
    // Until the answer given with answer() was sent for this request.
    bool waitDecided(const QString& authReqId, int timeoutMs = 30'000) const;
    // The outcome of the approval_closed for this request, or empty.
    QString closedOutcome(const QString& authReqId) const;
    bool waitClosed(const QString& authReqId, int timeoutMs = 30'000) const;

    device::DeviceClient& client() { return *m_client; }
    const device::DeviceAccount& account() const { return m_account; }
    const QList<device::ApprovalRequest>& requests() const { return m_requests; }

private:
    void onRequest(const device::ApprovalRequest& request);

    std::unique_ptr<keystore::Keystore> m_keystore;
    std::unique_ptr<device::DeviceClient> m_client;
    device::DeviceAccount m_account;
    QList<device::ApprovalRequest> m_requests;
    QHash<QString, bool> m_answers;                // binding message -> approve
    QHash<QString, bool> m_sentAnswers;            // auth_req_id -> sent
    QList<std::pair<QString, QString>> m_closed;   // auth_req_id, outcome
    QString m_error;
};

// `devices pair EMAIL` for a user the server knows, then `client` pairs with the
// link (its key into the keychain); the account, or why not.
Result<device::DeviceAccount> pairClient(const TestServer& server, device::DeviceClient& client, const QString& email,
                                         const QString& deviceName);

// Waits until `client` holds the request, decides it and waits for the
// server's verdict on it; true when the server accepted the decision.
bool decideWhenPending(device::DeviceClient& client, const QString& authReqId, bool approve, int timeoutMs = 30'000);

} // namespace handoff::test
