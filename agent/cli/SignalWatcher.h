#pragma once

// Turns SIGINT and SIGTERM into a Qt signal through a self-pipe and a
// QSocketNotifier, so the session is cancelled from the event loop and never
// from inside a signal handler. One instance per process.

#include <QObject>

class QSocketNotifier;

namespace handoff::agent {

class SignalWatcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

    bool isInstalled() const { return m_notifier != nullptr; }

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace handoff::agent
