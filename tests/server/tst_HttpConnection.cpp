// What HttpConnection does to the sockets it takes, beyond HTTP itself (which
// tst_HttpRobustness and tst_SessionApi cover through the real server).

#include "server/http/HttpConnection.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace handoff::server;

class tst_HttpConnection final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Relayed frames and input are small-to-medium writes that must not wait
    // for the peer's delayed ACK: every accepted socket sends without Nagle.
    void acceptedSocketsSendWithoutDelay()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        QVERIFY(listener.waitForNewConnection(5000));
        QTcpSocket* accepted = listener.nextPendingConnection();
        QVERIFY(accepted);
        QCOMPARE(accepted->socketOption(QAbstractSocket::LowDelayOption).toInt(), 0); // the kernel's default

        HttpConnection::Settings settings;
        settings.handler = [](const HttpRequest&) { return HttpResponse::json(200, QJsonObject{}); };
        auto* connection = new HttpConnection(accepted, settings);
        QCOMPARE(accepted->socketOption(QAbstractSocket::LowDelayOption).toInt(), 1);
        delete connection;
    }
};

QTEST_GUILESS_MAIN(tst_HttpConnection)
#include "tst_HttpConnection.moc"
