// The head of an HTTP/1.1 request, as HttpConnection hands over the bytes that
// arrived so far: HttpRequestParser::parse, with the server's default limits and
// with tight ones. A complete head lies within the limits and the data, ends in
// CRLF CRLF and holds a well-formed request; the bytes after it change nothing;
// and every shorter prefix of it asks for more instead of failing, since a
// request may arrive a byte at a time. A refusal carries a 4xx/5xx status and
// an error code.

#include "FuzzSupport.h"
#include "server/http/HttpRequestParser.h"

using handoff::server::HttpParseResult;
using handoff::server::HttpRequestParser;

namespace {

bool sameRequest(const HttpParseResult& a, const HttpParseResult& b)
{
    return a.status == b.status && a.headSize == b.headSize && a.request.method == b.request.method
        && a.request.target == b.request.target && a.request.headers == b.request.headers
        && a.request.contentLength == b.request.contentLength && a.request.keepAlive == b.request.keepAlive
        && a.request.webSocketUpgrade == b.request.webSocketUpgrade
        && a.request.expectContinue == b.request.expectContinue && a.errorCode == b.errorCode;
}

void check(const HttpRequestParser& parser, const HttpRequestParser::Limits& limits, QByteArrayView data)
{
    const HttpParseResult result = parser.parse(data);
    switch (result.status) {
    case HttpParseResult::Status::NeedMore:
        FUZZ_CHECK(data.size() < limits.maxHeaderBytes);
        return;
    case HttpParseResult::Status::Error:
        FUZZ_CHECK(result.errorStatus >= 400 && result.errorStatus <= 599);
        FUZZ_CHECK(handoff::fuzz::isErrorCode(result.errorCode));
        FUZZ_CHECK(!result.errorMessage.isEmpty());
        return;
    case HttpParseResult::Status::Complete:
        break;
    }

    const auto& request = result.request;
    FUZZ_CHECK(result.headSize >= 4 && result.headSize <= data.size() && result.headSize <= limits.maxHeaderBytes);
    FUZZ_CHECK(data.first(result.headSize).endsWith("\r\n\r\n"));
    FUZZ_CHECK(!request.method.isEmpty() && request.method.size() <= 32);
    FUZZ_CHECK(request.path.startsWith('/'));
    FUZZ_CHECK(request.target == (request.target.contains('?') ? request.path + '?' + request.query : request.path));
    FUZZ_CHECK(request.minorVersion == 0 || request.minorVersion == 1);
    FUZZ_CHECK(request.headers.size() <= limits.maxHeaderCount);
    for (const auto& [name, value] : request.headers) {
        FUZZ_CHECK(!name.isEmpty() && name == name.toLower());
        FUZZ_CHECK(!value.startsWith(' ') && !value.endsWith(' '));
    }
    FUZZ_CHECK(request.contentLength >= 0 && request.contentLength <= limits.maxBodyBytes);
    FUZZ_CHECK(request.minorVersion == 0 || request.hasHeader("host"));

    // What follows the head (a body, the next pipelined request) is not the head's business.
    QByteArray longer = data.toByteArray();
    longer.append("X-After: 1\r\n\r\n");
    FUZZ_CHECK(sameRequest(parser.parse(longer), result));

    // A head that arrives in pieces is waited for, never refused half-way.
    for (const qsizetype cut : { result.headSize - 1, result.headSize / 2, result.headSize - 3 }) {
        if (cut > 0)
            FUZZ_CHECK(parser.parse(data.first(cut)).status == HttpParseResult::Status::NeedMore);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const HttpRequestParser::Limits defaults;
    static const HttpRequestParser::Limits tight { 256, 1000, 4 };
    static const HttpRequestParser defaultParser(defaults);
    static const HttpRequestParser tightParser(tight);
    const QByteArrayView input = handoff::fuzz::bytes(data, size);
    check(defaultParser, defaults, input);
    check(tightParser, tight, input);
    return 0;
}
