#include "tests/support/PairedDevice.h"

#include "core/device/DeviceClient.h"
#include "core/device/PairingLink.h"
#include "core/keystore/Keystore.h"
#include "tests/support/CibaCli.h"
#include "tests/support/TestServer.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <chrono>

namespace handoff::test {

Result<device::DeviceAccount> pairClient(const TestServer& server, device::DeviceClient& client, const QString& email,
                                         const QString& deviceName)
{
    const CliResult pairing = runCli(server, {QStringLiteral("devices"), QStringLiteral("pair"), email});
    Result<device::PairingLink> link = device::PairingLink::parse(pairingLinkFrom(pairing.out));
    if (!link) {
        return Error{QStringLiteral("no_pairing_link"),
                     QStringLiteral("no pairing link: ") + pairing.out + pairing.err};
    }
    QSignalSpy paired(&client, &device::DeviceClient::paired);
    QSignalSpy failed(&client, &device::DeviceClient::pairingFailed);
    client.pair(*link, deviceName);
    if (!QTest::qWaitFor([&] { return !paired.isEmpty() || !failed.isEmpty(); }, 30'000)) {
        return Error{QStringLiteral("timeout"), QStringLiteral("pairing timed out")};
    }
    if (paired.isEmpty()) {
        return Error{QStringLiteral("pairing_failed"),
                     QStringLiteral("pairing failed: ") + failed.first().first().value<Error>().message};
    }
    return paired.first().first().value<device::DeviceAccount>();
}

bool decideWhenPending(device::DeviceClient& client, const QString& authReqId, bool approve, int timeoutMs)
{
    if (!QTest::qWaitFor([&] { return client.pendingRequest(authReqId).has_value(); }, timeoutMs)) {
        return false;
    }
    std::optional<bool> accepted;
    const QMetaObject::Connection connection =
        QObject::connect(&client, &device::DeviceClient::decisionResult, &client,
                         [&accepted, authReqId](const QString& id, bool ok, const QString&) {
                             if (id == authReqId) {
                                 accepted = ok;
                             }
                         });
    const bool sent = client.decide(authReqId, approve).ok();
    const bool answered = sent && QTest::qWaitFor([&accepted] { return accepted.has_value(); }, timeoutMs);
    QObject::disconnect(connection);
    return answered && *accepted;
}

PairedDevice::PairedDevice()
    : m_keystore(std::make_unique<keystore::Keystore>(device::DeviceClient::keychainService()))
    , m_client(std::make_unique<device::DeviceClient>(*m_keystore))
{
    m_client->setReconnectDelays(std::chrono::milliseconds(200), std::chrono::milliseconds(1000));
    QObject::connect(m_client.get(), &device::DeviceClient::approvalRequested, m_client.get(),
                     [this](const device::ApprovalRequest& request) { onRequest(request); });
    QObject::connect(m_client.get(), &device::DeviceClient::approvalClosed, m_client.get(),
                     [this](const QString& authReqId, const QString& outcome, const QString&, const QString&) {
                         m_closed.append({authReqId, outcome});
                     });
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
    return pair(server, email, PairingOptions{});
}

bool PairedDevice::pair(const TestServer& server, const QString& email, const PairingOptions& options)
{
    m_error.clear();
    if (options.addUser) {
        const CliResult added = runCli(server, {QStringLiteral("users"), QStringLiteral("add"), email});
        if (added.exitCode != 0) {
            m_error = QStringLiteral("users add failed: ") + added.err;
            return false;
        }
    }
    Result<device::DeviceAccount> account = pairClient(server, *m_client, email, options.deviceName);
    if (!account) {
        m_error = account.error().message;
        return false;
    }
    m_account = *account;
    m_client->start(m_account);
    if (!waitOnline()) {
        m_error = QStringLiteral("the device did not come online");
        return false;
    }
    return true;
}

bool PairedDevice::waitOnline(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_client->state() == device::DeviceClient::State::Online; }, timeoutMs);
}

void PairedDevice::onRequest(const device::ApprovalRequest& request)
{
    m_requests.append(request);
    const auto answer = m_answers.constFind(request.bindingMessage);
    if (answer != m_answers.constEnd()) {
        m_sentAnswers.insert(request.authReqId, m_client->decide(request.authReqId, *answer).ok());
    }
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
    return decideWhenPending(*m_client, authReqId, approve, timeoutMs);
}

void PairedDevice::answer(const QString& bindingMessage, bool approve)
{
    m_answers.insert(bindingMessage, approve);
}

bool PairedDevice::saw(const QString& authReqId) const
{
    return std::any_of(m_requests.cbegin(), m_requests.cend(),
                       [&authReqId](const device::ApprovalRequest& request) { return request.authReqId == authReqId; });
}

bool PairedDevice::waitDecided(const QString& authReqId, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return m_sentAnswers.value(authReqId, false); }, timeoutMs);
}

QString PairedDevice::closedOutcome(const QString& authReqId) const
{
    for (const auto& [id, outcome] : m_closed) {
        if (id == authReqId) {
            return outcome;
        }
    }
    return {};
}

bool PairedDevice::waitClosed(const QString& authReqId, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return !closedOutcome(authReqId).isEmpty(); }, timeoutMs);
}

} // namespace handoff::test
