#pragma once

// Turns SIGINT and SIGTERM into a Qt signal on the event loop (self-pipe), so the
// server can close its sockets and database cleanly.

#include <QObject>

class QSocketNotifier;

namespace handoff::server {

class SignalWatcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace handoff::server
