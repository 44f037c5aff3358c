#pragma once

// Makes this app the handler of handoff:// links for the current user, and tells
// whether it already is. It never registers on its own: on a first start with no
// handler the app asks the person (shouldAsk()), remembers the answer
// (rememberAnswer()) and only on a yes calls registerThisApp().
//
//   Linux and other freedesktop.org systems: the default application of
//     x-scheme-handler/handoff, read and set through xdg-mime, which writes each
//     desktop's own settings. A package's desktop entry (/usr/share/applications)
//     is used as it is; a program run from elsewhere first gets a per-user entry in
//     $XDG_DATA_HOME/applications that starts this very executable.
//   Windows: HKEY_CURRENT_USER\Software\Classes\handoff, a "URL Protocol" whose
//     open command is this executable with the link as one quoted "%1" argument.
//   macOS: Launch Services registers the bundle's CFBundleURLTypes (Info.plist)
//     when the app is installed; there is nothing to do and nothing to ask.
//
// No widgets and no event loop: the question is the caller's, and the few
// external commands run synchronously with a timeout.

#include "core/common/Result.h"

#include <QString>

class QSettings;

namespace handoff::app {

class SchemeHandlerRegistration final {
public:
    enum class Status {
        ThisApp,   // handoff:// links open this app
        OtherApp,  // another program handles them: leave the person's choice alone
        NoHandler, // nothing handles them
        Unknown,   // cannot tell (no xdg-mime, macOS)
    };

    // `desktopFileId`: the desktop entry's file name, e.g. "invalid.handoff.Handoff.desktop"
    // (QGuiApplication::desktopFileName() + ".desktop"). `executable`: this program's
    // absolute path (QCoreApplication::applicationFilePath()).
    SchemeHandlerRegistration(QString desktopFileId, QString executable);

    static QString scheme() { return QStringLiteral("handoff"); }

    Status status() const;

    // The first-start rule: ask only when nothing handles handoff:// links and the
    // person has not answered the question before.
    bool shouldAsk(const QSettings& settings) const;
    static void rememberAnswer(QSettings& settings, bool registerAccepted);

    // Makes this app the handler for the current user, then checks that it is.
    Result<void> registerThisApp() const;

private:
#if defined(Q_OS_WIN)
    QString openCommand() const;
#elif !defined(Q_OS_MACOS)
    Result<QString> runXdgMime(const QStringList& arguments) const;
    Result<void> ensureDesktopEntry() const;
#endif

    QString m_desktopFileId;
    QString m_executable;
};

} // namespace handoff::app
