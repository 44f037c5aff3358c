#include "app/platform/SchemeHandlerRegistration.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace {

Q_LOGGING_CATEGORY(lcScheme, "handoff.scheme", QtInfoMsg)

const QString answerKey = QStringLiteral("desktop/schemeHandlerAnswer");

} // namespace

namespace handoff::app {

SchemeHandlerRegistration::SchemeHandlerRegistration(QString desktopFileId, QString executable)
    : m_desktopFileId(std::move(desktopFileId)), m_executable(std::move(executable))
{
}

bool SchemeHandlerRegistration::shouldAsk(const QSettings& settings) const
{
    return !settings.contains(answerKey) && status() == Status::NoHandler;
}

void SchemeHandlerRegistration::rememberAnswer(QSettings& settings, bool registerAccepted)
{
    settings.setValue(answerKey, registerAccepted ? QStringLiteral("accepted") : QStringLiteral("declined"));
}

#if defined(Q_OS_MACOS)

SchemeHandlerRegistration::Status SchemeHandlerRegistration::status() const
{
    return Status::Unknown;
}

Result<void> SchemeHandlerRegistration::registerThisApp() const
{
    return {}; // Launch Services reads CFBundleURLTypes from the installed bundle.
}

#elif defined(Q_OS_WIN)

namespace {

// QSettings speaks the registry with "/" between keys; "Default" is a key's unnamed value.
const QString classesKey = QStringLiteral("HKEY_CURRENT_USER\\Software\\Classes\\handoff");
const QString machineClassesKey = QStringLiteral("HKEY_LOCAL_MACHINE\\Software\\Classes\\handoff");
const QString commandValue = QStringLiteral("shell/open/command/Default");

} // namespace

QString SchemeHandlerRegistration::openCommand() const
{
    // The link is one argument: quoted, so that Windows never splits it.
    return QStringLiteral("\"%1\" \"%2\"").arg(QDir::toNativeSeparators(m_executable), QStringLiteral("%1"));
}

SchemeHandlerRegistration::Status SchemeHandlerRegistration::status() const
{
    QString command = QSettings(classesKey, QSettings::NativeFormat).value(commandValue).toString();
    if (command.isEmpty())
        command = QSettings(machineClassesKey, QSettings::NativeFormat).value(commandValue).toString();
    if (command.isEmpty())
        return Status::NoHandler;
    return command.compare(openCommand(), Qt::CaseInsensitive) == 0 ? Status::ThisApp : Status::OtherApp;
}

Result<void> SchemeHandlerRegistration::registerThisApp() const
{
    QSettings classes(classesKey, QSettings::NativeFormat);
    classes.setValue(QStringLiteral("Default"), QStringLiteral("URL:Handoff link"));
    classes.setValue(QStringLiteral("URL Protocol"), QString());
    classes.setValue(QStringLiteral("DefaultIcon/Default"),
                     QStringLiteral("\"%1\",0").arg(QDir::toNativeSeparators(m_executable)));
    classes.setValue(commandValue, openCommand());
    classes.sync();
    if (classes.status() != QSettings::NoError || status() != Status::ThisApp) {
        return Error{QStringLiteral("scheme_registration_failed"),
                     QStringLiteral("Windows did not accept Handoff as the handler of handoff:// links "
                                    "(HKEY_CURRENT_USER\\Software\\Classes\\handoff could not be written).")};
    }
    qCInfo(lcScheme) << "Registered as the handoff:// handler for this user";
    return {};
}

#else // freedesktop.org

namespace {

// A desktop entry's Exec value for one program path: quoted, with the characters
// the Desktop Entry Specification reserves inside quotes escaped, then the
// backslashes of that escaping doubled, as the string value rules ask.
QString execQuoted(const QString& path)
{
    QString quoted;
    for (const QChar c : path) {
        if (c == u'"' || c == u'`' || c == u'$' || c == u'\\')
            quoted += u'\\';
        quoted += c;
    }
    quoted.replace(QStringLiteral("\\"), QStringLiteral("\\\\"));
    return u'"' + quoted + u'"';
}

} // namespace

Result<QString> SchemeHandlerRegistration::runXdgMime(const QStringList& arguments) const
{
    const QString xdgMime = QStandardPaths::findExecutable(QStringLiteral("xdg-mime"));
    if (xdgMime.isEmpty()) {
        return Error{QStringLiteral("xdg_mime_missing"),
                     QStringLiteral("xdg-mime was not found: install xdg-utils to let Handoff open handoff:// links.")};
    }
    QProcess process;
    process.setProgram(xdgMime);
    process.setArguments(arguments);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start();
    if (!process.waitForFinished(10'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        process.kill();
        process.waitForFinished(1'000);
        return Error{QStringLiteral("xdg_mime_failed"),
                     QStringLiteral("xdg-mime %1 failed: %2")
                         .arg(arguments.value(0), QString::fromLocal8Bit(process.readAllStandardError()).trimmed())};
    }
    return QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
}

SchemeHandlerRegistration::Status SchemeHandlerRegistration::status() const
{
    const Result<QString> current = runXdgMime(
        {QStringLiteral("query"), QStringLiteral("default"), QStringLiteral("x-scheme-handler/") + scheme()});
    if (!current) {
        qCDebug(lcScheme) << "Cannot tell the handoff:// handler:" << current.error().message;
        return Status::Unknown;
    }
    if (current->isEmpty())
        return Status::NoHandler;
    return *current == m_desktopFileId ? Status::ThisApp : Status::OtherApp;
}

Result<void> SchemeHandlerRegistration::ensureDesktopEntry() const
{
    if (!QStandardPaths::locate(QStandardPaths::ApplicationsLocation, m_desktopFileId).isEmpty())
        return {}; // installed by a package, or written before
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::ApplicationsLocation);
    if (folder.isEmpty() || !QDir().mkpath(folder)) {
        return Error{QStringLiteral("desktop_entry_failed"),
                     QStringLiteral("The folder for desktop entries (%1) could not be made.").arg(folder)};
    }
    const QString path = QDir(folder).filePath(m_desktopFileId);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        return Error{QStringLiteral("desktop_entry_failed"),
                     QStringLiteral("%1 could not be written: %2").arg(path, file.errorString())};
    }
    const QString entry = QStringLiteral("[Desktop Entry]\n"
                                         "Type=Application\n"
                                         "Name=Handoff\n"
                                         "Comment=Help an AI agent past a sign-in step, or approve what it asks to do\n"
                                         "Exec=%1 %u\n"
                                         "Icon=handoff\n"
                                         "Terminal=false\n"
                                         "NoDisplay=true\n"
                                         "MimeType=x-scheme-handler/handoff;\n")
                              .arg(execQuoted(m_executable));
    file.write(entry.toUtf8());
    if (!file.commit()) {
        return Error{QStringLiteral("desktop_entry_failed"),
                     QStringLiteral("%1 could not be written: %2").arg(path, file.errorString())};
    }
    qCInfo(lcScheme) << "Wrote a per-user desktop entry for links to this executable";
    return {};
}

Result<void> SchemeHandlerRegistration::registerThisApp() const
{
    if (Result<void> entry = ensureDesktopEntry(); !entry)
        return entry;
    const Result<QString> set = runXdgMime(
        {QStringLiteral("default"), m_desktopFileId, QStringLiteral("x-scheme-handler/") + scheme()});
    if (!set)
        return set.error();
    if (status() != Status::ThisApp) {
        return Error{QStringLiteral("scheme_registration_failed"),
                     QStringLiteral("The desktop did not take Handoff as the handler of handoff:// links.")};
    }
    qCInfo(lcScheme) << "Registered as the handoff:// handler for this user";
    return {};
}

#endif

} // namespace handoff::app
