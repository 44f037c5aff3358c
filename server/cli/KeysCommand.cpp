#include "server/cli/KeysCommand.h"

#include "server/app/Server.h"
#include "server/session/SessionJson.h"
#include "server/store/ApiKeyStore.h"
#include "server/store/Database.h"


namespace handoff::server {

QString KeysCommand::usage()
{
    return QStringLiteral("usage: handoff-server keys create --name NAME\n"
                          "       handoff-server keys list\n"
                          "       handoff-server keys revoke ID\n"
                          "(each takes --data-dir DIR like the server)\n");
}

int KeysCommand::run(const QStringList& arguments, const QString& name, const QString& dataDir, QTextStream& out,
                     QTextStream& err)
{
    if (arguments.isEmpty()) {
        err << usage();
        return 2;
    }
    const QString action = arguments.first();
    Result<std::unique_ptr<Database>> database = Server::openDatabase(dataDir);
    if (!database) {
        err << database.error().message << "\n";
        return 1;
    }
    ApiKeyStore keys(**database);

    if (action == QLatin1String("create") && arguments.size() == 1) {
        if (name.isEmpty()) {
            err << "keys create needs --name NAME\n";
            return 2;
        }
        Result<NewApiKey> created = keys.create(name);
        if (!created) {
            err << created.error().message << "\n";
            return 1;
        }
        out << "Created API key \"" << created->info.name << "\" (id " << created->info.id << ").\n"
            << "It is shown only this once and cannot be recovered; store it now:\n\n"
            << "    " << QString::fromLatin1(created->key) << "\n\n";
        return 0;
    }
    if (action == QLatin1String("list") && arguments.size() == 1) {
        Result<QList<ApiKeyInfo>> list = keys.list();
        if (!list) {
            err << list.error().message << "\n";
            return 1;
        }
        out << qSetFieldWidth(14) << Qt::left << "ID" << qSetFieldWidth(10) << "STATUS" << qSetFieldWidth(22)
            << "CREATED" << qSetFieldWidth(0) << "NAME\n";
        for (const ApiKeyInfo& key : std::as_const(*list)) {
            out << qSetFieldWidth(14) << key.id << qSetFieldWidth(10)
                << (key.revokedAtMs ? QStringLiteral("revoked") : QStringLiteral("active")) << qSetFieldWidth(22)
                << SessionJson::timestamp(key.createdAtMs) << qSetFieldWidth(0) << key.name << "\n";
        }
        return 0;
    }
    if (action == QLatin1String("revoke") && arguments.size() == 2) {
        Result<void> revoked = keys.revoke(arguments.at(1));
        if (!revoked) {
            err << revoked.error().message << "\n";
            return revoked.error().code == QLatin1String("not_found") ? 3 : 1;
        }
        out << "Revoked API key " << arguments.at(1) << ".\n";
        return 0;
    }
    err << usage();
    return 2;
}

} // namespace handoff::server
