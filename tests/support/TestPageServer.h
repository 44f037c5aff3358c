#pragma once

// A tiny HTTP/1.1 server on 127.0.0.1 for browser tests: serves fixed pages by
// path and records every request (method, path, headers, body) so that a test
// can see what a form submitted. One request per connection, Connection: close.
// setResponse() also answers with any status and extra headers, for tests of
// how a client copes with a server that redirects, fails or floods it.

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace handoff::test {

struct RecordedRequest final {
    QByteArray method;
    QByteArray path; // with the query, as sent
    QByteArray body;
    QByteArray headers; // the raw header lines after the request line

    // The value of a header (name without case), or empty.
    QByteArray header(const QByteArray& name) const;
};

class TestPageServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestPageServer)

public:
    explicit TestPageServer(QObject* parent = nullptr);
    ~TestPageServer() override;

    bool listen();
    quint16 port() const;
    // http://127.0.0.1:<port><path>
    QUrl url(const QString& path) const;

    // Serves `body` for GET and POST on `path` (without the query).
    void setPage(const QByteArray& path, const QByteArray& body,
                 const QByteArray& contentType = QByteArrayLiteral("text/html; charset=utf-8"));
    // Answers GET and POST on `path` with `status` (e.g. 302, 503), `body` and
    // `extraHeaders` ("Name: value\r\n" lines).
    void setResponse(const QByteArray& path, int status, const QByteArray& body,
                     const QByteArray& contentType = QByteArrayLiteral("application/json"),
                     const QByteArray& extraHeaders = {});

    const QList<RecordedRequest>& requests() const { return m_requests; }

Q_SIGNALS:
    void requestReceived(const handoff::test::RecordedRequest& request);

private:
    struct Page final {
        QByteArray body;
        QByteArray contentType;
        int status = 200;
        QByteArray extraHeaders;
    };
    void onReadyRead(QTcpSocket* socket);

    QTcpServer* m_server = nullptr;
    QHash<QByteArray, Page> m_pages;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QList<RecordedRequest> m_requests;
};

} // namespace handoff::test
