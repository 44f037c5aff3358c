#include "app/AppController.h"

#include "app/AppSettings.h"
#include "app/Application.h"
#include "app/LinkRouter.h"
#include "app/OpenLinkDialog.h"
#include "app/SessionManager.h"
#include "app/SettingsDialog.h"
#include "app/SingleInstance.h"
#include "app/TrayController.h"
#include "app/TrustedServers.h"
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

    connect(instance, &SingleInstance::messageReceived, this, &AppController::onInstanceMessage);
    connect(app, &Application::linkOpened, this,
            [this](const QUrl& url) { (void)m_router->open(url, LinkRouter::Source::FileOpen); });
    connect(m_router, &LinkRouter::linkAccepted, this, &AppController::onLinkAccepted);
    connect(m_router, &LinkRouter::linkFailed, this, &AppController::onLinkFailed);
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
}

void AppController::start(const QStringList& links)
{
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
        if (!m_sessions->raiseNewest())
            showOpenLinkDialog();
        break;
    case InstanceMessage::Type::Accepted:
        break;
    }
}

void AppController::onLinkAccepted()
{
    // Someone clicked a link while Handoff sat in the tray: make sure they notice.
    if (!m_sessions->anyWindowVisible())
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

void AppController::showSettings()
{
    if (!m_settingsDialog) {
        m_settingsDialog = new SettingsDialog(m_settings, m_trusted);
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
