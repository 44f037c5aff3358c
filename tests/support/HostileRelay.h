#pragma once

// The relay as an attacker would run it: a WebSocket man-in-the-middle in front
// of a real handoff-server. Start the server with `--public-url` set to
// publicUrl(), so the session links and stream URLs it hands out lead here; every
// stream connection (agent or viewer) is then forwarded to the server unchanged,
// and the test can watch each message, change or drop it (setFilter), and send
// messages of its own to either end as if the server had (injectToAgent,
// injectToViewer). Close codes are passed on both ways.
//
//   HostileRelay relay;
//   QVERIFY(relay.listen());
//   server.start({"--public-url", relay.publicUrl().toString()});
//   relay.setUpstream(server.baseUrl());
//   relay.setFilter([](HostileRelay::Role from, WireMessage& m) { return true; });
//
// Messages here are encrypted records and key messages: the test logs none of them.

#include "core/protocol/SecureChannel.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QWebSocketServer>

#include <functional>
#include <memory>
#include <vector>

class QWebSocket;

namespace handoff::test {

class HostileRelay final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostileRelay)

public:
    enum class Role { Agent, Viewer };

    // A message that passed through, from the side named by `from`: what the server
    // sends to the viewer (its own control messages as well as the agent's,
    // relayed) counts as the agent's side, and the other way round.
    struct Seen final {
        Role from;
        protocol::WireMessage message;
        // Arrived from the server (relayed, or the server's own) rather than from
        // the end itself: each message an end sends is seen twice, once as it
        // leaves that end and once as the server hands it to the other.
        bool fromServer = false;
    };

    // Return false to drop the message; it may also be changed in place.
    using Filter = std::function<bool(Role from, protocol::WireMessage& message)>;

    explicit HostileRelay(QObject* parent = nullptr);
    ~HostileRelay() override;

    bool listen();
    QUrl publicUrl() const; // http://127.0.0.1:<port>
    void setUpstream(const QUrl& serverBase) { m_upstream = serverBase; }
    void setFilter(Filter filter) { m_filter = std::move(filter); }

    // Sends to the agent (or viewer) as if the server had, on its current socket.
    bool injectToAgent(const protocol::WireMessage& message);
    bool injectToViewer(const protocol::WireMessage& message);
    bool hasAgent() const;
    bool hasViewer() const;

    // Everything forwarded so far (injected messages are not in it), in order.
    const QList<Seen>& seen() const { return m_seen; }
    // What that end itself sent, as it left its socket, in order.
    QList<protocol::WireMessage> seenFrom(Role from) const;
    void clearSeen() { m_seen.clear(); }

private:
    struct Link final {
        Role role = Role::Viewer;
        QPointer<QWebSocket> client;
        QPointer<QWebSocket> server;
        QList<protocol::WireMessage> pending; // from the client, before the server socket opened
    };

    void accept();
    void forward(Link* link, bool fromClient, const protocol::WireMessage& message);
    static void send(QWebSocket* socket, const protocol::WireMessage& message);
    QWebSocket* clientOf(Role role) const;

    QWebSocketServer m_server;
    QUrl m_upstream;
    Filter m_filter;
    std::vector<std::unique_ptr<Link>> m_links;
    QList<Seen> m_seen;
};

} // namespace handoff::test
