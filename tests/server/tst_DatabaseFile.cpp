// The server's data directory and database file on disk (issue 13): made
// owner-only as they are created, whatever the umask, with the WAL files
// following; an existing file too open is tightened; a symbolic link in the
// database's place (which SQLite and chmod would both follow) is refused and its
// target left alone.

#include "server/app/Server.h"
#include "server/store/Database.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace handoff::server;

namespace {

constexpr QFileDevice::Permissions ownerReadWrite = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
                                            | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;

// Sets the process umask for the scope.
class ScopedUmask final {
public:
    explicit ScopedUmask(mode_t mask) : m_old(::umask(mask)) {}
    ~ScopedUmask() { ::umask(m_old); }
    Q_DISABLE_COPY_MOVE(ScopedUmask)

private:
    mode_t m_old;
};

} // namespace

class tst_DatabaseFile final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createdOwnerOnlyWhateverTheUmask()
    {
        QTemporaryDir root;
        const QString dataDir = root.filePath(QStringLiteral("data"));
        {
            const ScopedUmask lax(0);
            auto database = Server::openDatabase(dataDir);
            QVERIFY2(database.ok(), database.ok() ? "" : qPrintable(database.error().message));
            QSqlQuery write((*database)->handle());
            QVERIFY(write.exec(QStringLiteral("CREATE TABLE t (x)"))); // the WAL files exist now
        }
        QVERIFY(!(QFileInfo(dataDir).permissions() & others));
        const QDir dir(dataDir);
        for (const QString& name : dir.entryList(QDir::Files)) {
            QVERIFY2(!(QFileInfo(dir.filePath(name)).permissions() & others), qPrintable(name));
        }
        QVERIFY(QFileInfo::exists(Server::databasePathIn(dataDir)));
    }

    void existingFileIsTightened()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("handoff-server.sqlite"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(QFile::setPermissions(path, ownerReadWrite | QFileDevice::ReadGroup | QFileDevice::ReadOther));
        auto database = Database::open(path);
        QVERIFY(database.ok());
        QCOMPARE(QFileInfo(path).permissions() & (ownerReadWrite | others), ownerReadWrite);
    }

    void symbolicLinkIsRefused()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("someone-elses-file"));
        QFile file(target);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(QFile::setPermissions(target, ownerReadWrite | QFileDevice::ReadOther));
        const QString path = dir.filePath(QStringLiteral("handoff-server.sqlite"));
        QVERIFY(QFile::link(target, path));
        auto database = Database::open(path);
        QVERIFY(!database.ok());
        QVERIFY2(database.error().message.contains(QStringLiteral("symbolic link")), qPrintable(database.error().message));
        // Neither written to nor made the server's.
        QCOMPARE(QFileInfo(target).size(), qint64(0));
        QVERIFY(QFileInfo(target).permissions() & QFileDevice::ReadOther);
        // A dangling link is no way in either.
        QVERIFY(QFile::remove(target));
        QVERIFY(!Database::open(path).ok());
        QVERIFY(!QFileInfo::exists(target));
    }
};

QTEST_GUILESS_MAIN(tst_DatabaseFile)
#include "tst_DatabaseFile.moc"
