#pragma once

// A client notification endpoint for CIBA tests: a small HTTP/1.1 server on a
// loopback port that records every request it receives (method, path, headers,
// body) and answers each by a script: respond with a status, close the socket
// without answering, or hold the connection open without ever answering. When
// the script has run out it answers 204 No Content. Each answer closes the
// connection.
//
//   NotificationReceiver receiver;
//   QVERIFY(receiver.listen());
//   receiver.script({Action::respond(500), Action::close()});   // then 204
//   QVERIFY(receiver.waitForRequests(3));
//   QCOMPARE(receiver.requests().at(2).header("authorization"), "Bearer t");
//   std::optional<Request> ping = receiver.waitFor(authReqId, "/ping");

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <optional>

namespace handoff::test {

class NotificationReceiver final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationReceiver)

public:
    struct Action final {
        enum class Kind { Respond, Close, Hold };
        Kind kind = Kind::Respond;
        int status = 204;
        static Action respond(int status) { return {Kind::Respond, status}; }
        static Action close() { return {Kind::Close, 0}; }
        static Action hold() { return {Kind::Hold, 0}; }
    };

    struct Request final {
        QByteArray method;
        QByteArray path;
        QMap<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
        QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
        QJsonObject json() const;
    };

    explicit NotificationReceiver(QObject* parent = nullptr);
    ~NotificationReceiver() override;

    // On 127.0.0.1; port 0 picks a free one.
    bool listen(quint16 port = 0);
    void close();
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString& path) const;

    void script(const QList<Action>& actions) { m_script = actions; }
    const QList<Request>& requests() const { return m_requests; }
    void clear() { m_requests.clear(); }
    // Requests to `path` (all paths when empty).
    QList<Request> requestsTo(const QByteArray& path) const;
    bool waitForRequests(qsizetype count, const QByteArray& path = {}, int timeoutMs = 30'000) const;
    // Requests to `path` whose JSON body names this auth_req_id (CIBA notifications).
    QList<Request> requestsFor(const QString& authReqId, const QByteArray& path) const;
    // The first of them, waiting for it up to `timeoutMs`.
    std::optional<Request> waitFor(const QString& authReqId, const QByteArray& path, int timeoutMs = 30'000) const;

    static constexpr qsizetype MaxRequestBytes = 1024 * 1024;

private:
    void onConnection();
    void onReadable(QTcpSocket* socket);

    QTcpServer m_server;
    QList<Action> m_script;
    QList<Request> m_requests;
    QMap<QTcpSocket*, QByteArray> m_buffers;
    QList<QPointer<QTcpSocket>> m_held;
};

} // namespace handoff::test
