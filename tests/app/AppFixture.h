#pragma once

// The desktop app in-process for app-level tests: a real AppController with its
// own settings file and instance folder, next to a real handoff-server (users,
// pairing links, a CIBA poll client) and the real keychain of the test
// environment. Tests drive the app's own classes and widgets with QTest.
//
//   AppFixture fixture;
//   QVERIFY2(fixture.startServer({"frank@example.com"}), ...);
//   auto app = fixture.makeApp();
//   QVERIFY(fixture.pairThroughLink(*app, "frank@example.com", "Laptop A"));

#include "app/AppController.h"
#include "app/Application.h"
#include "app/ApprovalController.h"
#include "app/DeviceAccounts.h"
#include "app/DeviceChannels.h"
#include "app/LinkRouter.h"
#include "app/PairDeviceDialog.h"
#include "app/SingleInstance.h"
#include "app/TrayController.h"
#include "core/device/DeviceClient.h"
#include "core/keystore/Keystore.h"
#include "tests/support/CibaCli.h"
#include "tests/server/HttpTestClient.h"
#include "tests/support/TestServer.h"

#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace handoff::test {

class AppFixture final {
public:
    AppFixture() = default;
    Q_DISABLE_COPY_MOVE(AppFixture)

    ~AppFixture()
    {
        // Leave no device keys behind in the test keychain.
        for (const QString& keyName : std::as_const(m_keyNames)) {
            bool finished = false;
            m_keystore.remove(keyName, [&finished](const Result<void>&) { finished = true; });
            (void)QTest::qWaitFor([&finished] { return finished; }, 5000);
        }
    }

    TestServer& server() { return m_server; }
    const TestServer& server() const { return m_server; }
    keystore::Keystore& keystore() { return m_keystore; }
    QString clientId() const { return m_clientId; }
    QString clientSecret() const { return m_clientSecret; }

    // Starts handoff-server, adds `users` and a CIBA poll client polling every second.
    bool startServer(const QStringList& users)
    {
        if (!m_dir.isValid() || !m_server.start()) {
            return false;
        }
        for (const QString& user : users) {
            if (runCli(m_server, {QStringLiteral("users"), QStringLiteral("add"), user}).exitCode != 0) {
                return false;
            }
        }
        const CliResult client =
            runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"), QStringLiteral("--name"),
                              QStringLiteral("Deploy bot"), QStringLiteral("--mode"), QStringLiteral("poll"),
                              QStringLiteral("--interval"), QStringLiteral("1")});
        m_clientId = clientFieldFrom(client.out, QStringLiteral("client_id"));
        m_clientSecret = clientFieldFrom(client.out, QStringLiteral("client_secret"));
        return client.exitCode == 0 && !m_clientId.isEmpty() && !m_clientSecret.isEmpty();
    }

    QString settingsPath() const { return m_dir.filePath(QStringLiteral("settings.ini")); }

    // A new app on the same settings file, as if started again. Channels start with start().
    std::unique_ptr<app::AppController> makeApp()
    {
        m_instance.reset();
        m_settings.reset();
        m_settings = std::make_unique<QSettings>(settingsPath(), QSettings::IniFormat);
        m_instance = std::make_unique<app::SingleInstance>(m_dir.filePath(QStringLiteral("instance")));
        if (!m_instance->claim().ok()) {
            return nullptr;
        }
        auto* application = qobject_cast<app::Application*>(QCoreApplication::instance());
        auto controller = std::make_unique<app::AppController>(application, m_instance.get(), m_settings.get());
        // A trust question would block in a modal box: tests see whether it was asked.
        controller->router()->setTrustQuestion([this](const QString& origin, const QString&) {
            m_trustQuestions.append(origin);
            return false;
        });
        return controller;
    }
    const QStringList& trustQuestions() const { return m_trustQuestions; }

    QString pairingLink(const QString& user)
    {
        return pairingLinkFrom(runCli(m_server, {QStringLiteral("devices"), QStringLiteral("pair"), user}).out);
    }

    // The whole pairing as a person does it: the link through the LinkRouter, then a
    // click on Pair in the dialog. Returns the new account's key name, or empty.
    QString pairThroughLink(app::AppController& app, const QString& user, const QString& deviceName)
    {
        const QString link = pairingLink(user);
        if (!app.router()->open(link, app::LinkRouter::Source::CommandLine).ok()) {
            return {};
        }
        app::PairDeviceDialog* dialog = app.pairDialog();
        if (!dialog || !QTest::qWaitForWindowExposed(dialog)) {
            return {};
        }
        dialog->nameField()->setText(deviceName);
        QTest::mouseClick(dialog->pairButton(), Qt::LeftButton);
        if (!QTest::qWaitFor([dialog] { return dialog->isPaired(); }, 30'000)) {
            qWarning() << "pairing did not finish:" << dialog->resultText();
            return {};
        }
        QString keyName;
        const QList<device::DeviceAccount> accounts = app.accounts()->accounts();
        for (const device::DeviceAccount& account : accounts) {
            if (account.deviceName == deviceName && account.user.compare(user, Qt::CaseInsensitive) == 0) {
                keyName = account.keyName;
            }
        }
        dialog->close();
        if (!keyName.isEmpty()) {
            m_keyNames.append(keyName);
        }
        return keyName;
    }

    // A second device of `user` outside the app: the real DeviceClient with its own key.
    std::unique_ptr<device::DeviceClient> pairOtherDevice(const QString& user, const QString& deviceName)
    {
        Result<device::PairingLink> link = device::PairingLink::parse(pairingLink(user));
        if (!link) {
            return nullptr;
        }
        auto client = std::make_unique<device::DeviceClient>(m_keystore);
        QSignalSpy paired(client.get(), &device::DeviceClient::paired);
        client->pair(*link, deviceName);
        if (!paired.wait(30'000)) {
            return nullptr;
        }
        const auto account = paired.first().first().value<device::DeviceAccount>();
        m_keyNames.append(account.keyName);
        client->start(account);
        if (!QTest::qWaitFor([&client] { return client->state() == device::DeviceClient::State::Online; }, 30'000)) {
            return nullptr;
        }
        return client;
    }

    bool isOnline(app::AppController& app, const QString& keyName)
    {
        return QTest::qWaitFor(
            [&app, &keyName] {
                const device::DeviceClient* client = app.channels()->client(keyName);
                return client && client->state() == device::DeviceClient::State::Online;
            },
            30'000);
    }

    struct Client final {
        QString id;
        QString secret;
    };
    Client pollClient() const { return Client{m_clientId, m_clientSecret}; }
    // Another CIBA poll client named `name`.
    Client createClient(const QString& name)
    {
        const CliResult created = runCli(m_server, {QStringLiteral("clients"), QStringLiteral("create"),
                                                    QStringLiteral("--name"), name, QStringLiteral("--mode"),
                                                    QStringLiteral("poll")});
        return Client{clientFieldFrom(created.out, QStringLiteral("client_id")),
                      clientFieldFrom(created.out, QStringLiteral("client_secret"))};
    }

    // POST /bc-authorize as the poll client (or `client`); the auth_req_id, or empty.
    QString bcAuthorize(const QString& user, const QString& message, int expirySeconds = 300,
                        const std::optional<Client>& client = std::nullopt)
    {
        const QByteArray body = "scope=openid&login_hint=" + QUrl::toPercentEncoding(user) + "&requested_expiry="
                                + QByteArray::number(expirySeconds)
                                + "&binding_message=" + QUrl::toPercentEncoding(message);
        return post(QStringLiteral("/bc-authorize"), body, client.value_or(pollClient()))
            .json()
            .value(QStringLiteral("auth_req_id"))
            .toString();
    }

    // POST /token for `authReqId` as the poll client (or `client`).
    HttpResult token(const QString& authReqId, const std::optional<Client>& client = std::nullopt)
    {
        return post(QStringLiteral("/token"),
                    "grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=" + QUrl::toPercentEncoding(authReqId),
                    client.value_or(pollClient()));
    }

    // Whether the keychain still holds `keyName`: true, false, or nullopt when it could not tell.
    std::optional<bool> keychainHolds(const QString& keyName)
    {
        std::optional<bool> holds;
        bool finished = false;
        m_keystore.read(keyName, [&](const Result<crypto::SecretBytes>& secret) {
            finished = true;
            if (secret) {
                holds = true;
            } else if (secret.error().code == QLatin1String("not_found")) {
                holds = false;
            }
        });
        (void)QTest::qWaitFor([&finished] { return finished; }, 10'000);
        return holds;
    }

    static QStringList menuTexts(const app::TrayController& tray)
    {
        QStringList texts;
        for (const QAction* action : tray.menu()->actions()) {
            if (!action->text().isEmpty()) {
                texts << action->text();
            }
        }
        return texts;
    }
    static QAction* menuAction(const app::TrayController& tray, const QString& startsWith)
    {
        for (QAction* action : tray.menu()->actions()) {
            if (action->text().startsWith(startsWith)) {
                return action;
            }
        }
        return nullptr;
    }

private:
    HttpResult post(const QString& path, const QByteArray& body, const Client& client)
    {
        QNetworkRequest request(m_server.url(path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
        request.setRawHeader("Authorization",
                             "Basic " + (client.id + QLatin1Char(':') + client.secret).toUtf8().toBase64());
        QNetworkAccessManager network;
        QNetworkReply* reply = network.post(request, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        HttpResult result;
        if (finished.wait(15'000)) {
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.body = reply->readAll();
            result.error = reply->error();
        }
        reply->deleteLater();
        return result;
    }

    QTemporaryDir m_dir;
    TestServer m_server;
    keystore::Keystore m_keystore{device::DeviceClient::keychainService()};
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<app::SingleInstance> m_instance;
    QString m_clientId;
    QString m_clientSecret;
    QStringList m_keyNames;
    QStringList m_trustQuestions;
};

} // namespace handoff::test

// Tests of the app need its own QApplication (app::Application), as AppController takes one.
#define HANDOFF_APP_TEST_MAIN(TestObject)                                                                              \
    int main(int argc, char** argv)                                                                                    \
    {                                                                                                                  \
        handoff::app::Application application(argc, argv);                                                             \
        QApplication::setApplicationName(QStringLiteral("Handoff tests"));                                             \
        TestObject test;                                                                                               \
        return QTest::qExec(&test, argc, argv);                                                                        \
    }
