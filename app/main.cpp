// handoff: the desktop app. This file only wires: it reads the command line,
// makes sure one instance runs per user, and hands everything else to AppController.

#include "app/AppController.h"
#include "app/Application.h"
#include "app/InstanceMessage.h"
#include "app/SchemeHandlerOffer.h"
#include "app/SingleInstance.h"
#include "app/platform/ForegroundPermission.h"
#include "app/platform/SchemeHandlerRegistration.h"
#include "core/crypto/SelfTest.h"
#include "ui/Resources.h"

#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>

#if defined(Q_OS_MACOS)
#include "app/platform/MacUrlHandler.h"
#endif

#include <cstdio>
#include <memory>

using namespace handoff;

int main(int argc, char** argv)
{
    app::Application application(argc, argv);
#if defined(Q_OS_MACOS)
    // Before exec(): a link that launches the app arrives as kAEGetURL right away.
    app::MacUrlHandler macUrlHandler;
#endif
    QApplication::setApplicationName(QStringLiteral("Handoff"));
    QApplication::setOrganizationName(QStringLiteral("Handoff"));
    QApplication::setApplicationVersion(QStringLiteral(HANDOFF_VERSION));
    // The desktop entry's name (cmake/Packaging.cmake, HANDOFF_APP_ID): lets Wayland and
    // the desktop match windows and notifications to the installed app.
    QGuiApplication::setDesktopFileName(QStringLiteral("invalid.handoff.Handoff"));
    QApplication::setWindowIcon(ui::Resources::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Help an AI agent past a sign-in step, end-to-end encrypted."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption instanceDir(QStringLiteral("instance-dir"),
                                         QStringLiteral("Folder for the single-instance lock and socket "
                                                        "(default: the per-user runtime folder; env HANDOFF_INSTANCE_DIR)."),
                                         QStringLiteral("dir"), qEnvironmentVariable("HANDOFF_INSTANCE_DIR"));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("Settings file to use instead of the per-user one (env HANDOFF_CONFIG)."),
                                    QStringLiteral("file"), qEnvironmentVariable("HANDOFF_CONFIG"));
    parser.addOption(instanceDir);
    parser.addOption(config);
    parser.addPositionalArgument(QStringLiteral("link"),
                                 QStringLiteral("Session links to open (https://.../s/... or handoff://...), "
                                                "or a pairing link (handoff://pair?... or https://.../pair#t=...)."),
                                 QStringLiteral("[link...]"));
    parser.process(application);
    const QStringList links = parser.positionalArguments();

    if (auto selfTest = crypto::SelfTest::run(); !selfTest) {
        std::fprintf(stderr, "handoff: the cryptography self-test failed: %s\n",
                     qPrintable(selfTest.error().message));
        return 1;
    }

    app::SingleInstance instance(parser.value(instanceDir));
    auto role = instance.claim();
    if (!role) {
        std::fprintf(stderr, "handoff: %s\n", qPrintable(role.error().message));
        return 1;
    }
    if (*role == app::SingleInstance::Role::Secondary) {
        // Hand everything to the running Handoff, which raises its window.
        app::platform::allowOtherInstanceToTakeForeground();
        QList<app::InstanceMessage> messages;
        for (const QString& link : links)
            messages.append({app::InstanceMessage::Type::OpenLink, link});
        if (messages.isEmpty())
            messages.append({app::InstanceMessage::Type::Activate, {}});
        for (const auto& message : messages) {
            if (auto sent = instance.sendToPrimary(message); !sent) {
                std::fprintf(stderr, "handoff: %s\n", qPrintable(sent.error().message));
                return 1;
            }
        }
        return 0;
    }

    std::unique_ptr<QSettings> settings = parser.value(config).isEmpty()
        ? std::make_unique<QSettings>()
        : std::make_unique<QSettings>(parser.value(config), QSettings::IniFormat);
    app::AppController controller(&application, &instance, settings.get());
    controller.start(links);
    // The first start with nothing handling handoff:// links asks, once, whether we should.
    app::SchemeHandlerOffer schemeOffer(
        app::SchemeHandlerRegistration(QGuiApplication::desktopFileName() + QStringLiteral(".desktop"),
                                       QCoreApplication::applicationFilePath()),
        settings.get());
    // After the first window is up: asking xdg-mime takes a moment.
    QTimer::singleShot(0, &schemeOffer, [&schemeOffer] { schemeOffer.offerIfDue(); });
    return application.exec();
}
