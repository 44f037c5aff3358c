#include "server/ciba/CibaCommands.h"

#include "core/device/PairingLink.h"
#include "server/app/Server.h"
#include "server/ciba/ClientStore.h"
#include "server/device/DeviceStore.h"
#include "server/device/UserStore.h"
#include "server/session/SessionJson.h"
#include "server/store/Database.h"


namespace handoff::server {

namespace {

int fail(QTextStream& err, const Error& error)
{
    err << error.message << "\n";
    return error.code == QLatin1String("not_found") ? 3 : 1;
}

int users(const QStringList& args, const QMap<QString, QString>& options, Database& database, QTextStream& out,
          QTextStream& err)
{
    UserStore store(database);
    if (args.size() == 3 && args.at(1) == QLatin1String("add")) {
        const QString code = options.contains(QStringLiteral("user-code")) ? options.value(QStringLiteral("user-code"))
                                                                           : QString();
        Result<UserRecord> user = store.add(args.at(2), code);
        if (!user) {
            return fail(err, user.error());
        }
        out << "Added user " << user->email << " (id " << user->id << (user->hasUserCode ? ", with a user code" : "")
            << ").\nPair a device for them: handoff-server devices pair " << user->email << "\n";
        return 0;
    }
    if (args.size() == 2 && args.at(1) == QLatin1String("list")) {
        Result<QList<UserRecord>> list = store.list();
        if (!list) {
            return fail(err, list.error());
        }
        out << qSetFieldWidth(24) << Qt::left << "ID" << qSetFieldWidth(22) << "CREATED" << qSetFieldWidth(10)
            << "USER CODE" << qSetFieldWidth(0) << "EMAIL\n";
        for (const UserRecord& user : std::as_const(*list)) {
            out << qSetFieldWidth(24) << user.id << qSetFieldWidth(22) << SessionJson::timestamp(user.createdAtMs)
                << qSetFieldWidth(10) << (user.hasUserCode ? "yes" : "no") << qSetFieldWidth(0) << user.email << "\n";
        }
        return 0;
    }
    err << CibaCommands::usage();
    return 2;
}

int devices(const QStringList& args, const ServerConfig& config, Database& database, QTextStream& out,
            QTextStream& err)
{
    UserStore users(database);
    DeviceStore store(database);
    const auto findUser = [&users, &err](const QString& email) -> std::optional<UserRecord> {
        Result<std::optional<UserRecord>> user = users.findByEmail(email);
        if (!user) {
            err << user.error().message << "\n";
            return std::nullopt;
        }
        if (!user->has_value()) {
            err << "no user " << email << " (add one with: handoff-server users add " << email << ")\n";
        }
        return *user;
    };
    if (args.size() == 3 && args.at(1) == QLatin1String("pair")) {
        const std::optional<UserRecord> user = findUser(args.at(2));
        if (!user) {
            return 3;
        }
        Result<NewPairing> pairing = store.createPairing(user->id);
        if (!pairing) {
            return fail(err, pairing.error());
        }
        device::PairingLink link;
        link.server = CibaCommands::publicBase(config);
        link.token = QString::fromLatin1(pairing->token);
        out << "Pairing link for " << user->email << ": open it in the Handoff app on the device. It works once, "
            << "within 10 minutes (until " << SessionJson::timestamp(pairing->expiresAtMs) << "):\n\n    "
            << link.toAppLink() << "\n\nor, in a browser: " << link.toWebLink() << "\n";
        return 0;
    }
    if ((args.size() == 2 || args.size() == 3) && args.at(1) == QLatin1String("list")) {
        QList<DeviceRecord> list;
        if (args.size() == 3) {
            const std::optional<UserRecord> user = findUser(args.at(2));
            if (!user) {
                return 3;
            }
            Result<QList<DeviceRecord>> found = store.listForUser(user->id, true);
            if (!found) {
                return fail(err, found.error());
            }
            list = *found;
        } else {
            Result<QList<DeviceRecord>> found = store.listAll();
            if (!found) {
                return fail(err, found.error());
            }
            list = *found;
        }
        out << qSetFieldWidth(24) << Qt::left << "ID" << qSetFieldWidth(24) << "USER" << qSetFieldWidth(10) << "STATUS"
            << qSetFieldWidth(22) << "PAIRED" << qSetFieldWidth(0) << "NAME\n";
        for (const DeviceRecord& device : std::as_const(list)) {
            out << qSetFieldWidth(24) << device.id << qSetFieldWidth(24) << device.userId << qSetFieldWidth(10)
                << (device.revokedAtMs ? "revoked" : "active") << qSetFieldWidth(22)
                << SessionJson::timestamp(device.createdAtMs) << qSetFieldWidth(0) << device.name << "\n";
        }
        return 0;
    }
    if (args.size() == 3 && args.at(1) == QLatin1String("revoke")) {
        Result<void> revoked = store.revoke(args.at(2));
        if (!revoked) {
            return fail(err, revoked.error());
        }
        out << "Revoked device " << args.at(2) << ".\n";
        return 0;
    }
    err << CibaCommands::usage();
    return 2;
}

int clients(const QStringList& args, const QMap<QString, QString>& options, Database& database, QTextStream& out,
            QTextStream& err)
{
    ClientStore store(database);
    if (args.size() == 2 && args.at(1) == QLatin1String("create")) {
        const QString name = options.value(QStringLiteral("name"));
        if (name.isEmpty() || !options.contains(QStringLiteral("mode"))) {
            err << "clients create needs --name NAME and --mode poll|ping|push\n";
            return 2;
        }
        bool intervalOk = true;
        const int interval = options.value(QStringLiteral("interval"), QStringLiteral("5")).toInt(&intervalOk);
        if (!intervalOk) {
            err << "--interval must be a whole number of seconds\n";
            return 2;
        }
        Result<NewClient> created = store.create(name, options.value(QStringLiteral("mode")),
                                                 options.value(QStringLiteral("notification-endpoint")), interval);
        if (!created) {
            err << created.error().message << "\n";
            return created.error().code == QLatin1String("storage") ? 1 : 2;
        }
        out << "Created " << created->record.mode << " client \"" << created->record.name << "\".\n"
            << "The secret is shown only this once and cannot be recovered; store it now.\n\n"
            << "    client_id:     " << created->record.id << "\n"
            << "    client_secret: " << QString::fromLatin1(created->secret) << "\n\n";
        return 0;
    }
    if (args.size() == 2 && args.at(1) == QLatin1String("list")) {
        Result<QList<ClientRecord>> list = store.list();
        if (!list) {
            return fail(err, list.error());
        }
        out << qSetFieldWidth(22) << Qt::left << "ID" << qSetFieldWidth(6) << "MODE" << qSetFieldWidth(10) << "STATUS"
            << qSetFieldWidth(0) << "NAME\n";
        for (const ClientRecord& client : std::as_const(*list)) {
            out << qSetFieldWidth(22) << client.id << qSetFieldWidth(6) << client.mode << qSetFieldWidth(10)
                << (client.revokedAtMs ? "revoked" : "active") << qSetFieldWidth(0) << client.name << "\n";
        }
        return 0;
    }
    if (args.size() == 3 && args.at(1) == QLatin1String("revoke")) {
        Result<void> revoked = store.revoke(args.at(2));
        if (!revoked) {
            return fail(err, revoked.error());
        }
        out << "Revoked client " << args.at(2) << ".\n";
        return 0;
    }
    err << CibaCommands::usage();
    return 2;
}

} // namespace

QStringList CibaCommands::optionNames()
{
    return {QStringLiteral("user-code"), QStringLiteral("mode"), QStringLiteral("notification-endpoint"),
            QStringLiteral("interval")};
}

bool CibaCommands::handles(const QString& command)
{
    return command == QLatin1String("users") || command == QLatin1String("devices")
           || command == QLatin1String("clients");
}

QString CibaCommands::usage()
{
    return QStringLiteral(
        "usage: handoff-server users add EMAIL [--user-code CODE] | users list\n"
        "       handoff-server devices pair EMAIL | devices list [EMAIL] | devices revoke ID\n"
        "       handoff-server clients create --name NAME --mode poll|ping|push [--notification-endpoint URL]\n"
        "                                     [--interval SECONDS]\n"
        "       handoff-server clients list | clients revoke ID\n"
        "(each takes --data-dir DIR like the server; links name --public-url)\n");
}

QUrl CibaCommands::publicBase(const ServerConfig& config)
{
    if (config.publicUrl.isValid() && !config.publicUrl.isEmpty()) {
        return config.publicUrl;
    }
    QHostAddress host = config.listenAddress;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4) {
        host = QHostAddress(QHostAddress::LocalHost);
    } else if (host == QHostAddress::AnyIPv6) {
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    }
    QUrl url;
    url.setScheme(config.tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(config.listenPort);
    return url;
}

int CibaCommands::run(const QStringList& arguments, const QMap<QString, QString>& options, const ServerConfig& config,
                      QTextStream& out, QTextStream& err)
{
    if (arguments.size() < 2) {
        err << usage();
        return 2;
    }
    Result<std::unique_ptr<Database>> database = Server::openDatabase(config.dataDir);
    if (!database) {
        err << database.error().message << "\n";
        return 1;
    }
    const QString command = arguments.first();
    if (command == QLatin1String("users")) {
        return users(arguments, options, **database, out, err);
    }
    if (command == QLatin1String("devices")) {
        return devices(arguments, config, **database, out, err);
    }
    return clients(arguments, options, **database, out, err);
}

} // namespace handoff::server
