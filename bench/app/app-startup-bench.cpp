// Cold start of the desktop app to its first window, and its idle memory.
//
//   app-startup-bench [runs]     (default 5; QT_QPA_PLATFORM defaults to offscreen)
//
// Starts the built `handoff` with a fresh instance folder and settings file each
// run. With no link and no tray the app opens its "Open link" window; the
// HANDOFF_STARTUP_PROBE variable makes it print one line once that window is
// shown and the event loop runs. Idle memory is the resident set size (VmRSS)
// three seconds later.

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, QString::fromLocal8Bit(argv[1]).toInt()) : 5;
    const QString program = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("handoff"));
    if (!QFile::exists(program)) {
        std::fprintf(stderr, "app-startup-bench: %s is not built\n", qPrintable(program));
        return 1;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")))
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("HANDOFF_STARTUP_PROBE"), QStringLiteral("1"));

    std::vector<double> startMs;
    std::vector<double> rssMiB;
    for (int run = 0; run < runs; ++run) {
        QTemporaryDir dir;
        // A returning person's start: the first-start question about handoff://
        // links was answered before (it would add a dialog and an xdg-mime run).
        {
            QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
            settings.setValue(QStringLiteral("desktop/schemeHandlerAnswer"), QStringLiteral("declined"));
        }
        QProcess process;
        process.setProcessEnvironment(env);
        QElapsedTimer timer;
        timer.start();
        process.start(program, {QStringLiteral("--instance-dir"), dir.path(), QStringLiteral("--config"),
                                dir.filePath(QStringLiteral("settings.ini"))});
        QByteArray output;
        while (!output.contains("handoff: window shown") && timer.elapsed() < 30'000) {
            process.waitForReadyRead(100);
            output += process.readAllStandardError();
        }
        if (!output.contains("handoff: window shown")) {
            std::fprintf(stderr, "app-startup-bench: the app did not show a window:\n%s\n", output.constData());
            return 1;
        }
        startMs.push_back(double(timer.nsecsElapsed()) / 1e6);
        QThread::msleep(3000);
        rssMiB.push_back(double(residentKiB(process.processId())) / 1024.0);
        process.terminate();
        if (!process.waitForFinished(5000))
            process.kill();
        std::printf("run %d: window after %.1f ms, idle RSS %.1f MiB\n", run + 1, startMs.back(), rssMiB.back());
    }
    std::printf("cold start to window: median %.1f ms (min %.1f, max %.1f) over %d runs\n", median(startMs),
                *std::min_element(startMs.begin(), startMs.end()), *std::max_element(startMs.begin(), startMs.end()),
                runs);
    std::printf("idle memory (VmRSS): median %.1f MiB\n", median(rssMiB));
    return 0;
}
