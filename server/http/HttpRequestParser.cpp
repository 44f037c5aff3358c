#include "server/http/HttpRequestParser.h"

namespace handoff::server {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty()) {
        return false;
    }
    for (const char c : text) {
        if (!isTokenChar(c)) {
            return false;
        }
    }
    return true;
}

bool isFieldValueChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7F);
}

bool isTargetChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F && c != '#';
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t')) {
        text = text.sliced(1);
    }
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t')) {
        text.chop(1);
    }
    return text;
}

// Comma-separated list of tokens, case-insensitive membership.
bool listContains(QByteArrayView list, QByteArrayView token)
{
    for (const QByteArray& item : list.toByteArray().split(',')) {
        if (trimmed(item).compare(token, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

HttpParseResult fail(int status, const char* code, const char* message)
{
    HttpParseResult result;
    result.status = HttpParseResult::Status::Error;
    result.errorStatus = status;
    result.errorCode = QString::fromLatin1(code);
    result.errorMessage = QString::fromLatin1(message);
    return result;
}

// A line ending in bare LF, or a NUL byte, anywhere in what arrived so far.
bool hasBareLineFeedOrNul(QByteArrayView data)
{
    for (qsizetype i = 0; i < data.size(); ++i) {
        if (data[i] == '\0' || (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))) {
            return true;
        }
    }
    return false;
}

} // namespace

HttpParseResult HttpRequestParser::parse(QByteArrayView data) const
{
    // Empty lines before the request line are ignored (RFC 9112 2.2), within the head limit.
    qsizetype start = 0;
    while (start + 1 < data.size() && data[start] == '\r' && data[start + 1] == '\n') {
        start += 2;
    }
    const qsizetype scanLimit = std::min<qsizetype>(data.size(), m_limits.maxHeaderBytes);
    const QByteArrayView scanned = data.first(scanLimit);
    const qsizetype end = scanned.indexOf("\r\n\r\n", start);
    // Only the head is checked: the body that may follow is anyone's bytes.
    if (hasBareLineFeedOrNul(end < 0 ? scanned : scanned.first(end + 4))) {
        return fail(400, "invalid_request", "malformed request: lines must end with CRLF and hold no NUL byte");
    }

    // Check the request line as soon as it is complete, so garbage is refused at once.
    const qsizetype lineEnd = scanned.indexOf("\r\n", start);
    if (lineEnd < 0) {
        if (data.size() >= m_limits.maxHeaderBytes) {
            return fail(431, "request_header_too_large", "the request line is longer than the server accepts");
        }
        return {};
    }
    const QByteArrayView requestLine = scanned.sliced(start, lineEnd - start);
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1) {
        return fail(400, "invalid_request", "malformed request line: expected METHOD TARGET HTTP/1.1");
    }
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    if (!isToken(method) || method.size() > 32) {
        return fail(400, "invalid_request", "malformed request line: bad method");
    }
    if (target.front() != '/' || !std::all_of(target.begin(), target.end(), isTargetChar)) {
        return fail(400, "invalid_request", "malformed request line: the target must be a path such as /session");
    }
    int minorVersion = 1;
    if (version == "HTTP/1.1") {
        minorVersion = 1;
    } else if (version == "HTTP/1.0") {
        minorVersion = 0;
    } else if (version.startsWith("HTTP/") && version.size() == 8 && version[5] >= '0' && version[5] <= '9'
               && version[6] == '.') {
        return fail(505, "http_version_not_supported", "only HTTP/1.0 and HTTP/1.1 are spoken here");
    } else {
        return fail(400, "invalid_request", "malformed request line: bad HTTP version");
    }

    if (end < 0) {
        if (data.size() >= m_limits.maxHeaderBytes) {
            return fail(431, "request_header_too_large", "the request head is larger than the server accepts");
        }
        return {};
    }

    HttpRequest request;
    request.method = method.toByteArray();
    request.target = target.toByteArray();
    const qsizetype question = target.indexOf('?');
    request.path = (question < 0 ? target : target.first(question)).toByteArray();
    request.query = question < 0 ? QByteArray() : target.sliced(question + 1).toByteArray();
    request.minorVersion = minorVersion;

    qsizetype position = lineEnd + 2;
    while (position < end + 2) {
        const qsizetype next = scanned.indexOf("\r\n", position);
        const QByteArrayView line = scanned.sliced(position, next - position);
        position = next + 2;
        if (line.isEmpty()) {
            break;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            return fail(400, "invalid_request", "malformed header: folded header lines are not accepted");
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon))) {
            return fail(400, "invalid_request", "malformed header: expected Name: value");
        }
        const QByteArrayView value = trimmed(line.sliced(colon + 1));
        if (!std::all_of(value.begin(), value.end(), isFieldValueChar)) {
            return fail(400, "invalid_request", "malformed header: control character in a value");
        }
        if (request.headers.size() >= m_limits.maxHeaderCount) {
            return fail(431, "request_header_too_large", "the request has more headers than the server accepts");
        }
        request.headers.append({line.first(colon).toByteArray().toLower(), value.toByteArray()});
    }

    int hostCount = 0;
    bool haveLength = false;
    qint64 length = 0;
    for (const auto& [name, value] : std::as_const(request.headers)) {
        if (name == "host") {
            ++hostCount;
        } else if (name == "content-length") {
            if (value.isEmpty() || value.size() > 18 || !std::all_of(value.begin(), value.end(), [](char c) {
                    return c >= '0' && c <= '9';
                })) {
                return fail(400, "invalid_request", "malformed Content-Length");
            }
            const qint64 parsed = value.toLongLong();
            if (haveLength && parsed != length) {
                return fail(400, "invalid_request", "conflicting Content-Length headers");
            }
            haveLength = true;
            length = parsed;
        } else if (name == "transfer-encoding") {
            return fail(411, "length_required",
                        "Transfer-Encoding is not accepted here: send the body with a Content-Length");
        } else if (name == "expect") {
            if (value.compare("100-continue", Qt::CaseInsensitive) != 0) {
                return fail(417, "expectation_failed", "only Expect: 100-continue is understood");
            }
            request.expectContinue = true;
        }
    }
    if (minorVersion == 1 && hostCount != 1) {
        return fail(400, "invalid_request", "an HTTP/1.1 request needs exactly one Host header");
    }
    if (hostCount > 1) {
        return fail(400, "invalid_request", "more than one Host header");
    }
    if (length > m_limits.maxBodyBytes) {
        return fail(413, "payload_too_large", "the request body is larger than the server accepts");
    }
    request.contentLength = length;

    const QByteArray connection = request.header("connection");
    if (minorVersion == 1) {
        request.keepAlive = !listContains(connection, "close");
    } else {
        request.keepAlive = listContains(connection, "keep-alive");
    }
    request.webSocketUpgrade = listContains(connection, "upgrade") && listContains(request.header("upgrade"), "websocket");

    HttpParseResult result;
    result.status = HttpParseResult::Status::Complete;
    result.headSize = end + 4;
    result.request = std::move(request);
    return result;
}

} // namespace handoff::server
