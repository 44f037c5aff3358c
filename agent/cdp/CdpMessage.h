#pragma once

// One message Chromium sends over a DevTools WebSocket, read without acting on
// it: the answer to a command (its id and result, or CDP's error) or an event
// (method and params). Pure: CdpClient hands over the text and routes what comes
// back, so the reading of bytes from the browser is tested and fuzzed on its own.

#include "core/common/Result.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace handoff::agent {

struct CdpMessage final {
    enum class Kind {
        Result, // {"id", "result"}
        Error, // {"id", "error": {"code", "message"}}
        Event, // {"method", "params"}
    };
    Kind kind = Kind::Event;
    // Result and Error: the command's id. Ids are whole numbers from 1 up; an id
    // that is none (2.5, -1, 1e300) reads as 0, which answers no command.
    qint64 id = 0;
    QJsonObject result; // Result
    QString errorMessage; // Error: Chromium's message
    int errorCode = 0; // Error: Chromium's code
    QString method; // Event
    QJsonObject params; // Event

    // Largest command id: above 2^53 a JSON number no longer holds every whole number.
    static constexpr qint64 MaxId = qint64(1) << 53;

    // Error codes: "not_json" (not a JSON object), "not_cdp" (neither an answer
    // with a numeric id nor an event with a method).
    static Result<CdpMessage> parse(QByteArrayView json);
};

} // namespace handoff::agent
