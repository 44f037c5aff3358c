#pragma once

// Raw TCP clients for what well-behaved libraries never send: hand-written HTTP,
// a WebSocket that never answers pings, a viewer that stops reading.

#include <QCryptographicHash>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

namespace handoff::test {

class RawConnection final {
public:
    // `source`: the local address to connect from, e.g. 127.0.0.2 to look like
    // another client to a server on 127.0.0.1.
    explicit RawConnection(quint16 port, qint64 receiveBuffer = 0, const QHostAddress& source = {})
    {
        if (receiveBuffer > 0) {
            // A small kernel buffer and a small Qt buffer: a reader that stops
            // reading makes the server's queue grow quickly.
            socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, int(receiveBuffer));
            socket.setReadBufferSize(receiveBuffer);
        }
        if (!source.isNull()) {
            socket.bind(source);
        }
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        socket.waitForConnected(5000);
    }

    bool isOpen() const { return socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray& bytes)
    {
        socket.write(bytes);
        socket.flush();
    }

    // Reads until `predicate(buffer)` holds, the peer closes or the time is up.
    template <typename Predicate>
    bool readUntil(Predicate predicate, int ms = 10'000)
    {
        return QTest::qWaitFor([&] {
            buffer += socket.readAll();
            return predicate(buffer) || socket.state() != QAbstractSocket::ConnectedState;
        }, ms) && predicate(buffer);
    }
    // One complete HTTP response (head + Content-Length body) at the front of the buffer.
    bool readResponse(int ms = 10'000)
    {
        return readUntil([](const QByteArray& data) { return responseSize(data) > 0; }, ms);
    }
    QByteArray takeResponse()
    {
        const qsizetype size = responseSize(buffer);
        if (size <= 0) {
            return {};
        }
        const QByteArray response = buffer.left(size);
        buffer.remove(0, size);
        return response;
    }
    static int statusOf(const QByteArray& response) { return response.mid(9, 3).toInt(); }
    static qsizetype responseSize(const QByteArray& data)
    {
        const qsizetype end = data.indexOf("\r\n\r\n");
        if (end < 0) {
            return -1;
        }
        const QByteArray head = data.left(end).toLower();
        qsizetype length = 0;
        const qsizetype at = head.indexOf("content-length:");
        if (at >= 0) {
            length = head.mid(at + 15, head.indexOf("\r\n", at) < 0 ? -1 : head.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
        }
        if (data.size() < end + 4 + length) {
            return -1;
        }
        return end + 4 + length;
    }
    bool waitClosed(int ms = 10'000)
    {
        return QTest::qWaitFor([&] {
            buffer += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        }, ms);
    }

    // --- WebSocket over the raw connection (client frames are masked) ---
    bool upgrade(const QString& pathAndQuery)
    {
        send("GET " + pathAndQuery.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        if (!readUntil([](const QByteArray& data) { return data.contains("\r\n\r\n"); })) {
            return false;
        }
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        const QByteArray head = buffer.left(end);
        buffer.remove(0, end + 4);
        return head.startsWith("HTTP/1.1 101");
    }
    void sendFrame(int opcode, const QByteArray& payload)
    {
        QByteArray frame;
        frame.append(char(0x80 | opcode));
        const QByteArray mask = "\x11\x22\x33\x44";
        if (payload.size() < 126) {
            frame.append(char(0x80 | payload.size()));
        } else if (payload.size() < 65536) {
            frame.append(char(0x80 | 126));
            frame.append(char(payload.size() >> 8));
            frame.append(char(payload.size() & 0xff));
        } else {
            frame.append(char(0x80 | 127));
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.append(char((quint64(payload.size()) >> shift) & 0xff));
            }
        }
        frame.append(mask);
        for (qsizetype i = 0; i < payload.size(); ++i) {
            frame.append(char(payload.at(i) ^ mask.at(i % 4)));
        }
        send(frame);
    }
    struct Frame final {
        int opcode = 0;
        QByteArray payload;
    };
    // Parses complete unmasked server frames from the buffer.
    QList<Frame> takeFrames()
    {
        QList<Frame> frames;
        for (;;) {
            if (buffer.size() < 2) {
                break;
            }
            const int opcode = buffer.at(0) & 0x0f;
            quint64 length = quint8(buffer.at(1)) & 0x7f;
            qsizetype at = 2;
            if (length == 126) {
                if (buffer.size() < 4) {
                    break;
                }
                length = (quint64(quint8(buffer.at(2))) << 8) | quint8(buffer.at(3));
                at = 4;
            } else if (length == 127) {
                if (buffer.size() < 10) {
                    break;
                }
                length = 0;
                for (int i = 0; i < 8; ++i) {
                    length = (length << 8) | quint8(buffer.at(2 + i));
                }
                at = 10;
            }
            if (quint64(buffer.size() - at) < length) {
                break;
            }
            frames.append(Frame{opcode, buffer.mid(at, qsizetype(length))});
            buffer.remove(0, at + qsizetype(length));
        }
        return frames;
    }

    QTcpSocket socket;
    QByteArray buffer;
};

} // namespace handoff::test
