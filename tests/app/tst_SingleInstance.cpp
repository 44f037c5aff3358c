// Single instance: the message framing (table-driven), two SingleInstance
// objects in one folder, recovery from a crashed first instance, and the real
// `handoff` binary: a second process forwards its link to the first and exits 0.

#include "app/InstanceMessage.h"
#include "app/SingleInstance.h"
#include "tests/support/TestPaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using handoff::app::InstanceMessage;
using handoff::app::SingleInstance;
using handoff::test::TestPaths;

Q_DECLARE_METATYPE(InstanceMessage::Type)

namespace {

// Loopback, port 9: the first instance tries to connect and gets refused, no traffic leaves the machine.
const QString Link = QStringLiteral("http://127.0.0.1:9/s/sess_0123456789abcdefghijKL#t=abcdefghijklmnopqrstuvwx");

QByteArray frame(QByteArray payload)
{
    QByteArray length(4, '\0');
    const auto size = quint32(payload.size());
    length[0] = char(size >> 24);
    length[1] = char(size >> 16);
    length[2] = char(size >> 8);
    length[3] = char(size);
    return length + payload;
}

QProcessEnvironment offscreen()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

// A settings file for the real app in `dir` that has already answered the
// first-start question about handoff:// links: the app then starts no xdg-mime
// child, which, killed half-way through being spawned, would briefly hold the
// lock file's flock and make the lock look alive.
QString answeredSettings(const QTemporaryDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("settings.ini"));
    QSettings settings(path, QSettings::IniFormat);
    settings.setValue(QStringLiteral("desktop/schemeHandlerAnswer"), QStringLiteral("declined"));
    settings.sync();
    return path;
}

// Sets an environment variable (or removes it, for a null value) for the scope.
class ScopedEnv final {
public:
    ScopedEnv(const char* name, const QByteArray& value) : m_name(name), m_old(qgetenv(name)), m_had(qEnvironmentVariableIsSet(name))
    {
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    Q_DISABLE_COPY_MOVE(ScopedEnv)

private:
    const char* m_name;
    QByteArray m_old;
    bool m_had;
};

bool ownerOnly(const QString& path)
{
    const QFileInfo info(path);
    return info.isDir() && info.ownerId() == uint(::geteuid())
           && !(info.permissions() & (QFileDevice::WriteGroup | QFileDevice::WriteOther | QFileDevice::ReadOther));
}

} // namespace

class TestSingleInstance final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void waitsForWholeMessages();
    void rejectsBadMessages_data();
    void rejectsBadMessages();
    void secondInstanceReachesTheFirst();
    void staleLockIsTakenOver();
    void secondProcessForwardsItsLinkAndExits0();
    void defaultFolderIsNeverInTheSharedTemp();
    void refusesAFolderOthersMayWriteTo();
};

void TestSingleInstance::roundTrip_data()
{
    QTest::addColumn<InstanceMessage::Type>("type");
    QTest::addColumn<QString>("link");
    QTest::newRow("activate") << InstanceMessage::Type::Activate << QString();
    QTest::newRow("open link") << InstanceMessage::Type::OpenLink << Link;
    QTest::newRow("accepted") << InstanceMessage::Type::Accepted << QString();
    QTest::newRow("link with separators") << InstanceMessage::Type::OpenLink
                                          << QString::fromUtf16(u"a\nb\0c;d|e", 9);
    QTest::newRow("unicode") << InstanceMessage::Type::OpenLink << QStringLiteral("handoff://s/ü#t=😀");
}

void TestSingleInstance::roundTrip()
{
    QFETCH(InstanceMessage::Type, type);
    QFETCH(QString, link);
    QByteArray buffer = InstanceMessage{type, link}.encode();
    buffer += InstanceMessage{InstanceMessage::Type::Accepted, {}}.encode(); // a second one behind it
    auto taken = InstanceMessage::takeFrom(buffer);
    QVERIFY(taken.ok());
    QVERIFY(taken->has_value());
    QCOMPARE((*taken)->type, type);
    QCOMPARE((*taken)->link, link);
    auto second = InstanceMessage::takeFrom(buffer);
    QVERIFY(second.ok() && second->has_value());
    QCOMPARE((*second)->type, InstanceMessage::Type::Accepted);
    QVERIFY(buffer.isEmpty());
}

void TestSingleInstance::waitsForWholeMessages()
{
    const QByteArray whole = InstanceMessage{InstanceMessage::Type::OpenLink, Link}.encode();
    for (qsizetype cut : {0, 1, 3, 4, 10, int(whole.size()) - 1}) {
        QByteArray buffer = whole.left(cut);
        auto taken = InstanceMessage::takeFrom(buffer);
        QVERIFY(taken.ok());
        QVERIFY(!taken->has_value());
        QCOMPARE(buffer.size(), cut); // nothing consumed
    }
}

void TestSingleInstance::rejectsBadMessages_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("code");
    QTest::newRow("zero length") << frame(QByteArray()) << QStringLiteral("bad_length");
    QTest::newRow("huge length") << QByteArray::fromHex("7fffffff") + QByteArray(10, 'x') << QStringLiteral("bad_length");
    QTest::newRow("just over the limit") << QByteArray::fromHex("00010001") << QStringLiteral("bad_length");
    QTest::newRow("garbage payload") << frame("\x01") << QStringLiteral("malformed");
    QTest::newRow("trailing bytes") << frame(InstanceMessage{InstanceMessage::Type::Activate, {}}.encode().mid(4) + "x")
                                    << QStringLiteral("malformed");
    QByteArray unknownType = InstanceMessage{InstanceMessage::Type::Activate, {}}.encode();
    unknownType[8] = char(99);
    QTest::newRow("unknown type") << unknownType << QStringLiteral("bad_type");
    QByteArray wrongVersion = InstanceMessage{InstanceMessage::Type::Activate, {}}.encode();
    wrongVersion[7] = char(2);
    QTest::newRow("wrong version") << wrongVersion << QStringLiteral("bad_version");
}

void TestSingleInstance::rejectsBadMessages()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, code);
    auto taken = InstanceMessage::takeFrom(bytes);
    QVERIFY(!taken.ok());
    QCOMPARE(taken.error().code, code);
}

void TestSingleInstance::secondInstanceReachesTheFirst()
{
    QTemporaryDir dir;
    SingleInstance first(dir.path());
    QCOMPARE(first.claim().value(), SingleInstance::Role::Primary);
    QSignalSpy received(&first, &SingleInstance::messageReceived);

    // The second one blocks while it waits for the answer, so it runs on another thread.
    std::atomic<bool> delivered = false;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        SingleInstance second(dir.path());
        if (second.claim().value() == SingleInstance::Role::Secondary)
            delivered = second.sendToPrimary({InstanceMessage::Type::OpenLink, Link}).ok();
    }));
    thread->start();
    QTRY_VERIFY_WITH_TIMEOUT(thread->isFinished(), 10000);
    QVERIFY(delivered);
    QTRY_COMPARE(received.count(), 1);
    const auto message = received.first().at(0).value<InstanceMessage>();
    QCOMPARE(message.type, InstanceMessage::Type::OpenLink);
    QCOMPARE(message.link, Link);
    QVERIFY(QFileInfo(first.lockPath()).exists());
}

void TestSingleInstance::staleLockIsTakenOver()
{
    const QString program = TestPaths::program(QStringLiteral("handoff"));
    if (program.isEmpty())
        QSKIP("the handoff program is not built");
    QTemporaryDir dir;
    QProcess crashed;
    crashed.setProcessEnvironment(offscreen());
    crashed.start(program, {QStringLiteral("--instance-dir"), dir.path(), QStringLiteral("--config"),
                            answeredSettings(dir)});
    SingleInstance probe(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(probe.serverName()), 20000);
    crashed.kill(); // SIGKILL: lock file and socket stay behind
    QVERIFY(crashed.waitForFinished(10000));
    QVERIFY(QFileInfo::exists(probe.lockPath()));

    SingleInstance next(dir.path());
    QCOMPARE(next.claim().value(), SingleInstance::Role::Primary);
}

void TestSingleInstance::secondProcessForwardsItsLinkAndExits0()
{
    const QString program = TestPaths::program(QStringLiteral("handoff"));
    if (program.isEmpty())
        QSKIP("the handoff program is not built");
    QTemporaryDir dir;
    const QStringList common{QStringLiteral("--instance-dir"), dir.path(), QStringLiteral("--config"),
                             answeredSettings(dir)};
    QProcess first;
    first.setProcessEnvironment(offscreen());
    first.setProcessChannelMode(QProcess::MergedChannels);
    first.start(program, common);
    QVERIFY(first.waitForStarted(10000));
    SingleInstance probe(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(probe.serverName()), 20000);

    QProcess second;
    second.setProcessEnvironment(offscreen());
    second.start(program, common + QStringList{Link});
    QVERIFY(second.waitForFinished(30000));
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);

    // The first instance got the link and opened it (its log names the session, never the token).
    QByteArray log;
    QTRY_VERIFY_WITH_TIMEOUT((log += first.readAll()).contains("sess_0123456789abcdefghijKL"), 10000);
    QVERIFY(!log.contains("abcdefghijklmnopqrstuvwx"));
    QCOMPARE(first.state(), QProcess::Running);
    first.terminate();
    if (!first.waitForFinished(5000))
        first.kill();
}

void TestSingleInstance::defaultFolderIsNeverInTheSharedTemp()
{
    // A session without XDG_RUNTIME_DIR (a cron job, su, ssh without logind), and a
    // stand-in for the shared /tmp where any local user may create names first.
    QTemporaryDir sharedTemp;
    QTemporaryDir cache;
    const ScopedEnv tmpdir("TMPDIR", sharedTemp.path().toLocal8Bit());
    const ScopedEnv runtime("XDG_RUNTIME_DIR", QByteArray());
    const ScopedEnv cacheHome("XDG_CACHE_HOME", cache.path().toLocal8Bit());

    QString folder = SingleInstance::defaultDirectory();
    QVERIFY2(!folder.startsWith(sharedTemp.path()), qPrintable(folder));

    // Someone else took the per-user name there (a plain file stands for their folder).
    const passwd* me = ::getpwuid(::geteuid());
    QVERIFY(me);
    QFile squatter(QDir(sharedTemp.path()).filePath(QStringLiteral("runtime-") + QString::fromLocal8Bit(me->pw_name)));
    QVERIFY(squatter.open(QIODevice::WriteOnly));
    squatter.close();
    folder = SingleInstance::defaultDirectory();
    QVERIFY2(!folder.startsWith(sharedTemp.path()), qPrintable(folder));

    // A runtime folder others may write to is not used either.
    QTemporaryDir openRuntime;
    QVERIFY(QFile::setPermissions(openRuntime.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                          | QFileDevice::WriteGroup | QFileDevice::WriteOther
                                                          | QFileDevice::ExeGroup | QFileDevice::ExeOther));
    {
        const ScopedEnv loose("XDG_RUNTIME_DIR", openRuntime.path().toLocal8Bit());
        QVERIFY2(!SingleInstance::defaultDirectory().startsWith(openRuntime.path()),
                 qPrintable(SingleInstance::defaultDirectory()));
    }

    // The folder it uses instead is made owner-only, and works.
    SingleInstance first{QString()};
    QCOMPARE(first.claim().value(), SingleInstance::Role::Primary);
    const QString used = QFileInfo(first.lockPath()).absolutePath();
    QVERIFY2(used.startsWith(cache.path()), qPrintable(used));
    QVERIFY2(ownerOnly(used), qPrintable(used));
}

void TestSingleInstance::refusesAFolderOthersMayWriteTo()
{
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                  | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther));
    SingleInstance instance(dir.path());
    const auto claimed = instance.claim();
    QVERIFY(!claimed.ok());
    QCOMPARE(claimed.error().code, QStringLiteral("folder_not_private"));
    QVERIFY(!QFileInfo::exists(instance.lockPath()));
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_SingleInstance.moc"
