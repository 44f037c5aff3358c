#include "server/config/ConfigSources.h"

#include "server/config/ServerConfig.h"

namespace handoff::server {

namespace {

bool isKnown(const QString& name, const QStringList& extra)
{
    if (extra.contains(name)) {
        return true;
    }
    for (const auto& option : ServerConfig::options()) {
        if (option.name == name) {
            return true;
        }
    }
    return false;
}

// An option without a value name (--demo) is a switch: present means "true".
bool isSwitch(const QString& name)
{
    for (const auto& option : ServerConfig::options()) {
        if (option.name == name) {
            return option.valueName.isEmpty();
        }
    }
    return false;
}

} // namespace

Result<ConfigSources::Flags> ConfigSources::parseFlags(const QStringList& arguments, const QStringList& extraOptions)
{
    Flags flags;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments.at(i);
        if (argument == QLatin1String("--help") || argument == QLatin1String("-h")) {
            flags.help = true;
            continue;
        }
        if (argument == QLatin1String("--version")) {
            flags.version = true;
            continue;
        }
        if (!argument.startsWith(QLatin1String("--"))) {
            flags.positional.append(argument);
            continue;
        }
        QString name = argument.mid(2);
        QString value;
        const qsizetype equals = name.indexOf(QLatin1Char('='));
        if (equals >= 0) {
            value = name.mid(equals + 1);
            name.truncate(equals);
        } else if (isSwitch(name)) {
            value = QStringLiteral("true");
        } else if (i + 1 < arguments.size()) {
            value = arguments.at(++i);
        } else {
            return Error{QStringLiteral("invalid_config"), QStringLiteral("--%1 needs a value").arg(name)};
        }
        if (!isKnown(name, extraOptions)) {
            return Error{QStringLiteral("invalid_config"),
                         QStringLiteral("unknown option --%1 (see --help)").arg(name)};
        }
        flags.options.insert(name, value);
    }
    return flags;
}

QMap<QString, QString> ConfigSources::fromEnvironment(const QProcessEnvironment& environment)
{
    QMap<QString, QString> values;
    for (const auto& option : ServerConfig::options()) {
        const QString envName = ServerConfig::envName(option.name);
        if (environment.contains(envName)) {
            values.insert(option.name, environment.value(envName));
        }
    }
    return values;
}

Result<QMap<QString, QString>> ConfigSources::parseFile(const QString& text)
{
    QMap<QString, QString> values;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype number = 0; number < lines.size(); ++number) {
        QString line = lines.at(number);
        const qsizetype hash = line.indexOf(QLatin1Char('#'));
        if (hash >= 0) {
            line.truncate(hash);
        }
        line = line.trimmed();
        if (line.isEmpty()) {
            continue;
        }
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            return Error{QStringLiteral("invalid_config"),
                         QStringLiteral("config file line %1: expected name = value").arg(number + 1)};
        }
        const QString name = line.left(equals).trimmed();
        const QString value = line.mid(equals + 1).trimmed();
        if (name == QLatin1String("config") || !isKnown(name, {})) {
            return Error{QStringLiteral("invalid_config"),
                         QStringLiteral("config file line %1: unknown option \"%2\"").arg(number + 1).arg(name)};
        }
        values.insert(name, value);
    }
    return values;
}

} // namespace handoff::server
