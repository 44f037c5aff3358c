#pragma once

// Turns the raw sources of configuration into name -> value maps for
// ServerConfig::resolve(): command-line flags, HANDOFF_* environment and the text
// of a config file. Pure: the caller reads the environment and the file.

#include "core/common/Result.h"

#include <QMap>
#include <QProcessEnvironment>
#include <QStringList>

namespace handoff::server {

class ConfigSources final {
public:
    ConfigSources() = delete;

    struct Flags final {
        QMap<QString, QString> options; // --name value / --name=value
        QStringList positional;         // subcommand and its arguments
        bool help = false;
        bool version = false;
    };
    // `arguments` without the program name. Options of ServerConfig::options() plus
    // `extraOptions` (subcommand options such as "name") are accepted.
    static Result<Flags> parseFlags(const QStringList& arguments, const QStringList& extraOptions = {});
    static QMap<QString, QString> fromEnvironment(const QProcessEnvironment& environment);
    // Lines of "name = value"; '#' starts a comment; blank lines are ignored.
    static Result<QMap<QString, QString>> parseFile(const QString& text);
};

} // namespace handoff::server
