#pragma once

// Parses the head of one HTTP/1.1 request (request line and headers) from the
// bytes received so far. Pure: bytes in, result out. Bounded: a head larger than
// maxHeaderBytes or with too many headers is refused, as is a body announced
// larger than maxBodyBytes. Only Content-Length bodies are accepted.

#include "server/http/HttpRequest.h"

#include <QByteArrayView>
#include <QString>

namespace handoff::server {

struct HttpParseResult final {
    enum class Status { NeedMore, Complete, Error };
    Status status = Status::NeedMore;
    HttpRequest request;     // valid when Complete (body empty: the caller reads contentLength bytes)
    qsizetype headSize = 0;  // bytes of the head including the final empty line, when Complete
    int errorStatus = 0;     // HTTP status to answer with, when Error
    QString errorCode;       // stable code for the JSON error body
    QString errorMessage;    // for a person
};

class HttpRequestParser final {
public:
    struct Limits final {
        qint64 maxHeaderBytes = 16 * 1024;
        qint64 maxBodyBytes = 64 * 1024;
        int maxHeaderCount = 100;
    };
    explicit HttpRequestParser(Limits limits) : m_limits(limits) {}

    HttpParseResult parse(QByteArrayView data) const;

private:
    Limits m_limits;
};

} // namespace handoff::server
