// relay-load: a load generator for the handoff-server relay.
//
// Starts handoff-server (the one built next to this program, or --server-binary)
// on a free loopback port with a temporary data directory, creates N sessions,
// connects an agent and a viewer to each, and for --seconds lets every agent send
// --fps frames per second of --frame-kb KB (version-2 frame records) while every
// viewer sends --input-rate input messages per second (version-1 "encrypted"
// text). Each message carries its send time, so the receiving side measures the
// latency the relay path adds. Reports frames/s and MB/s relayed, p50/p99 latency
// of frames and input, frames dropped, the server's CPU use and peak RSS (from
// /proc/<pid>), and the raw loopback TCP throughput measured in the same run.
//
//   relay-load --pairs 10 --fps 30 --seconds 10

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void putU64(char* out, quint64 value)
{
    for (int i = 7; i >= 0; --i) {
        out[i] = char(value & 0xff);
        value >>= 8;
    }
}

quint64 getU64(const char* in)
{
    quint64 value = 0;
    for (int i = 0; i < 8; ++i) {
        value = (value << 8) | quint8(in[i]);
    }
    return value;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const size_t index = std::min(values.size() - 1, size_t(p / 100.0 * double(values.size())));
    return values[index];
}

// CPU seconds (user + system) of a process, from /proc/<pid>/stat.
double cpuSeconds(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly)) {
        return 0;
    }
    const QByteArray stat = file.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state is [0], utime [11], stime [12].
    if (fields.size() < 13) {
        return 0;
    }
    return double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

// A /proc/<pid>/status value in KiB (VmHWM: peak resident set, VmRSS: current).
qint64 statusKiB(qint64 pid, const char* key)
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly)) {
        return 0;
    }
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.startsWith(key)) {
            return line.mid(qsizetype(strlen(key)) + 1).trimmed().split(' ').first().toLongLong();
        }
    }
    return 0;
}

// Raw loopback TCP throughput: one thread writes 256 KiB blocks, another reads,
// for `seconds`. The physical reference for the relay's MB/s.
double loopbackMBps(double seconds)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || ::listen(listener, 1) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(listener);
        return 0;
    }
    std::atomic<bool> stop{false};
    std::atomic<qint64> received{0};
    std::thread reader([&] {
        const int connection = ::accept(listener, nullptr, nullptr);
        std::vector<char> buffer(256 * 1024);
        for (;;) {
            const ssize_t n = ::read(connection, buffer.data(), buffer.size());
            if (n <= 0) {
                break;
            }
            received += n;
        }
        ::close(connection);
    });
    const int sender = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(sender, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        ::close(sender);
        ::close(listener);
        reader.join();
        return 0;
    }
    std::vector<char> block(256 * 1024, 'x');
    QElapsedTimer clock;
    clock.start();
    const qint64 startReceived = received;
    while (clock.elapsed() < qint64(seconds * 1000)) {
        if (::write(sender, block.data(), block.size()) < 0) {
            break;
        }
    }
    const double elapsed = clock.nsecsElapsed() / 1e9;
    const qint64 total = received - startReceived;
    ::close(sender);
    reader.join();
    ::close(listener);
    (void)stop;
    return double(total) / elapsed / 1e6;
}

struct Stats final {
    qint64 framesSent = 0;
    qint64 framesReceived = 0;
    qint64 frameBytesReceived = 0;
    qint64 inputsSent = 0;
    qint64 inputsReceived = 0;
    std::vector<double> frameLatencyMs;
    std::vector<double> inputLatencyMs;
    bool measuring = false;
};

// One agent/viewer pair on one session.
class Pair final : public QObject {
public:
    Pair(const QString& agentUrl, const QString& viewerUrl, int frameBytes, Stats& stats)
        : m_frameBytes(frameBytes)
        , m_stats(stats)
    {
        for (QWebSocket* socket : {&m_agent, &m_viewer}) {
            socket->setMaxAllowedIncomingMessageSize(16 * 1024 * 1024);
            connect(socket, &QWebSocket::connected, this, [this] { ++m_connected; });
        }
        connect(&m_viewer, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& data) {
            if (data.size() < 18 || data.at(0) != 0x02 || data.at(1) != 0x02) {
                return;
            }
            const qint64 sentAt = qint64(getU64(data.constData() + 10));
            if (m_stats.measuring && sentAt >= m_measureFromNs) {
                ++m_stats.framesReceived;
                m_stats.frameBytesReceived += data.size();
                m_stats.frameLatencyMs.push_back(double(nowNs() - sentAt) / 1e6);
            }
        });
        connect(&m_agent, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
            // {"type":"encrypted","t":<ns>,...}
            static const QRegularExpression stamp(QStringLiteral("\"t\":(\\d+)"));
            const auto match = stamp.match(text);
            if (match.hasMatch() && m_stats.measuring) {
                const qint64 sentAt = match.captured(1).toLongLong();
                if (sentAt >= m_measureFromNs) {
                    ++m_stats.inputsReceived;
                    m_stats.inputLatencyMs.push_back(double(nowNs() - sentAt) / 1e6);
                }
            }
        });
        m_agent.open(QUrl(agentUrl));
        m_viewer.open(QUrl(viewerUrl));
        m_frame = QByteArray(frameBytes, 'f');
        m_frame[0] = 0x02;
        m_frame[1] = 0x02;
    }
    ~Pair() override
    {
        for (QWebSocket* socket : {&m_agent, &m_viewer}) {
            disconnect(socket, nullptr, this, nullptr);
            socket->abort();
        }
    }
    Q_DISABLE_COPY_MOVE(Pair)

    bool ready() const { return m_connected == 2; }

    void start(int fps, int inputRate, qint64 measureFromNs)
    {
        m_measureFromNs = measureFromNs;
        m_frameTimer.setTimerType(Qt::PreciseTimer);
        m_frameTimer.setInterval(1000 / fps);
        connect(&m_frameTimer, &QTimer::timeout, this, [this] { sendFrame(); });
        m_frameTimer.start();
        if (inputRate > 0) {
            m_inputTimer.setTimerType(Qt::PreciseTimer);
            m_inputTimer.setInterval(1000 / inputRate);
            connect(&m_inputTimer, &QTimer::timeout, this, [this] { sendInput(); });
            m_inputTimer.start();
        }
    }
    void stop()
    {
        m_frameTimer.stop();
        m_inputTimer.stop();
    }

private:
    void sendFrame()
    {
        const qint64 now = nowNs();
        putU64(m_frame.data() + 2, quint64(++m_sequence));
        putU64(m_frame.data() + 10, quint64(now));
        m_agent.sendBinaryMessage(m_frame);
        if (m_stats.measuring && now >= m_measureFromNs) {
            ++m_stats.framesSent;
        }
    }
    void sendInput()
    {
        // The size of a version-1 encrypted keystroke.
        const qint64 now = nowNs();
        m_viewer.sendTextMessage(QStringLiteral(R"({"type":"encrypted","t":%1,"payload":{"iv":"AAAAAAAAAAAAAAAA","ciphertext":"%2","tag":"AAAAAAAAAAAAAAAAAAAAAA=="}})")
                                     .arg(now)
                                     .arg(QString(64, QLatin1Char('A'))));
        if (m_stats.measuring && now >= m_measureFromNs) {
            ++m_stats.inputsSent;
        }
    }

    QWebSocket m_agent;
    QWebSocket m_viewer;
    QTimer m_frameTimer;
    QTimer m_inputTimer;
    QByteArray m_frame;
    int m_frameBytes;
    Stats& m_stats;
    int m_connected = 0;
    quint64 m_sequence = 0;
    qint64 m_measureFromNs = 0;
};

QJsonObject postJson(QNetworkAccessManager& manager, const QUrl& url, const QByteArray& key, const QByteArray& body, int* status)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + key);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply* reply = manager.post(request, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return json;
}

bool waitFor(const std::function<bool()>& condition, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > ms) {
            return false;
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Load generator for the handoff-server relay."));
    parser.addHelpOption();
    const QCommandLineOption pairsOption(QStringLiteral("pairs"), QStringLiteral("agent/viewer pairs (default 10)"), QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption fpsOption(QStringLiteral("fps"), QStringLiteral("frames per second per agent (default 30)"), QStringLiteral("F"), QStringLiteral("30"));
    const QCommandLineOption kbOption(QStringLiteral("frame-kb"), QStringLiteral("frame size in KB (default 35)"), QStringLiteral("KB"), QStringLiteral("35"));
    const QCommandLineOption inputOption(QStringLiteral("input-rate"), QStringLiteral("input messages per second per viewer (default 20)"), QStringLiteral("R"), QStringLiteral("20"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("measured duration (default 10)"), QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption binaryOption(QStringLiteral("server-binary"), QStringLiteral("handoff-server to start (default: next to this program)"), QStringLiteral("PATH"));
    parser.addOptions({pairsOption, fpsOption, kbOption, inputOption, secondsOption, binaryOption});
    parser.process(app);
    const int pairs = std::max(1, parser.value(pairsOption).toInt());
    const int fps = std::clamp(parser.value(fpsOption).toInt(), 1, 1000);
    const int frameBytes = std::max(32, parser.value(kbOption).toInt() * 1000);
    const int inputRate = std::clamp(parser.value(inputOption).toInt(), 0, 190);
    const int seconds = std::max(1, parser.value(secondsOption).toInt());
    const QString binary = parser.isSet(binaryOption) ? parser.value(binaryOption)
                                                      : QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("handoff-server"));

    std::printf("raw loopback TCP throughput: measuring...\n");
    std::fflush(stdout);
    const double loopback = loopbackMBps(2.0);

    QTemporaryDir dataDir;
    QProcess server;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("handoff.*.info=false"));
    server.setProcessEnvironment(environment);
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(binary, {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dataDir.path(),
                          QStringLiteral("--session-rate"), QStringLiteral("100000")});
    QByteArray output;
    QUrl base;
    QByteArray key;
    if (!waitFor([&] {
            output += server.readAll();
            const auto listening = QRegularExpression(QStringLiteral(R"(listening on (http://\S+))")).match(QString::fromUtf8(output));
            const auto apiKey = QRegularExpression(QStringLiteral(R"((hk_[A-Za-z0-9]+_[A-Za-z0-9]+))")).match(QString::fromUtf8(output));
            if (listening.hasMatch() && apiKey.hasMatch()) {
                base = QUrl(listening.captured(1));
                key = apiKey.captured(1).toLatin1();
                return true;
            }
            return server.state() == QProcess::NotRunning;
        }, 30'000) || key.isEmpty()) {
        std::fprintf(stderr, "handoff-server (%s) did not start:\n%s\n", qPrintable(binary), output.constData());
        return 1;
    }
    const qint64 pid = server.processId();

    Stats stats;
    QNetworkAccessManager manager;
    std::vector<std::unique_ptr<Pair>> all;
    for (int i = 0; i < pairs; ++i) {
        int status = 0;
        const QJsonObject session = postJson(manager, QUrl(base.toString() + QStringLiteral("/session")), key,
                                             R"({"service":"relay-load","ttl":3600})", &status);
        if (status != 201) {
            std::fprintf(stderr, "POST /session answered %d\n", status);
            return 1;
        }
        const QString streamUrl = session.value(QStringLiteral("stream_url")).toString();
        const QString viewerToken = session.value(QStringLiteral("session_url")).toString().section(QStringLiteral("#t="), 1);
        all.push_back(std::make_unique<Pair>(streamUrl + QStringLiteral("?role=agent&token=") + session.value(QStringLiteral("stream_token")).toString(),
                                             streamUrl + QStringLiteral("?role=viewer&token=") + viewerToken, frameBytes, stats));
    }
    if (!waitFor([&] { return std::all_of(all.begin(), all.end(), [](const auto& pair) { return pair->ready(); }); }, 30'000)) {
        std::fprintf(stderr, "not every socket connected\n");
        return 1;
    }

    // One second of warm-up, then the measured window.
    const qint64 warmupNs = 1'000'000'000;
    for (auto& pair : all) {
        pair->start(fps, inputRate, nowNs() + warmupNs);
    }
    stats.measuring = true;
    waitFor([] { return false; }, int(warmupNs / 1'000'000));
    const double cpuStart = cpuSeconds(pid);
    QElapsedTimer window;
    window.start();
    waitFor([] { return false; }, seconds * 1000);
    for (auto& pair : all) {
        pair->stop();
    }
    const double elapsed = window.nsecsElapsed() / 1e9;
    const double cpuUsed = cpuSeconds(pid) - cpuStart;
    waitFor([] { return false; }, 500); // what is in flight arrives
    stats.measuring = false;
    const qint64 peakRssKiB = statusKiB(pid, "VmHWM:");

    const double framesPerSecond = double(stats.framesReceived) / elapsed;
    const double megabytesPerSecond = double(stats.frameBytesReceived) / elapsed / 1e6;
    std::printf("\nrelay-load: %d pairs, %d fps, %d-byte frames, %d input/s per viewer, %.1f s measured\n", pairs, fps,
                frameBytes, inputRate, elapsed);
    std::printf("  frames relayed      %10.0f frames/s   (%lld sent, %lld received, %lld dropped or late)\n", framesPerSecond,
                stats.framesSent, stats.framesReceived, stats.framesSent - stats.framesReceived);
    std::printf("  throughput          %10.1f MB/s relayed to viewers\n", megabytesPerSecond);
    std::printf("  frame latency       p50 %7.2f ms   p99 %7.2f ms\n", percentile(stats.frameLatencyMs, 50),
                percentile(stats.frameLatencyMs, 99));
    std::printf("  input latency       p50 %7.2f ms   p99 %7.2f ms   (%lld sent, %lld received)\n",
                percentile(stats.inputLatencyMs, 50), percentile(stats.inputLatencyMs, 99), stats.inputsSent, stats.inputsReceived);
    std::printf("  server CPU          %10.1f %% of one core\n", cpuUsed / elapsed * 100.0);
    std::printf("  server peak RSS     %10.1f MiB\n", double(peakRssKiB) / 1024.0);
    std::printf("  loopback TCP        %10.0f MB/s (raw, one stream, same machine, same run)\n", loopback);
    const QJsonObject json{{QStringLiteral("pairs"), pairs},
                           {QStringLiteral("fps"), fps},
                           {QStringLiteral("frame_bytes"), frameBytes},
                           {QStringLiteral("frames_per_s"), framesPerSecond},
                           {QStringLiteral("mb_per_s"), megabytesPerSecond},
                           {QStringLiteral("frame_p50_ms"), percentile(stats.frameLatencyMs, 50)},
                           {QStringLiteral("frame_p99_ms"), percentile(stats.frameLatencyMs, 99)},
                           {QStringLiteral("input_p50_ms"), percentile(stats.inputLatencyMs, 50)},
                           {QStringLiteral("input_p99_ms"), percentile(stats.inputLatencyMs, 99)},
                           {QStringLiteral("frames_dropped"), stats.framesSent - stats.framesReceived},
                           {QStringLiteral("server_cpu_percent"), cpuUsed / elapsed * 100.0},
                           {QStringLiteral("server_peak_rss_mib"), double(peakRssKiB) / 1024.0},
                           {QStringLiteral("loopback_mb_per_s"), loopback}};
    std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());

    all.clear();
    server.terminate();
    server.waitForFinished(10'000);
    return 0;
}
