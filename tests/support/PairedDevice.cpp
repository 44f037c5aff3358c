#include "tests/support/PairedDevice.h"

#include "core/device/DeviceClient.h"
#include "core/keystore/Keystore.h"
#include "tests/support/CibaCli.h"
#include "tests/support/TestServer.h"

#include <QTest>

namespace handoff::test {

PairedDevice::PairedDevice()
    : m_keystore(std::make_unique<keystore::Keystore>(device::DeviceClient::keychainService()))
    , m_client(std::make_unique<device::DeviceClient>(*m_keystore))
{
    QObject::connect(m_client.get(), &device::DeviceClient::approvalRequested, m_client.get(),
                     [this](const device::ApprovalRequest& request) { m_requests.append(request); });
}

PairedDevice::~PairedDevice()
{
    m_client.reset();
    if (!m_account.keyName.isEmpty()) {
        bool removed = false;
        m_keystore->remove(m_account.keyName, [&removed](const Result<void>&) { removed = true; });
        (void)QTest::qWaitFor([&removed] { return removed; }, 10'000);
    }
}

bool PairedDevice::pair(const TestServer& server, const QString& email)
{
    const CliResult added = runCli(server, {QStringLiteral("users"), QStringLiteral("add"), email});
    if (added.exitCode != 0) {
        m_error = QStringLiteral("users add failed: ") + added.err;
        return false;
    }
    const CliResult paired = runCli(server, {QStringLiteral("devices"), QStringLiteral("pair"), email});
    Result<device::PairingLink> link = device::PairingLink::parse(pairingLinkFrom(paired.out));
    if (!link) {
        m_error = QStringLiteral("no pairing link: ") + paired.out + paired.err;
        return false;
    }
    std::optional<device::DeviceAccount> account;
    QObject::connect(m_client.get(), &device::DeviceClient::paired, m_client.get(),
                     [&account](const device::DeviceAccount& a) { account = a; });
    QObject::connect(m_client.get(), &device::DeviceClient::pairingFailed, m_client.get(),
                     [this](const Error& e) { m_error = QStringLiteral("pairing failed: ") + e.message; });
    m_client->pair(*link, QStringLiteral("Test workstation"));
    if (!QTest::qWaitFor([&] { return account.has_value() || !m_error.isEmpty(); }, 30'000) || !account) {
        m_error = m_error.isEmpty() ? QStringLiteral("pairing timed out") : m_error;
        return false;
    }
    m_account = *account;
    m_client->start(m_account);
    if (!QTest::qWaitFor([this] { return m_client->state() == device::DeviceClient::State::Online; }, 30'000)) {
        m_error = QStringLiteral("the device did not come online");
        return false;
    }
    return true;
}

std::optional<device::ApprovalRequest> PairedDevice::waitForRequest(const QString& bindingMessage, int timeoutMs)
{
    std::optional<device::ApprovalRequest> found;
    (void)QTest::qWaitFor(
        [&] {
            for (const device::ApprovalRequest& request : std::as_const(m_requests)) {
                if (request.bindingMessage == bindingMessage) {
                    found = request;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

bool PairedDevice::decide(const QString& authReqId, bool approve, int timeoutMs)
{
    std::optional<bool> accepted;
    const QMetaObject::Connection connection = QObject::connect(
        m_client.get(), &device::DeviceClient::decisionResult, m_client.get(),
        [&accepted, authReqId](const QString& id, bool ok, const QString&) {
            if (id == authReqId) {
                accepted = ok;
            }
        });
    const bool sent = m_client->decide(authReqId, approve).ok();
    const bool answered = sent && QTest::qWaitFor([&accepted] { return accepted.has_value(); }, timeoutMs);
    QObject::disconnect(connection);
    return answered && *accepted;
}

} // namespace handoff::test
