// The first-start question about handoff:// links, against the real xdg-mime of
// xdg-utils in a desktop session of the test's own (temporary XDG folders, no
// desktop environment): asked only when nothing handles the links and only once;
// "Not Now" changes nothing; "Open Links with Handoff" makes this executable the
// handler; another program's registration is left alone.

#include "app/SchemeHandlerOffer.h"
#include "app/platform/SchemeHandlerRegistration.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace handoff::app;

namespace {

const QString desktopId = QStringLiteral("invalid.handoff.Handoff.desktop");
const QString mimeType = QStringLiteral("x-scheme-handler/handoff");

QString xdgMime(const QStringList& arguments)
{
    QProcess process;
    process.start(QStandardPaths::findExecutable(QStringLiteral("xdg-mime")), arguments);
    if (!process.waitForFinished(10'000))
        return QStringLiteral("<xdg-mime did not finish>");
    return QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
}

} // namespace

class TestSchemeHandlerOffer final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_desktop; // one fresh desktop session per test
    std::unique_ptr<QSettings> m_settings;

    SchemeHandlerRegistration registration() const
    {
        return SchemeHandlerRegistration(desktopId, QCoreApplication::applicationFilePath());
    }
    QString applicationsDir() const { return m_desktop->filePath(QStringLiteral("data/applications")); }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("xdg-mime")).isEmpty())
            QFAIL("xdg-mime (xdg-utils) is missing: scripts/test installs it");
        for (const char* name : {"XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION",
                                 "GNOME_DESKTOP_SESSION_ID", "XDG_MENU_PREFIX"})
            qunsetenv(name);
    }

    void init()
    {
        m_desktop = std::make_unique<QTemporaryDir>();
        QVERIFY(m_desktop->isValid());
        for (const char* sub : {"config", "data", "config-dirs", "data-dirs"})
            QVERIFY(QDir().mkpath(m_desktop->filePath(QString::fromLatin1(sub))));
        qputenv("XDG_CONFIG_HOME", m_desktop->filePath(QStringLiteral("config")).toLocal8Bit());
        qputenv("XDG_DATA_HOME", m_desktop->filePath(QStringLiteral("data")).toLocal8Bit());
        qputenv("XDG_CONFIG_DIRS", m_desktop->filePath(QStringLiteral("config-dirs")).toLocal8Bit());
        qputenv("XDG_DATA_DIRS", m_desktop->filePath(QStringLiteral("data-dirs")).toLocal8Bit());
        m_settings = std::make_unique<QSettings>(m_desktop->filePath(QStringLiteral("handoff.ini")), QSettings::IniFormat);
        QCOMPARE(xdgMime({QStringLiteral("query"), QStringLiteral("default"), mimeType}), QString());
    }

    void cleanup()
    {
        m_settings.reset();
        m_desktop.reset();
    }

    void notNowChangesNothingAndIsNotAskedAgain()
    {
        SchemeHandlerOffer offer(registration(), m_settings.get());
        QCOMPARE(registration().status(), SchemeHandlerRegistration::Status::NoHandler);
        QVERIFY(offer.isDue());
        QSignalSpy answered(&offer, &SchemeHandlerOffer::answered);
        QVERIFY(offer.offerIfDue());
        QMessageBox* box = offer.question();
        QVERIFY(box);
        QVERIFY(box->isVisible()); // shown without a nested event loop: offerIfDue() has returned
        QVERIFY(!offer.offerIfDue()); // one question at a time
        auto* decline = box->findChild<QPushButton*>(QStringLiteral("declineSchemeHandler"));
        QVERIFY(decline);
        QTest::mouseClick(decline, Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        QCOMPARE(answered.first().first().toBool(), false);

        QCOMPARE(xdgMime({QStringLiteral("query"), QStringLiteral("default"), mimeType}), QString());
        QVERIFY(!QFile::exists(QDir(applicationsDir()).filePath(desktopId)));
        QVERIFY(!offer.isDue());
        // The next start reads the remembered answer.
        m_settings->sync();
        QSettings reread(m_settings->fileName(), QSettings::IniFormat);
        SchemeHandlerOffer nextStart(registration(), &reread);
        QVERIFY(!nextStart.isDue());
        QVERIFY(!nextStart.offerIfDue());
    }

    void yesMakesThisExecutableTheHandler()
    {
        SchemeHandlerOffer offer(registration(), m_settings.get());
        QSignalSpy answered(&offer, &SchemeHandlerOffer::answered);
        QVERIFY(offer.offerIfDue());
        auto* accept = offer.question()->findChild<QPushButton*>(QStringLiteral("registerSchemeHandler"));
        QVERIFY(accept);
        QTest::mouseClick(accept, Qt::LeftButton);
        QTRY_COMPARE(answered.count(), 1);
        QCOMPARE(answered.first().first().toBool(), true);

        QCOMPARE(xdgMime({QStringLiteral("query"), QStringLiteral("default"), mimeType}), desktopId);
        QCOMPARE(registration().status(), SchemeHandlerRegistration::Status::ThisApp);
        QFile entry(QDir(applicationsDir()).filePath(desktopId));
        QVERIFY(entry.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(entry.readAll());
        QVERIFY2(text.contains(QStringLiteral("Exec=\"%1\" %u").arg(QCoreApplication::applicationFilePath())), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("MimeType=x-scheme-handler/handoff;")));
        // Registered: never asked again, whatever the remembered answer.
        QVERIFY(!SchemeHandlerOffer(registration(), m_settings.get()).isDue());
    }

    void anotherHandlerIsLeftAlone()
    {
        QVERIFY(QDir().mkpath(applicationsDir()));
        QFile other(QDir(applicationsDir()).filePath(QStringLiteral("other-links.desktop")));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write("[Desktop Entry]\nType=Application\nName=Other\nExec=/bin/true %u\n"
                    "MimeType=x-scheme-handler/handoff;\n");
        other.close();
        xdgMime({QStringLiteral("default"), QStringLiteral("other-links.desktop"), mimeType});
        QCOMPARE(xdgMime({QStringLiteral("query"), QStringLiteral("default"), mimeType}), QStringLiteral("other-links.desktop"));

        SchemeHandlerOffer offer(registration(), m_settings.get());
        QCOMPARE(registration().status(), SchemeHandlerRegistration::Status::OtherApp);
        QVERIFY(!offer.isDue());
        QVERIFY(!offer.offerIfDue());
        QVERIFY(!offer.question());
        QCOMPARE(xdgMime({QStringLiteral("query"), QStringLiteral("default"), mimeType}), QStringLiteral("other-links.desktop"));
    }

    void escapeDeclines()
    {
        SchemeHandlerOffer offer(registration(), m_settings.get());
        QSignalSpy answered(&offer, &SchemeHandlerOffer::answered);
        QVERIFY(offer.offerIfDue());
        QMessageBox* box = offer.question();
        box->activateWindow();
        QTest::keyClick(box, Qt::Key_Escape);
        QTRY_COMPARE(answered.count(), 1);
        QCOMPARE(answered.first().first().toBool(), false);
        QCOMPARE(xdgMime({QStringLiteral("query"), QStringLiteral("default"), mimeType}), QString());
    }
};

QTEST_MAIN(TestSchemeHandlerOffer)
#include "tst_SchemeHandlerOffer.moc"
