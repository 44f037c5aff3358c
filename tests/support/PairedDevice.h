#pragma once

// The person's desktop app, as far as approvals go: the real DeviceClient with
// its key in the real keychain (the test environment's unlocked
// gnome-keyring), paired with a TestServer for one user and online. It keeps
// every approval request that arrives so that a test can wait for the one with
// its binding message and approve or deny it, signed like the app does.
//
//   PairedDevice device;
//   QVERIFY2(device.pair(server, "alex@example.com"), qPrintable(device.errorString()));
//   std::optional<device::ApprovalRequest> r = device.waitForRequest("Refund $120.00");
//   QVERIFY(r && device.decide(r->authReqId, true));

#include "core/device/ApprovalRequest.h"
#include "core/device/DeviceAccount.h"

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

class PairedDevice final {
public:
    PairedDevice();
    ~PairedDevice(); // stops the client and removes its key from the keychain
    Q_DISABLE_COPY_MOVE(PairedDevice)

    // `users add EMAIL`, `devices pair EMAIL`, pairing over HTTP and the device
    // channel up; blocks until online. False on failure (see errorString()).
    bool pair(const TestServer& server, const QString& email);
    QString errorString() const { return m_error; }

    // The first request that arrived with exactly this binding message, waiting
    // for it up to `timeoutMs`.
    std::optional<device::ApprovalRequest> waitForRequest(const QString& bindingMessage, int timeoutMs = 30'000);
    // Signs and sends the decision; true when the server accepted it.
    bool decide(const QString& authReqId, bool approve, int timeoutMs = 30'000);

    device::DeviceClient& client() { return *m_client; }
    const QList<device::ApprovalRequest>& requests() const { return m_requests; }

private:
    std::unique_ptr<keystore::Keystore> m_keystore;
    std::unique_ptr<device::DeviceClient> m_client;
    device::DeviceAccount m_account;
    QList<device::ApprovalRequest> m_requests;
    QString m_error;
};

} // namespace handoff::test
