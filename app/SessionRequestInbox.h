#pragma once

// Session requests from paired servers (`session_request`, PROTOCOL 4): an
// agent created a session naming this person. Each becomes a notification
// ("<service> needs your help: <hint>") that opens the viewer when clicked, and
// stays listed (tray menu) until opened or expired, for desktops where
// notifications cannot be clicked. Without a tray, a small window asks instead.
//
// The link came over the authenticated channel of a server the person paired
// with, so that server counts as trusted for it (LinkRouter::openFromPairedServer).

#include "core/common/Result.h"
#include "core/device/SessionRequestNotice.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

namespace handoff::device {
class DeviceClient;
}

namespace handoff::app {

class DeviceChannels;
class LinkRouter;
class TrayController;

class SessionRequestInbox final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionRequestInbox)

public:
    struct Request final {
        QString keyName; // the account it came through
        QUrl server;     // that account's server
        device::SessionRequestNotice notice;
    };

    // `tray` may be null; all must outlive this object.
    SessionRequestInbox(DeviceChannels* channels, LinkRouter* router, TrayController* tray, QObject* parent = nullptr);
    ~SessionRequestInbox() override;

    // Not yet opened and not expired, oldest first.
    QList<Request> pending() const;
    // Opens the viewer on it through the LinkRouter and takes it off the list.
    Result<void> open(const QString& keyName, const QString& sessionId);

    static QString notificationText(const device::SessionRequestNotice& notice);

Q_SIGNALS:
    void pendingChanged();
    // open() could not open a request (expired, gone); for a person.
    void failed(const QString& message);

private:
    void attach(device::DeviceClient* client);
    void onRequested(device::DeviceClient* client, const device::SessionRequestNotice& notice);
    void askWithoutTray(const Request& request);
    void prune();

    LinkRouter* m_router;
    QPointer<TrayController> m_tray;
    QList<Request> m_requests;
};

} // namespace handoff::app
