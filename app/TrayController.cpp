#include "app/TrayController.h"

#include "app/ApprovalController.h"
#include "app/DeviceAccounts.h"
#include "app/DeviceChannels.h"
#include "app/SessionManager.h"
#include "app/SessionRequestInbox.h"
#include "ui/Resources.h"
#include "ui/SessionWindow.h"

#include <QLoggingCategory>
#include <QMenu>
#include <QSystemTrayIcon>

#include <optional>
#include <utility>

namespace handoff::app {

namespace {

Q_LOGGING_CATEGORY(lcTray, "handoff.tray", QtInfoMsg)

constexpr qsizetype menuTextLimit = 80;

// Remote text in a menu item: short, on one line, and no '&' read as a shortcut.
QString menuText(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (text.size() > menuTextLimit) {
        text = text.left(menuTextLimit - 1) + QStringLiteral("…");
    }
    return text.replace(QLatin1Char('&'), QStringLiteral("&&"));
}

} // namespace

TrayController::TrayController(SessionManager* sessions, QObject* parent)
    : QObject(parent), m_sessions(sessions), m_menu(std::make_unique<QMenu>())
{
    m_icon = new QSystemTrayIcon(ui::Resources::appIcon(), this);
    m_icon->setContextMenu(m_menu.get());
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger && !m_sessions->raiseNewest())
            Q_EMIT openLinkRequested();
    });
    connect(m_icon, &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_clickAction)
            m_clickAction();
    });
    connect(m_sessions, &SessionManager::sessionsChanged, this, &TrayController::scheduleRebuild);
    // Pending requests expire and states change between rebuilds: fresh each time it opens.
    connect(m_menu.get(), &QMenu::aboutToShow, this, &TrayController::rebuildMenu);
    rebuildMenu();
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_icon->show();
}

TrayController::~TrayController() = default;

void TrayController::setSources(DeviceChannels* channels, ApprovalController* approvals,
                                SessionRequestInbox* requests)
{
    m_channels = channels;
    m_approvals = approvals;
    m_requests = requests;
    connect(channels, &DeviceChannels::statusChanged, this, &TrayController::scheduleRebuild);
    connect(channels->accounts(), &DeviceAccounts::changed, this, &TrayController::scheduleRebuild);
    connect(approvals, &ApprovalController::waitingChanged, this, &TrayController::scheduleRebuild);
    connect(requests, &SessionRequestInbox::pendingChanged, this, &TrayController::scheduleRebuild);
    rebuildMenu();
}

bool TrayController::isAvailable() const
{
    return QSystemTrayIcon::isSystemTrayAvailable() && m_icon->isVisible();
}

void TrayController::notify(const QString& title, const QString& message, std::function<void()> onClicked)
{
    m_clickAction = std::move(onClicked);
    Q_EMIT notified(title, message);
    if (isAvailable())
        m_icon->showMessage(title, message, ui::Resources::appIcon(), 10'000);
    else
        qCInfo(lcTray) << "no system tray to show a notification in";
}

QString TrayController::toolTip() const
{
    return m_icon->toolTip();
}

void TrayController::scheduleRebuild()
{
    // Later, not now: the change may come from inside one of the menu's own actions,
    // which clear() would delete while it still runs.
    if (m_rebuildScheduled)
        return;
    m_rebuildScheduled = true;
    QMetaObject::invokeMethod(this, &TrayController::rebuildMenu, Qt::QueuedConnection);
}

// What one rebuild shows, read once: the pairings come from the settings (a JSON
// parse) and every status from its channel.
struct TrayController::MenuState final {
    struct Account final {
        QString line;   // DeviceAccounts::label
        QString status; // DeviceChannels::statusText
    };
    QList<ApprovalController::Waiting> approvals;
    QList<SessionRequestInbox::Request> requests;
    std::optional<QList<Account>> accounts; // none without device channels
};

void TrayController::rebuildMenu()
{
    m_rebuildScheduled = false;
    MenuState state;
    if (m_approvals)
        state.approvals = m_approvals->waiting();
    if (m_requests)
        state.requests = m_requests->pending();
    if (m_channels) {
        const QList<device::DeviceAccount> accounts = m_channels->accounts()->accounts();
        QList<MenuState::Account> lines;
        lines.reserve(accounts.size());
        for (const device::DeviceAccount& account : accounts)
            lines.append({DeviceAccounts::label(account), m_channels->statusText(account.keyName)});
        state.accounts = std::move(lines);
    }

    m_menu->clear();
    QAction* open = m_menu->addAction(tr("Open link…"));
    open->setObjectName(QStringLiteral("trayOpenLink"));
    connect(open, &QAction::triggered, this, &TrayController::openLinkRequested);

    addWaiting(state);

    m_menu->addSection(tr("Active sessions"));
    const auto windows = m_sessions->windows();
    if (windows.isEmpty()) {
        m_menu->addAction(tr("No active sessions"))->setEnabled(false);
    }
    for (ui::SessionWindow* window : windows) {
        QAction* item = m_menu->addAction(menuText(window->title()));
        connect(item, &QAction::triggered, window, [window] { SessionManager::raise(window); });
    }

    addAccounts(state);

    m_menu->addSeparator();
    QAction* history = m_menu->addAction(tr("Approval history…"));
    history->setObjectName(QStringLiteral("trayHistory"));
    connect(history, &QAction::triggered, this, &TrayController::historyRequested);
    QAction* settings = m_menu->addAction(tr("Settings…"));
    connect(settings, &QAction::triggered, this, &TrayController::settingsRequested);
    QAction* quit = m_menu->addAction(tr("Quit Handoff"));
    connect(quit, &QAction::triggered, this, &TrayController::quitRequested);
    updateToolTip(state);
}

void TrayController::addWaiting(const MenuState& state)
{
    if (state.approvals.isEmpty() && state.requests.isEmpty())
        return;
    m_menu->addSection(tr("Waiting for you"));
    for (const ApprovalController::Waiting& waiting : state.approvals) {
        const QString message = waiting.request.bindingMessage.isEmpty() ? tr("(no message)")
                                                                          : waiting.request.bindingMessage;
        QAction* item = m_menu->addAction(menuText(tr("Approve? %1: %2").arg(waiting.request.clientName, message)));
        item->setObjectName(QStringLiteral("trayApproval"));
        connect(item, &QAction::triggered, this, [this, keyName = waiting.keyName, id = waiting.request.authReqId] {
            if (m_approvals)
                m_approvals->show(keyName, id);
        });
    }
    for (const SessionRequestInbox::Request& request : state.requests) {
        QAction* item = m_menu->addAction(menuText(tr("%1 needs your help").arg(request.notice.service)));
        item->setObjectName(QStringLiteral("traySessionRequest"));
        connect(item, &QAction::triggered, this, [this, keyName = request.keyName, id = request.notice.sessionId] {
            if (m_requests)
                (void)m_requests->open(keyName, id);
        });
    }
}

void TrayController::addAccounts(const MenuState& state)
{
    if (!state.accounts)
        return;
    m_menu->addSection(tr("Paired accounts"));
    if (state.accounts->isEmpty()) {
        m_menu->addAction(tr("Not paired with a server"))->setEnabled(false);
    }
    for (const MenuState::Account& account : *state.accounts) {
        QAction* item = m_menu->addAction(menuText(tr("%1: %2").arg(account.line, account.status)));
        item->setObjectName(QStringLiteral("trayAccount"));
        item->setToolTip(account.status);
        connect(item, &QAction::triggered, this, &TrayController::settingsRequested);
    }
}

void TrayController::updateToolTip(const MenuState& state)
{
    QStringList lines{tr("Handoff")};
    if (state.accounts) {
        for (const MenuState::Account& account : *state.accounts) {
            lines.append(tr("%1: %2").arg(account.line, account.status));
        }
    }
    const qsizetype waiting = state.approvals.size() + state.requests.size();
    if (waiting > 0) {
        lines.append(tr("%n request(s) waiting for you", nullptr, int(waiting)));
    }
    m_icon->setToolTip(lines.join(QLatin1Char('\n')));
}

} // namespace handoff::app
