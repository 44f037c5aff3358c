#include "app/AppController.h"

#include "app/AppSettings.h"
#include "app/Application.h"
#include "app/ApprovalController.h"
#include "app/DeviceAccounts.h"
#include "app/DeviceChannels.h"
#include "app/HistoryController.h"
#include "app/LinkRouter.h"
#include "app/OpenLinkDialog.h"
#include "app/PairDeviceDialog.h"
#include "app/SessionManager.h"
#include "app/SessionRequestInbox.h"
#include "app/SettingsDialog.h"
#include "app/SingleInstance.h"
#include "app/TrayController.h"
#include "app/TrustedServers.h"
#include "core/device/DeviceClient.h"
#include "core/keystore/Keystore.h"
#include "ui/Resources.h"

#include <QLoggingCategory>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

Q_DECLARE_LOGGING_CATEGORY(lcLinks)

namespace handoff::app {

AppController::AppController(Application* app, SingleInstance* instance, QSettings* settings, QObject* parent)
    : QObject(parent), m_app(app)
{
    m_settings = new AppSettings(settings, this);
    m_trusted = new TrustedServers(settings, this);
    m_sessions = new SessionManager(this);
    m_router = new LinkRouter(m_trusted, m_sessions, this);
    m_tray = new TrayController(m_sessions, this);
    m_keystore = new keystore::Keystore(device::DeviceClient::keychainService(), this);
    m_accounts = new DeviceAccounts(settings, this);
    m_channels = new DeviceChannels(m_accounts, m_keystore, this);
    m_approvals = new ApprovalController(m_channels, m_tray, this);
    m_requests = new SessionRequestInbox(m_channels, m_router, m_tray, this);
    m_history = new HistoryController(m_channels, this);
    m_tray->setSources(m_channels, m_approvals, m_requests);

    connect(instance, &SingleInstance::messageReceived, this, &AppController::onInstanceMessage);
    connect(app, &Application::linkOpened, this,
            [this](const QUrl& url) { (void)m_router->open(url, LinkRouter::Source::FileOpen); });
    connect(m_router, &LinkRouter::linkAccepted, this, &AppController::onLinkAccepted);
    connect(m_router, &LinkRouter::linkFailed, this, &AppController::onLinkFailed);
    connect(m_router, &LinkRouter::pairingLinkOpened, this, &AppController::showPairing);
    connect(m_requests, &SessionRequestInbox::failed, this, &AppController::onLinkFailed);
    connect(m_tray, &TrayController::historyRequested, m_history, &HistoryController::show);
    connect(m_tray, &TrayController::openLinkRequested, this, &AppController::showOpenLinkDialog);
    connect(m_tray, &TrayController::settingsRequested, this, &AppController::showSettings);
    connect(m_tray, &TrayController::quitRequested, app, &QCoreApplication::quit);
    connect(m_settings, &AppSettings::changed, this, &AppController::applyQuitPolicy);
    applyQuitPolicy();
}

AppController::~AppController()
{
    delete m_openDialog.data();
    delete m_settingsDialog.data();
    for (const QPointer<PairDeviceDialog>& dialog : std::as_const(m_pairDialogs))
        delete dialog.data();
    // Everything that holds a DeviceClient goes before the clients, and they before the keychain.
    delete m_history;
    delete m_requests;
    delete m_approvals;
    delete m_channels;
}

SettingsDialog* AppController::settingsDialog() const
{
    return m_settingsDialog;
}

PairDeviceDialog* AppController::pairDialog() const
{
    for (auto it = m_pairDialogs.crbegin(); it != m_pairDialogs.crend(); ++it) {
        if (*it)
            return *it;
    }
    return nullptr;
}

void AppController::start(const QStringList& links)
{
    m_channels->startAll();
    for (const QUrl& url : m_app->takeEarlyLinks())
        (void)m_router->open(url, LinkRouter::Source::FileOpen);
    for (const QString& link : links)
        (void)m_router->open(link, LinkRouter::Source::CommandLine);
    if (links.isEmpty() && !m_tray->isAvailable() && m_sessions->windows().isEmpty())
        showOpenLinkDialog();
    if (qEnvironmentVariableIsSet("HANDOFF_STARTUP_PROBE")) {
        // For bench/app/app-startup-bench: the first turn of the event loop, windows shown.
        QTimer::singleShot(0, this, [] { std::fputs("handoff: window shown\n", stderr); });
    }
}

void AppController::onInstanceMessage(const InstanceMessage& message)
{
    switch (message.type) {
    case InstanceMessage::Type::OpenLink:
        (void)m_router->open(message.link, LinkRouter::Source::OtherInstance);
        break;
    case InstanceMessage::Type::Activate:
        // Started again with nothing to open: bring forward what is already going on.
        if (m_sessions->raiseNewest())
            break;
        if (const auto waiting = m_approvals->waiting(); !waiting.isEmpty()) {
            m_approvals->show(waiting.first().keyName, waiting.first().request.authReqId);
            break;
        }
        showOpenLinkDialog();
        break;
    case InstanceMessage::Type::Accepted:
        break;
    }
}

void AppController::onLinkAccepted(LinkRouter::Source source)
{
    // Someone clicked a link while Handoff sat in the tray: make sure they notice. (A
    // session request was opened from Handoff's own notification or menu: no need.)
    if (source != LinkRouter::Source::PairedServer && !m_sessions->anyWindowVisible())
        m_tray->notify(tr("Handoff"), tr("An agent needs your help with a sign-in step. Opening it now."));
}

void AppController::onLinkFailed(const QString& message)
{
    if (m_openDialog && m_openDialog->isVisible())
        return; // the dialog shows the reason under its field
    if (!m_sessions->anyWindowVisible() && m_tray->isAvailable()) {
        m_tray->notify(tr("Handoff could not open the link"), message);
        return;
    }
    QMessageBox::warning(nullptr, tr("Handoff could not open the link"), message);
}

void AppController::showOpenLinkDialog()
{
    if (!m_openDialog) {
        m_openDialog = new OpenLinkDialog(m_router);
        m_openDialog->setAttribute(Qt::WA_DeleteOnClose);
        m_openDialog->setWindowIcon(ui::Resources::appIcon());
    }
    SessionManager::raise(m_openDialog);
}

void AppController::showPairing(const device::PairingLink& link)
{
    m_pairDialogs.removeIf([](const QPointer<PairDeviceDialog>& dialog) { return dialog.isNull(); });
    for (const QPointer<PairDeviceDialog>& open : std::as_const(m_pairDialogs)) {
        if (open->isFor(link)) {
            SessionManager::raise(open);
            return;
        }
    }
    auto* dialog = new PairDeviceDialog(link, m_channels);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowIcon(ui::Resources::appIcon());
    m_pairDialogs.append(dialog);
    SessionManager::raise(dialog);
}

void AppController::showSettings()
{
    if (!m_settingsDialog) {
        m_settingsDialog = new SettingsDialog(m_settings, m_trusted, m_channels);
        m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
        m_settingsDialog->setWindowIcon(ui::Resources::appIcon());
    }
    SessionManager::raise(m_settingsDialog);
}

void AppController::applyQuitPolicy()
{
    // In the tray, closing windows keeps Handoff ready for the next link.
    QApplication::setQuitOnLastWindowClosed(!(m_settings->closeToTray() && m_tray->isAvailable()));
}

} // namespace handoff::app
