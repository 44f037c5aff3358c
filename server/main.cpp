// handoff-server: parses the command line and runs the server or a keys command.

#include "core/crypto/SelfTest.h"
#include "server/app/Server.h"
#include "server/app/SignalWatcher.h"
#include "server/audit/AuditCommands.h"
#include "server/ciba/CibaCommands.h"
#include "server/cli/KeysCommand.h"
#include "server/config/ConfigSources.h"
#include "server/config/ServerConfig.h"
#include "server/demo/DemoSite.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcessEnvironment>
#include <QTextStream>
#include <QTimer>

using namespace handoff;
using namespace handoff::server;

namespace {

QString helpText()
{
    QString text = QStringLiteral(
        "usage: handoff-server [serve] [options]\n"
        "       handoff-server keys create --name NAME | keys list | keys revoke ID\n"
        "       handoff-server users|devices|clients ... (see handoff-server users)\n"
        "       handoff-server audit export [--output FILE] [--since TIME] | audit verify FILE\n\n"
        "Relay and session API of Handoff. Options (each also as HANDOFF_<NAME> in the environment,\n"
        "or as name = value in the --config file; flags win over environment over file):\n");
    for (const auto& option : ServerConfig::options()) {
        const QString flag = QStringLiteral("  --%1 %2").arg(option.name, option.valueName);
        text += flag.leftJustified(30) + QLatin1Char(' ') + option.help + QLatin1Char('\n');
    }
    return text;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Handoff"));
    QCoreApplication::setApplicationName(QStringLiteral("handoff-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HANDOFF_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    Result<ConfigSources::Flags> flags = ConfigSources::parseFlags(app.arguments().mid(1), QStringList{QStringLiteral("name")} + CibaCommands::optionNames() + AuditCommands::optionNames());
    if (!flags) {
        err << flags.error().message << "\n";
        return 2;
    }
    if (flags->help) {
        out << helpText();
        return 0;
    }
    if (flags->version) {
        out << "handoff-server " << QCoreApplication::applicationVersion() << "\n";
        return 0;
    }
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QMap<QString, QString> fileValues;
    const QString configPath = flags->options.value(QStringLiteral("config"),
                                                    environment.value(ServerConfig::envName(QStringLiteral("config"))));
    if (!configPath.isEmpty()) {
        QFile file(configPath);
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            err << "cannot read the config file " << configPath << ": " << file.errorString() << "\n";
            return 2;
        }
        Result<QMap<QString, QString>> parsed = ConfigSources::parseFile(QString::fromUtf8(file.readAll()));
        if (!parsed) {
            err << configPath << ": " << parsed.error().message << "\n";
            return 2;
        }
        fileValues = *parsed;
    }
    QMap<QString, QString> flagValues = flags->options;
    const QString keyName = flagValues.take(QStringLiteral("name"));
    QMap<QString, QString> cibaOptions{{QStringLiteral("name"), keyName}};
    for (const QString& option : CibaCommands::optionNames()) {
        if (flagValues.contains(option)) {
            cibaOptions.insert(option, flagValues.take(option));
        }
    }
    QMap<QString, QString> auditOptions;
    for (const QString& option : AuditCommands::optionNames()) {
        if (flagValues.contains(option)) {
            auditOptions.insert(option, flagValues.take(option));
        }
    }
    Result<ServerConfig> config =
        ServerConfig::resolve(flagValues, ConfigSources::fromEnvironment(environment), fileValues);
    if (!config) {
        err << config.error().message << "\n";
        return 2;
    }

    Result<void> selfTest = crypto::SelfTest::run();
    if (!selfTest) {
        err << "crypto self-test failed, refusing to start: " << selfTest.error().message << "\n";
        return 1;
    }

    const QStringList& positional = flags->positional;
    if (!positional.isEmpty() && positional.first() == QLatin1String("keys")) {
        return KeysCommand::run(positional.mid(1), keyName, config->dataDir, out, err);
    }
    if (!positional.isEmpty() && CibaCommands::handles(positional.first())) {
        return CibaCommands::run(positional, cibaOptions, *config, out, err);
    }
    if (!positional.isEmpty() && AuditCommands::handles(positional.first())) {
        return AuditCommands::run(positional, auditOptions, *config, out, err);
    }
    if (!positional.isEmpty() && !(positional.size() == 1 && positional.first() == QLatin1String("serve"))) {
        err << "unknown command \"" << positional.join(QLatin1Char(' ')) << "\"\n\n" << helpText();
        return 2;
    }

    Result<std::unique_ptr<Server>> server = Server::create(*config);
    if (!server) {
        err << server.error().message << "\n";
        return 1;
    }
    Result<void> started = (*server)->start();
    if (!started) {
        err << started.error().message << "\n";
        return 1;
    }
    if (const auto& key = (*server)->firstKey()) {
        out << "\nFirst start: the database had no API key, so this one was created (id " << key->info.id
            << ", name \"" << key->info.name << "\").\n"
            << "It is shown only this once and cannot be recovered; store it now. Agents send it as\n"
            << "Authorization: Bearer <key>. More keys: handoff-server keys create --name NAME\n\n"
            << "    " << QString::fromLatin1(key->key) << "\n\n";
    }
    out << "handoff-server listening on " << (*server)->publicUrl().toString() << " (data in "
        << (*server)->dataDir() << ")\n";
    if (config->demo) {
        out << DemoSite::operatorBanner((*server)->publicUrl(), config->demoCodeFile);
    }
    out.flush();

    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &app, [&server](int) {
        (*server)->shutdown();
        // Let the close frames go out, then stop.
        QTimer::singleShot(300, QCoreApplication::instance(), &QCoreApplication::quit);
    });
    const int code = QCoreApplication::exec();
    server->reset();
    return code;
}
