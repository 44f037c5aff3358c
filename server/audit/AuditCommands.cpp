#include "server/audit/AuditCommands.h"

#include "core/device/DeviceStatements.h"
#include "server/app/Server.h"
#include "server/audit/AuditLog.h"
#include "server/audit/AuditVerifier.h"
#include "server/ciba/CibaCommands.h"
#include "server/store/Database.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <optional>

namespace handoff::server {

namespace {

// RFC 3339, or a bare date taken as midnight UTC.
std::optional<qint64> parseSince(const QString& text)
{
    const QString trimmed = text.trimmed();
    QDateTime time;
    if (trimmed.size() == 10) {
        const QDate date = QDate::fromString(trimmed, Qt::ISODate);
        if (date.isValid()) {
            time = QDateTime(date, QTime(0, 0), Qt::UTC);
        }
    } else if (trimmed.size() > 10 && (trimmed.endsWith(QLatin1Char('Z')) || trimmed.at(trimmed.size() - 6) == QLatin1Char('+')
                                       || trimmed.at(trimmed.size() - 6) == QLatin1Char('-'))) {
        time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    }
    if (!time.isValid()) {
        return std::nullopt;
    }
    return time.toMSecsSinceEpoch();
}

// Only safe characters of an id reach the terminal: a tampered file must not
// smuggle escape sequences into the operator's console.
QString printable(const QString& text)
{
    QString out;
    for (const QChar c : text.left(24)) {
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('_') || c == QLatin1Char('-')
                   ? c
                   : QLatin1Char('?');
    }
    return out.isEmpty() ? QStringLiteral("-") : out;
}

int exportCommand(const QMap<QString, QString>& options, const ServerConfig& config, QTextStream& out, QTextStream& err)
{
    qint64 since = 0;
    if (options.contains(QStringLiteral("since"))) {
        const std::optional<qint64> parsed = parseSince(options.value(QStringLiteral("since")));
        if (!parsed) {
            err << "--since: expected an RFC 3339 time such as 2025-01-31T12:00:00Z, or a date such as 2025-01-31\n";
            return 2;
        }
        since = *parsed;
    }
    const QString path = Server::databasePathIn(config.dataDir);
    if (!QFileInfo::exists(path)) {
        err << "no server database at " << path << " (give --data-dir)\n";
        return 1;
    }
    Result<std::unique_ptr<Database>> database = Database::open(path);
    if (!database) {
        err << database.error().message << "\n";
        return 1;
    }
    AuditLog log(**database);
    const QString fallbackServer = device::DeviceStatements::serverIdentity(CibaCommands::publicBase(config));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString output = options.value(QStringLiteral("output"));
    Result<AuditLog::Counts> counts = AuditLog::Counts{};
    if (output.isEmpty() || output == QLatin1String("-")) {
        QFile stdoutFile;
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly)) {
            err << "cannot write to stdout\n";
            return 1;
        }
        out.flush();
        counts = log.exportLines(stdoutFile, since, fallbackServer, now);
        stdoutFile.flush();
    } else {
        // Written whole or not at all, readable by the operator only (it names people and what they approved).
        QSaveFile file(output);
        if (!file.open(QIODevice::WriteOnly)) {
            err << "cannot write " << output << ": " << file.errorString() << "\n";
            return 1;
        }
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        counts = log.exportLines(file, since, fallbackServer, now);
        if (counts && !file.commit()) {
            err << "cannot write " << output << ": " << file.errorString() << "\n";
            return 1;
        }
    }
    if (!counts) {
        err << counts.error().message << "\n";
        return 1;
    }
    // The summary never goes into the lines themselves.
    QTextStream& report = output.isEmpty() || output == QLatin1String("-") ? err : out;
    report << "Exported " << counts->requests << " request line(s) and " << counts->blocks << " block line(s)"
           << (counts->locks > 0 ? QStringLiteral(" and %1 user-code lock line(s)").arg(counts->locks) : QString())
           << (&report == &out ? QStringLiteral(" to ") + output : QString()) << ".\n";
    return 0;
}

int verifyCommand(const QString& filePath, const ServerConfig& config, QTextStream& out, QTextStream& err)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        err << "cannot read " << filePath << ": " << file.errorString() << "\n";
        return 1;
    }
    const QString databasePath = Server::databasePathIn(config.dataDir);
    std::unique_ptr<Database> database;
    if (QFileInfo::exists(databasePath)) {
        Result<std::unique_ptr<Database>> opened = Database::open(databasePath);
        if (!opened) {
            err << opened.error().message << "\n";
            return 1;
        }
        database = std::move(opened).value();
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::optional<AuditLog> log;
    std::optional<AuditVerifier::Reference> reference;
    if (database) {
        log.emplace(*database);
        reference = log->reference(now);
        out << "Checking device keys and decisions against the server database " << databasePath << ".\n";
    } else {
        out << "No server database at " << databasePath << ": each line's own public key is trusted, which proves\n"
            << "only that the holder of that key signed it (give --data-dir to check the keys the server registered).\n";
    }
    int lineNumber = 0;
    int verified = 0;
    int unsignedLines = 0;
    int events = 0;
    int failures = 0;
    while (!file.atEnd()) {
        // At most one byte more than a line may hold, so that the verifier sees an oversized one as such.
        const QByteArray line = file.readLine(AuditVerifier::MaxLineBytes + 2);
        ++lineNumber;
        const bool oversized = !line.endsWith('\n') && !file.atEnd();
        if (oversized) {
            // Longer than any line an export writes: skip the rest of it.
            while (!file.atEnd() && !file.readLine(AuditVerifier::MaxLineBytes).endsWith('\n')) {
            }
        } else if (line.trimmed().isEmpty()) {
            continue;
        }
        // An oversized line goes as read (not trimmed), so that it fails as too long, and counts.
        const AuditVerdict verdict =
            AuditVerifier::verifyLine(oversized ? line : line.trimmed(), reference ? &*reference : nullptr);
        out << "line " << lineNumber << ": ";
        switch (verdict.kind) {
        case AuditVerdict::Kind::Verified:
            ++verified;
            out << "verified  " << verdict.outcome << " " << printable(verdict.authReqId) << " by "
                << printable(verdict.deviceId) << "\n";
            break;
        case AuditVerdict::Kind::Unsigned:
            ++unsignedLines;
            out << "unsigned  " << verdict.outcome << " " << printable(verdict.authReqId) << "\n";
            break;
        case AuditVerdict::Kind::Event:
            ++events;
            out << "event     " << (verdict.event == QLatin1String("block") ? "block" : "user-code lock")
                << " (nothing signed)\n";
            break;
        case AuditVerdict::Kind::Failed:
            ++failures;
            out << "FAILED    " << printable(verdict.authReqId) << ": " << verdict.reason << "\n";
            break;
        }
    }
    out << "\n" << (verified + unsignedLines + events + failures) << " line(s): " << verified << " verified, "
        << unsignedLines << " unsigned (pending or expired), " << events << " block event(s), " << failures
        << " failed.\n";
    return failures == 0 ? 0 : 1;
}

} // namespace

QStringList AuditCommands::optionNames()
{
    return {QStringLiteral("output"), QStringLiteral("since")};
}

bool AuditCommands::handles(const QString& command)
{
    return command == QLatin1String("audit");
}

QString AuditCommands::usage()
{
    return QStringLiteral(
        "usage: handoff-server audit export [--output FILE] [--since TIME]\n"
        "       handoff-server audit verify FILE\n"
        "(each takes --data-dir DIR like the server; TIME is RFC 3339 or a date, UTC)\n");
}

int AuditCommands::run(const QStringList& arguments, const QMap<QString, QString>& options, const ServerConfig& config,
                       QTextStream& out, QTextStream& err)
{
    if (arguments.size() == 2 && arguments.at(1) == QLatin1String("export")) {
        return exportCommand(options, config, out, err);
    }
    if (arguments.size() == 3 && arguments.at(1) == QLatin1String("verify")) {
        return verifyCommand(arguments.at(2), config, out, err);
    }
    err << usage();
    return 2;
}

} // namespace handoff::server
