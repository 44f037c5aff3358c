#pragma once

// "Approval history…": one HistoryWindow filled from every paired account that
// is online (DeviceClient::requestHistory / historyReceived), newest first. The
// window says what it cannot show: no paired account, accounts offline, or a
// server that did not answer in time.

#include "core/device/ApprovalHistoryEntry.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace handoff::device {
class DeviceClient;
}
namespace handoff::ui {
class HistoryWindow;
}

namespace handoff::app {

class DeviceChannels;

class HistoryController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryController)

public:
    // `channels` must outlive this object.
    explicit HistoryController(DeviceChannels* channels, QObject* parent = nullptr);
    ~HistoryController() override;

    // Opens (or raises) the window and asks every online account for its history.
    void show();
    ui::HistoryWindow* window() const;
    void setAnswerTimeout(int ms) { m_timeout.setInterval(ms); }

private:
    void attach(device::DeviceClient* client);
    void refresh();
    // Asks one account; the caller shows it as loading (update()).
    void ask(device::DeviceClient* client);
    void onHistory(device::DeviceClient* client, const QList<device::ApprovalHistoryEntry>& entries);
    void update();

    DeviceChannels* m_channels;
    QPointer<ui::HistoryWindow> m_window;
    QHash<QString, QList<device::ApprovalHistoryEntry>> m_entries; // by account key name
    QSet<QString> m_asked;    // asked, no answer yet
    QSet<QString> m_silent;   // asked, no answer in time
    QTimer m_timeout;
};

} // namespace handoff::app
