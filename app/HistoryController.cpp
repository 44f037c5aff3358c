#include "app/HistoryController.h"

#include "app/DeviceAccounts.h"
#include "app/DeviceChannels.h"
#include "app/SessionManager.h"
#include "core/device/DeviceClient.h"
#include "ui/HistoryWindow.h"
#include "ui/Resources.h"

namespace handoff::app {

namespace {

constexpr int answerTimeoutMs = 10'000;

} // namespace

HistoryController::HistoryController(DeviceChannels* channels, QObject* parent)
    : QObject(parent), m_channels(channels)
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(answerTimeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_silent.unite(m_asked);
        m_asked.clear();
        update();
    });
    const QList<device::DeviceClient*> existing = channels->clients();
    for (device::DeviceClient* client : existing) {
        attach(client);
    }
    connect(channels, &DeviceChannels::clientAdded, this, &HistoryController::attach);
    connect(channels, &DeviceChannels::clientRemoved, this, [this](const QString& keyName) {
        m_entries.remove(keyName);
        m_asked.remove(keyName);
        m_silent.remove(keyName);
        update();
    });
    connect(channels, &DeviceChannels::statusChanged, this, &HistoryController::update);
}

HistoryController::~HistoryController()
{
    delete m_window.data();
}

ui::HistoryWindow* HistoryController::window() const
{
    return m_window;
}

void HistoryController::attach(device::DeviceClient* client)
{
    // The client is the sender of both: Qt disconnects them when it goes.
    connect(client, &device::DeviceClient::historyReceived, this,
            [this, client](const QList<device::ApprovalHistoryEntry>& entries) { onHistory(client, entries); });
    connect(client, &device::DeviceClient::stateChanged, this, [this, client](device::DeviceClient::State state) {
        // An account that comes online while the window is open fills in its part.
        if (state == device::DeviceClient::State::Online && m_window && m_window->isVisible()
            && !m_entries.contains(client->account().keyName)) {
            ask(client);
            update();
        }
    });
}

void HistoryController::show()
{
    if (!m_window) {
        m_window = new ui::HistoryWindow;
        m_window->setObjectName(QStringLiteral("historyWindow"));
        m_window->setAttribute(Qt::WA_DeleteOnClose);
        m_window->setWindowIcon(ui::Resources::appIcon());
        connect(m_window, &ui::HistoryWindow::refreshRequested, this, &HistoryController::refresh);
    }
    SessionManager::raise(m_window);
    refresh();
}

void HistoryController::refresh()
{
    m_entries.clear();
    m_asked.clear();
    m_silent.clear();
    const QList<device::DeviceClient*> clients = m_channels->clients();
    for (device::DeviceClient* client : clients) {
        if (client->state() == device::DeviceClient::State::Online) {
            ask(client);
        }
    }
    update();
}

void HistoryController::ask(device::DeviceClient* client)
{
    const QString keyName = client->account().keyName;
    m_asked.insert(keyName);
    m_silent.remove(keyName);
    client->requestHistory();
    m_timeout.start();
}

void HistoryController::onHistory(device::DeviceClient* client, const QList<device::ApprovalHistoryEntry>& entries)
{
    const QString keyName = client->account().keyName;
    m_entries.insert(keyName, entries);
    m_asked.remove(keyName);
    m_silent.remove(keyName);
    if (m_asked.isEmpty()) {
        m_timeout.stop();
    }
    update();
}

void HistoryController::update()
{
    if (!m_window) {
        return;
    }
    QList<device::ApprovalHistoryEntry> all;
    QStringList lines;
    const QList<device::DeviceAccount> accounts = m_channels->accounts()->accounts();
    if (accounts.isEmpty()) {
        lines.append(tr("This computer is not paired with a server yet, so it has no approval history. Open the "
                        "pairing link the server's operator gives you to pair it."));
    }
    for (const device::DeviceAccount& account : accounts) {
        const QString keyName = account.keyName;
        if (m_entries.contains(keyName)) {
            all.append(m_entries.value(keyName));
        } else if (m_asked.contains(keyName)) {
            lines.append(tr("Loading the history of %1…").arg(DeviceAccounts::label(account)));
        } else if (m_silent.contains(keyName)) {
            lines.append(tr("%1 did not send its history; the server may not offer it yet.").arg(DeviceAccounts::label(account)));
        } else {
            const device::DeviceClient* client = m_channels->client(keyName);
            const bool online = client && client->state() == device::DeviceClient::State::Online;
            lines.append(online ? tr("Press Refresh to load the history of %1.").arg(DeviceAccounts::label(account))
                                : tr("%1 is offline (%2): its requests are not shown.")
                                      .arg(DeviceAccounts::label(account), m_channels->statusText(keyName)));
        }
    }
    m_window->setEntries(all);
    m_window->setStatus(lines.join(QLatin1Char('\n')));
}

} // namespace handoff::app
