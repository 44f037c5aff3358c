#pragma once

// The servers the person has agreed to open sessions from. A session link names
// its server; a link to a server not seen before could come from anyone, so the
// app asks once (showing the host and the service) and remembers the answer.
// A server is its origin: scheme, host and port.

#include <QObject>
#include <QStringList>
#include <QUrl>

class QSettings;

namespace handoff::app {

class TrustedServers final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrustedServers)

public:
    // Reads and writes the list in `settings`, which must outlive this object.
    explicit TrustedServers(QSettings* settings, QObject* parent = nullptr);

    bool isTrusted(const QUrl& server) const;
    void trust(const QUrl& server);
    void remove(const QString& origin);
    QStringList origins() const;

    // "https://relay.example:8443": lower-case scheme and host, the port only when
    // it is not the scheme's default; empty for a URL without scheme or host.
    static QString originOf(const QUrl& server);

Q_SIGNALS:
    void changed();

private:
    void save(const QStringList& origins);

    QSettings* m_settings;
};

} // namespace handoff::app
