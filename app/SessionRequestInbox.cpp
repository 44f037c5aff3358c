#include "app/SessionRequestInbox.h"

#include "app/DeviceAccounts.h"
#include "app/DeviceChannels.h"
#include "app/LinkRouter.h"
#include "app/TrayController.h"
#include "core/device/DeviceClient.h"
#include "ui/Resources.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

#include <algorithm>

namespace handoff::app {

namespace {

Q_LOGGING_CATEGORY(lcRequests, "handoff.requests", QtInfoMsg)

bool isExpired(const device::SessionRequestNotice& notice, const QDateTime& now)
{
    const QDateTime expires = QDateTime::fromString(notice.expiresAt, Qt::ISODate);
    return expires.isValid() && now >= expires;
}

} // namespace

SessionRequestInbox::SessionRequestInbox(DeviceChannels* channels, LinkRouter* router, TrayController* tray,
                                         QObject* parent)
    : QObject(parent), m_router(router), m_tray(tray)
{
    const QList<device::DeviceClient*> existing = channels->clients();
    for (device::DeviceClient* client : existing) {
        attach(client);
    }
    connect(channels, &DeviceChannels::clientAdded, this, &SessionRequestInbox::attach);
    connect(channels, &DeviceChannels::clientRemoved, this, [this](const QString& keyName) {
        if (m_requests.removeIf([&keyName](const Request& request) { return request.keyName == keyName; }) > 0) {
            Q_EMIT pendingChanged();
        }
    });
}

SessionRequestInbox::~SessionRequestInbox() = default;

QString SessionRequestInbox::notificationText(const device::SessionRequestNotice& notice)
{
    const QString service = notice.service.isEmpty() ? tr("An agent") : notice.service;
    return notice.hint.isEmpty() ? tr("%1 needs your help with a sign-in step.").arg(service)
                                 : tr("%1 needs your help: %2").arg(service, notice.hint);
}

void SessionRequestInbox::attach(device::DeviceClient* client)
{
    // The client is the sender: Qt disconnects this when it goes.
    connect(client, &device::DeviceClient::sessionRequested, this,
            [this, client](const device::SessionRequestNotice& notice) { onRequested(client, notice); });
}

QList<SessionRequestInbox::Request> SessionRequestInbox::pending() const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<Request> list;
    for (const Request& request : m_requests) {
        if (!isExpired(request.notice, now)) {
            list.append(request);
        }
    }
    return list;
}

void SessionRequestInbox::onRequested(device::DeviceClient* client, const device::SessionRequestNotice& notice)
{
    const device::DeviceAccount account = client->account();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (isExpired(notice, now)) {
        return;
    }
    const bool known = std::any_of(m_requests.cbegin(), m_requests.cend(), [&](const Request& request) {
        return request.keyName == account.keyName && request.notice.sessionId == notice.sessionId;
    });
    if (known) {
        return;
    }
    qCInfo(lcRequests).noquote() << "session request for" << notice.sessionId; // the id only, never the URL
    const Request request{account.keyName, account.server, notice};
    m_requests.append(request);
    const QDateTime expires = QDateTime::fromString(notice.expiresAt, Qt::ISODate);
    if (expires.isValid()) {
        QTimer::singleShot(int(std::clamp<qint64>(now.msecsTo(expires) + 500, 0, 24 * 3600 * 1000)), this,
                           &SessionRequestInbox::prune);
    }
    Q_EMIT pendingChanged();

    if (m_tray && m_tray->isAvailable()) {
        m_tray->notify(tr("Sign-in help requested"), notificationText(notice),
                       [this, keyName = account.keyName, id = notice.sessionId] { (void)open(keyName, id); });
    } else {
        if (m_tray) {
            m_tray->notify(tr("Sign-in help requested"), notificationText(notice));
        }
        askWithoutTray(request);
    }
}

void SessionRequestInbox::askWithoutTray(const Request& request)
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("Sign-in help requested"),
                                notificationText(request.notice), QMessageBox::NoButton);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("sessionRequestQuestion"));
    box->setTextFormat(Qt::PlainText);
    box->setWindowIcon(ui::Resources::appIcon());
    box->setInformativeText(tr("From %1.").arg(DeviceAccounts::hostOf(request.server)));
    QPushButton* openButton = box->addButton(tr("Open"), QMessageBox::AcceptRole);
    box->addButton(tr("Not now"), QMessageBox::RejectRole);
    connect(openButton, &QPushButton::clicked, this,
            [this, keyName = request.keyName, id = request.notice.sessionId] { (void)open(keyName, id); });
    box->setModal(false); // blocks nothing: another prompt may need an answer meanwhile
    box->show();
}

Result<void> SessionRequestInbox::open(const QString& keyName, const QString& sessionId)
{
    const auto it = std::find_if(m_requests.begin(), m_requests.end(), [&](const Request& request) {
        return request.keyName == keyName && request.notice.sessionId == sessionId;
    });
    if (it == m_requests.end()) {
        const Error error{QStringLiteral("unknown_request"), tr("This sign-in request is no longer waiting.")};
        Q_EMIT failed(error.message);
        return error;
    }
    const Request request = *it;
    m_requests.erase(it);
    Q_EMIT pendingChanged();
    if (isExpired(request.notice, QDateTime::currentDateTimeUtc())) {
        const Error error{QStringLiteral("expired"), tr("This sign-in request has expired.")};
        Q_EMIT failed(error.message);
        return error;
    }
    // The router reports its own failures (linkFailed).
    return m_router->openFromPairedServer(request.notice.sessionUrl, request.server);
}

void SessionRequestInbox::prune()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_requests.removeIf([&now](const Request& request) { return isExpired(request.notice, now); }) > 0) {
        Q_EMIT pendingChanged();
    }
}

} // namespace handoff::app
