#pragma once

// Synchronous HTTP for tests, through QNetworkAccessManager.

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace handoff::test {

struct HttpResult final {
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QList<QNetworkReply::RawHeaderPair> headers;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const { return json().value(QStringLiteral("error")).toString(); }
    QByteArray header(const QByteArray& name) const
    {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0) {
                return value;
            }
        }
        return {};
    }
};

class HttpTestClient final {
public:
    HttpResult send(const QByteArray& method, const QUrl& url, const QByteArray& apiKey = {},
                    const QByteArray& body = {}, const QByteArray& contentType = "application/json")
    {
        QNetworkRequest request(url);
        if (!apiKey.isEmpty()) {
            request.setRawHeader("Authorization", "Bearer " + apiKey);
        }
        if (!body.isEmpty() || method == "POST") {
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        }
        QNetworkReply* reply = m_manager.sendCustomRequest(request, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(15'000, &loop, &QEventLoop::quit);
        loop.exec();
        HttpResult result;
        if (!reply->isFinished()) {
            reply->abort();
            result.error = QNetworkReply::TimeoutError;
        } else {
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.body = reply->readAll();
            result.error = reply->error();
            result.headers = reply->rawHeaderPairs();
        }
        reply->deleteLater();
        return result;
    }

    HttpResult get(const QUrl& url, const QByteArray& apiKey = {}) { return send("GET", url, apiKey); }
    HttpResult post(const QUrl& url, const QByteArray& apiKey, const QByteArray& body = {})
    {
        return send("POST", url, apiKey, body);
    }
    HttpResult postJson(const QUrl& url, const QByteArray& apiKey, const QJsonObject& object)
    {
        return send("POST", url, apiKey, QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    HttpResult del(const QUrl& url, const QByteArray& apiKey) { return send("DELETE", url, apiKey); }

    // The value of one sample on a Prometheus text page such as /metrics, named
    // exactly, e.g. metric(url, R"(handoff_sessions{status="PENDING"})"); -1 when absent.
    qint64 metric(const QUrl& metricsUrl, const QByteArray& sample)
    {
        const QList<QByteArray> lines = get(metricsUrl).body.split('\n');
        for (const QByteArray& line : lines) {
            if (line.startsWith(sample + ' ')) {
                return line.mid(sample.size() + 1).toLongLong();
            }
        }
        return -1;
    }

private:
    QNetworkAccessManager m_manager;
};

} // namespace handoff::test
