#pragma once

// Helpers for the agent's browser tests: run one CDP command to completion,
// evaluate an expression in the page, wait for a condition in the page.

#include "agent/cdp/CdpClient.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QJsonValue>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

namespace handoff::agent::testutil {

inline Result<QJsonObject> call(CdpClient& client, const QString& method, const QJsonObject& params = {},
                                int timeoutMs = 15000)
{
    std::optional<Result<QJsonObject>> result;
    QEventLoop loop;
    client.send(
        method, params,
        [&](const Result<QJsonObject>& r) {
            result = r;
            loop.quit();
        },
        timeoutMs);
    if (!result) {
        loop.exec();
    }
    return *result;
}

// The value of `expression` evaluated in the page (promises awaited), or an
// undefined QJsonValue when it threw or CDP failed.
inline QJsonValue evaluate(CdpClient& client, const QString& expression)
{
    const Result<QJsonObject> r = call(client, QStringLiteral("Runtime.evaluate"),
                                       QJsonObject{{QStringLiteral("expression"), expression},
                                                   {QStringLiteral("returnByValue"), true},
                                                   {QStringLiteral("awaitPromise"), true}});
    if (!r || r->contains(QLatin1String("exceptionDetails"))) {
        return QJsonValue(QJsonValue::Undefined);
    }
    return r->value(QLatin1String("result")).toObject().value(QLatin1String("value"));
}

// Polls `expression` until it evaluates to true.
inline bool waitForTrue(CdpClient& client, const QString& expression, int timeoutMs = 10000)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (evaluate(client, expression).toBool()) {
            return true;
        }
        QTest::qWait(50);
    }
    return false;
}

inline bool connectClient(CdpClient& client, const QUrl& endpoint, const QString& selector = {})
{
    QSignalSpy connectedSpy(&client, &CdpClient::connected);
    QSignalSpy failedSpy(&client, &CdpClient::connectFailed);
    client.connectTo(endpoint, selector);
    const QDeadlineTimer deadline(15000);
    while (connectedSpy.isEmpty() && failedSpy.isEmpty() && !deadline.hasExpired()) {
        QTest::qWait(20);
    }
    return !connectedSpy.isEmpty();
}

// Navigates and waits for the load event.
inline bool navigate(CdpClient& client, const QUrl& url)
{
    if (!call(client, QStringLiteral("Page.enable"))) {
        return false;
    }
    QSignalSpy events(&client, &CdpClient::eventReceived);
    if (!call(client, QStringLiteral("Page.navigate"),
              QJsonObject{{QStringLiteral("url"), url.toString(QUrl::FullyEncoded)}})) {
        return false;
    }
    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        for (const QList<QVariant>& args : std::as_const(events)) {
            if (args.at(0).toString() == QLatin1String("Page.loadEventFired")) {
                return true;
            }
        }
        QTest::qWait(20);
    }
    return false;
}

} // namespace handoff::agent::testutil
